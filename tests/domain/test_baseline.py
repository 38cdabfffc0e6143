"""The baseline: matching (pure), the file (atomic, locked, clear errors) and `fitness baseline`."""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
from pathlib import Path

import pytest

from fitness.adapters.baseline import dumps, read_baseline, update_baseline
from fitness.adapters.files import write_text_safely
from fitness.cli import main
from fitness.domain.baseline import (
    Baseline,
    apply_baseline,
    stale_rules,
)
from fitness.domain.baseline_summary import BaselineEntry
from fitness.domain.errors import ConfigError
from fitness.domain.violations import Chain, Link, RuleResult, Violation
from tests.helpers import append

UP = "from shop.application.place_order import PlaceOrder  # reaching up\n"
ACROSS = "from shop.adapters.db import repository  # across adapters\n"


def violation(importer: str, imported: str, line: int = 3) -> Violation:
    link = Link(
        importer, imported, (line,), importer.replace(".", "/") + ".py", f"import {imported}"
    )
    return Violation(
        importer, imported, f"{importer} must not import {imported}", (Chain((link,)),)
    )


def result(rule: str, *violations: Violation, **details: object) -> RuleResult:
    return RuleResult(rule, f"rule {rule}", tuple(violations), details=dict(details))


# Matching ----------------------------------------------------------------------------


def test_known_violations_pass_and_new_ones_fail() -> None:
    baseline = Baseline.from_results([result("layers", violation("a.low", "a.high"))])
    now = result("layers", violation("a.low", "a.high"), violation("a.mid", "a.high"))

    outcome = apply_baseline(now, baseline)

    assert [v.importer for v in outcome.result.violations] == ["a.mid"]
    assert [v.importer for v in outcome.known] == ["a.low"]
    assert outcome.result.baseline is not None
    assert outcome.result.baseline.known == 1


def test_matching_ignores_line_numbers_and_message_text() -> None:
    baseline = Baseline.from_results([result("layers", violation("a.low", "a.high", line=3))])
    moved = Violation(
        "a.low", "a.high", "reworded message", violation("a.low", "a.high", 40).chains
    )

    outcome = apply_baseline(result("layers", moved), baseline)

    assert outcome.result.passed
    assert outcome.known == (moved,)


def test_an_entry_of_another_rule_does_not_match() -> None:
    baseline = Baseline.from_results([result("other", violation("a.low", "a.high"))])
    outcome = apply_baseline(result("layers", violation("a.low", "a.high")), baseline)
    assert not outcome.result.passed


def test_fixed_violations_are_stale_warnings_or_failures_when_strict() -> None:
    baseline = Baseline.from_results([result("layers", violation("a.low", "a.high"))])
    fixed = result("layers")

    lenient = apply_baseline(fixed, baseline)
    strict = apply_baseline(fixed, baseline, strict=True)

    assert lenient.result.passed
    assert lenient.stale == (BaselineEntry("layers", "a.low", "a.high", "a.low", "a.high", True),)
    assert lenient.result.warnings == (
        "fixed: a.low -> a.high is no longer a violation but is still in the baseline; "
        "update the baseline to drop it",
    )
    assert not strict.result.passed
    assert strict.result.violations[0].summary.startswith("fixed: a.low -> a.high")
    assert "update it" in strict.result.guidance


def test_update_replaces_checked_rules_and_keeps_the_others() -> None:
    old = Baseline.from_results(
        [
            result("layers", violation("a.low", "a.high"), violation("a.x", "a.high")),
            result("independence", violation("a.b", "a.c")),
            result("removed rule", violation("a.d", "a.e")),
        ]
    )
    now = [result("layers", violation("a.x", "a.high"))]  # a.low fixed; only layers ran

    new = old.updated(now, ["layers", "independence"])

    assert new.entries == {
        BaselineEntry("layers", "a.x", "a.high", "a.x", "a.high", True),
        BaselineEntry("independence", "a.b", "a.c", "a.b", "a.c", True),
    }
    assert stale_rules(old, ["layers", "independence"]) == ["removed rule"]


def test_metric_values_are_a_ratchet() -> None:
    baseline = Baseline.from_results(
        [
            result(
                "budget", metrics={"distance": 0.4, "cohesion": 2.0}, better={"cohesion": "higher"}
            )
        ]
    )
    same = apply_baseline(result("budget", metrics={"distance": 0.4, "cohesion": 2.0}), baseline)
    better = apply_baseline(
        result("budget", metrics={"distance": 0.3, "cohesion": 3.0}, better={"cohesion": "higher"}),
        baseline,
    )
    worse = apply_baseline(
        result("budget", metrics={"distance": 0.5, "cohesion": 1.0}, better={"cohesion": "higher"}),
        baseline,
    )

    assert same.result.passed and better.result.passed
    assert [v.summary for v in worse.result.violations] == [
        "cohesion got worse than the baseline: 1 (recorded 2)",
        "distance got worse than the baseline: 0.5 (recorded 0.4)",
    ]


def test_the_metrics_rule_type_is_ratcheted_on_what_can_get_worse() -> None:
    def measured(distance: float, cohesion: float, cost: float) -> RuleResult:
        return RuleResult(
            "budgets",
            "metrics",
            rule_type="metrics",
            details={
                "packages": [
                    {
                        "package": "a.core",
                        "distance": distance,
                        "instability": 0.9,
                        "relational_cohesion": cohesion,
                        "max_lcom4": None,
                    },
                ],
                "system": {"propagation_cost": cost, "modularity": None},
            },
        )

    baseline = Baseline.from_results([measured(0.25, 1.5, 0.1)])
    assert baseline.metrics["budgets"] == {
        "a.core: distance": 0.25,
        "a.core: relational_cohesion": 1.5,
        "system: propagation_cost": 0.1,
    }
    assert apply_baseline(measured(0.2, 2.0, 0.1), baseline).result.passed
    worse = apply_baseline(measured(0.5, 1.0, 0.2), baseline).result
    assert [v.summary for v in worse.violations] == [
        "a.core: distance got worse than the baseline: 0.5 (recorded 0.25)",
        "a.core: relational_cohesion got worse than the baseline: 1 (recorded 1.5)",
        "system: propagation_cost got worse than the baseline: 0.2 (recorded 0.1)",
    ]


def test_the_file_is_sorted_versioned_and_round_trips() -> None:
    baseline = Baseline.from_results(
        [
            result("b rule", violation("z.a", "z.b"), violation("a.a", "a.b")),
            result("a rule", violation("m.a", "m.b"), metrics={"y": 2, "x": 1}),
        ]
    )
    text = dumps(baseline)
    data = json.loads(text)

    assert text.endswith("}\n") and text.startswith('{\n  "version": 2,')
    assert list(data["rules"]) == ["a rule", "b rule"]
    assert data["rules"]["b rule"]["violations"] == [
        {
            "importer": "a.a",
            "imported": "a.b",
            "chains": [{"first": "a.a", "last": "a.b", "direct": True}],
        },
        {
            "importer": "z.a",
            "imported": "z.b",
            "chains": [{"first": "z.a", "last": "z.b", "direct": True}],
        },
    ]
    assert list(data["rules"]["a rule"]["metrics"]) == ["x", "y"]
    assert Baseline.from_data(data) == baseline
    assert dumps(Baseline.from_data(data)) == text  # stable


# The file ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"version": 1, "rules": {', "corrupt baseline (invalid JSON"),
        ('{"version": 7, "rules": {}}', "unsupported baseline version 7"),
        (
            '{"version": 2, "rules": {"r": {"violations": [{"importer": 1}]}}}',
            "rules.r.violations[0]",
        ),
        (
            '{"version": 2, "rules": {"r": {"violations": [{"importer": "a", "chains": [{}]}]}}}',
            "rules.r.violations[0].chains[0]: must be an object with non-empty string 'first'",
        ),
        (
            '{"version": 1, "rules": {}}',
            "written by an earlier version of pytest-fitness (format 1)",
        ),
        ("[]", "must be a JSON object"),
    ],
)
def test_a_corrupt_baseline_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "fitness-baseline.json"
    path.write_text(content)
    with pytest.raises(ConfigError) as error:
        read_baseline(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_an_update_never_overwrites_a_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "fitness-baseline.json"
    path.write_text("{ not json")
    with pytest.raises(ConfigError):
        update_baseline(path, lambda old: old)
    assert path.read_text() == "{ not json"


def test_writes_are_atomic_and_leave_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text("old")
    write_text_safely(path, "new\n")
    assert path.read_text() == "new\n"
    assert os.listdir(tmp_path) == ["out.json"]


def _add_entries(path: str, worker: int) -> None:
    for i in range(20):
        rule = result(f"rule {worker}", violation(f"w{worker}.m{i}", "x.y"))
        update_baseline(Path(path), functools.partial(_merged, Baseline.from_results([rule])))


def _merged(new: Baseline, old: Baseline) -> Baseline:
    return old.merged(new)


def test_concurrent_updates_lose_no_entry(tmp_path: Path) -> None:
    path = tmp_path / "fitness-baseline.json"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_add_entries, args=(str(path), w)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join()
    assert [p.exitcode for p in workers] == [0, 0, 0, 0]
    assert len(read_baseline(path).entries) == 80


# `fitness baseline` and `fitness check` ----------------------------------------------------


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_baseline_then_only_new_violations_fail(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(shop / "shop/domain/pricing.py", UP)
    assert run(["check"], capsys)[0] == 1

    code, out, _ = run(["baseline"], capsys)
    assert code == 0
    assert "fitness: wrote" in out and "fitness-baseline.json (" in out
    data = json.loads((shop / "fitness-baseline.json").read_text())
    assert data["rules"]["Layered architecture"]["violations"] == [
        {
            "importer": "shop.domain",
            "imported": "shop.application",
            "chains": [
                {
                    "first": "shop.domain.pricing",
                    "last": "shop.application.place_order",
                    "direct": True,
                }
            ],
        }
    ]
    code, out, _ = run(["check"], capsys)
    assert code == 0
    assert "KEPT   Layered architecture (1 known violation in the baseline)" in out

    append(shop / "shop/adapters/web/handlers.py", ACROSS)  # a new violation
    code, out, _ = run(["check"], capsys)
    assert code == 1
    assert "BROKEN Adapters are independent" in out

    code, out, _ = run(["check", "--no-baseline"], capsys)
    assert code == 1 and "BROKEN Layered architecture" in out


def test_cli_stale_entries_are_shown_and_fail_in_strict_mode(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pricing = shop / "shop/domain/pricing.py"
    original = pricing.read_text()
    append(pricing, UP)
    run(["baseline"], capsys)
    pricing.write_text(original)  # fixed

    code, out, _ = run(["check"], capsys)
    assert code == 0
    fixed = (
        "fixed: shop.domain.pricing -> shop.application.place_order "
        "(shop.domain -> shop.application) is no longer a violation"
    )
    assert f"warning: {fixed}" in " ".join(out.split())  # the text output wraps long lines

    code, out, _ = run(["check", "--strict-baseline"], capsys)
    assert code == 1
    assert fixed in " ".join(out.split())

    run(["baseline"], capsys)  # the update drops it
    assert json.loads((shop / "fitness-baseline.json").read_text())["rules"] == {}
    assert run(["check", "--strict-baseline"], capsys)[0] == 0


def test_cli_configured_baseline_must_exist(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = shop / "pyproject.toml"
    config.write_text(
        config.read_text().replace(
            "[tool.fitness]\n", '[tool.fitness]\nbaseline = "ci/known.json"\n', 1
        )
    )
    code, _, err = run(["check"], capsys)
    assert code == 2
    assert "the baseline file" in err and "ci/known.json does not exist" in err
    assert "Traceback" not in err

    assert run(["baseline"], capsys)[0] == 0
    assert (shop / "ci/known.json").is_file()
    assert run(["check"], capsys)[0] == 0


def test_cli_corrupt_baseline_exits_2(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (shop / "fitness-baseline.json").write_text('{"version": 2, "rules": [}\n')
    code, _, err = run(["check"], capsys)
    assert code == 2
    assert "fitness-baseline.json:1: corrupt baseline (invalid JSON" in err
    # `fitness baseline` regenerates it.
    assert run(["baseline"], capsys)[0] == 0
    assert run(["check"], capsys)[0] == 0


def test_cli_baseline_records_the_values_of_a_metrics_rule(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(
        shop / "pyproject.toml",
        """
        [[tool.fitness.rules]]
        name = "Coupling budget"
        type = "metrics"
        max_propagation_cost = 1.0
        """,
    )
    code, _, err = run(["baseline"], capsys)
    assert code == 0, err
    recorded = json.loads((shop / "fitness-baseline.json").read_text())["rules"]["Coupling budget"]
    assert "system: propagation_cost" in recorded["metrics"]
    assert run(["check"], capsys)[0] == 0


def test_unknown_key_near_baseline_gets_a_suggestion(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = shop / "pyproject.toml"
    config.write_text(
        config.read_text().replace("[tool.fitness]\n", '[tool.fitness]\nbaselin = "x.json"\n', 1)
    )
    code, _, err = run(["check"], capsys)
    assert code == 2
    assert "did you mean 'baseline'?" in err
