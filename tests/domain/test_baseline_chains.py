"""The baseline holds violations import by import: a known violation between two layers
must not let a new import between the same layers pass (issue: the gate could be bypassed)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from fitness.cli import main
from fitness.domain.baseline import Baseline, apply_baseline
from fitness.domain.baseline_summary import BaselineEntry
from fitness.domain.violations import Chain, Link, RuleResult, Violation
from tests.helpers import append

PRICING_UP = "from shop.application.place_order import PlaceOrder  # reaching up\n"
MONEY_UP = "from shop.application.ports import OrderRepository  # reaching up too\n"


def chain(*modules: str, line: int = 1) -> Chain:
    return Chain(
        tuple(
            Link(a, b, (line,), a.replace(".", "/") + ".py", f"import {b}")
            for a, b in itertools.pairwise(modules)
        )
    )


def layers(*chains: Chain) -> RuleResult:
    """A layers rule's result: one violation (low -> high) made by these chains."""
    summary = "app.low is not allowed to import app.high"
    violation = Violation("app.low", "app.high", summary, chains)
    return RuleResult("layers", "layered", (violation,) if chains else ())


# Matching, chain by chain ---------------------------------------------------------------


def test_a_new_chain_between_layers_that_have_a_known_violation_fails() -> None:
    baseline = Baseline.from_results([layers(chain("app.low.a", "app.high.x"))])

    outcome = apply_baseline(
        layers(chain("app.low.a", "app.high.x"), chain("app.low.b", "app.high.y")), baseline
    )

    assert [str(c) for v in outcome.result.violations for c in v.chains] == [
        "app.low.b -> app.high.y"
    ]
    assert outcome.known == ()
    assert outcome.known_chains == 1
    assert outcome.result.baseline is not None
    assert outcome.result.baseline.known_chains == 1


def test_a_known_chain_that_reroutes_while_its_ends_stay_still_matches() -> None:
    baseline = Baseline.from_results([layers(chain("app.low.a", "app.util", "app.high.x"))])

    outcome = apply_baseline(layers(chain("app.low.a", "app.other", "app.high.x")), baseline)

    assert outcome.result.passed
    assert len(outcome.known) == 1


def test_a_known_direct_import_that_becomes_indirect_still_matches() -> None:
    baseline = Baseline.from_results([layers(chain("app.low.a", "app.high.x"))])
    outcome = apply_baseline(layers(chain("app.low.a", "app.util", "app.high.x")), baseline)
    assert outcome.result.passed


def test_a_new_direct_import_where_only_an_indirect_chain_was_known_is_new() -> None:
    baseline = Baseline.from_results([layers(chain("app.low.a", "app.util", "app.high.x"))])

    outcome = apply_baseline(
        layers(chain("app.low.a", "app.high.x"), chain("app.low.a", "app.util", "app.high.x")),
        baseline,
    )

    assert [str(c) for v in outcome.result.violations for c in v.chains] == [
        "app.low.a -> app.high.x"
    ]


def test_line_numbers_never_matter() -> None:
    baseline = Baseline.from_results([layers(chain("app.low.a", "app.high.x", line=3))])
    outcome = apply_baseline(layers(chain("app.low.a", "app.high.x", line=90)), baseline)
    assert outcome.result.passed


def test_every_head_and_tail_of_a_route_is_an_entry_of_its_own() -> None:
    route = Chain(
        chain("app.low.a", "app.util", "app.high.x").links,
        extra_firsts=(Link("app.low.b", "app.util"),),
    )
    assert Baseline.from_results([layers(route)]).entries == {
        BaselineEntry("layers", "app.low", "app.high", "app.low.a", "app.high.x"),
        BaselineEntry("layers", "app.low", "app.high", "app.low.b", "app.high.x"),
    }
    # A route that grows a new head is a new chain.
    known = Baseline.from_results([layers(chain("app.low.a", "app.util", "app.high.x"))])
    assert not apply_baseline(layers(route), known).result.passed


def test_a_fixed_chain_is_reported_as_fixed() -> None:
    baseline = Baseline.from_results(
        [layers(chain("app.low.a", "app.high.x"), chain("app.low.b", "app.high.y"))]
    )

    outcome = apply_baseline(layers(chain("app.low.a", "app.high.x")), baseline)

    assert outcome.result.passed
    assert outcome.stale == (
        BaselineEntry("layers", "app.low", "app.high", "app.low.b", "app.high.y", True),
    )
    assert outcome.result.warnings == (
        "fixed: app.low.b -> app.high.y (app.low -> app.high) is no longer a violation but is "
        "still in the baseline; update the baseline to drop it",
    )


# On the shop example, as a user would run it ----------------------------------------------


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_second_import_up_the_layers_fails_next_to_a_known_one(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(shop / "shop/domain/pricing.py", PRICING_UP)
    assert run(["baseline"], capsys)[0] == 0
    assert run(["check"], capsys)[0] == 0

    append(shop / "shop/domain/money.py", MONEY_UP)
    code, out, _ = run(["check"], capsys)

    assert code == 1
    assert "BROKEN Layered architecture (1 known violation in the baseline)" not in out
    assert "BROKEN Layered architecture" in out
    assert "shop.domain.money -> shop.application.ports" in out
    assert "shop.domain.pricing -> shop.application.place_order" not in out


def test_moving_code_keeps_a_known_import_matched(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pricing = shop / "shop/domain/pricing.py"
    append(pricing, PRICING_UP)
    run(["baseline"], capsys)

    pricing.write_text("\n\n# moved down\n" + pricing.read_text())

    code, out, _ = run(["check", "--strict-baseline"], capsys)
    assert code == 0, out
    assert "KEPT   Layered architecture (1 known violation in the baseline)" in out


def test_a_baseline_of_format_1_is_refused_and_can_be_regenerated(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(shop / "shop/domain/pricing.py", PRICING_UP)
    old = {
        "version": 1,
        "tool": "pytest-fitness",
        "rules": {
            "Layered architecture": {
                "violations": [{"importer": "shop.domain", "imported": "shop.application"}]
            }
        },
    }
    path = shop / "fitness-baseline.json"
    path.write_text(json.dumps(old))

    code, out, err = run(["check"], capsys)

    assert code == 2
    assert out == ""
    assert err == (
        f"fitness: error: {path}: corrupt baseline: this baseline was written by an earlier "
        "version of pytest-fitness (format 1), which recorded violations only by their pair of "
        "layers or packages and so let new imports between them pass; regenerate it with "
        "`fitness baseline` (or `pytest --fitness-update-baseline`) and review the diff\n"
    )
    assert json.loads(path.read_text()) == old  # untouched

    assert run(["baseline"], capsys)[0] == 0
    assert json.loads(path.read_text())["version"] == 2
    assert run(["check"], capsys)[0] == 0


def test_pytest_migrates_a_baseline_of_format_1_when_updating(
    pytester: pytest.Pytester, shop: Path
) -> None:
    append(shop / "shop/domain/pricing.py", PRICING_UP)
    path = shop / "fitness-baseline.json"
    path.write_text('{"version": 1, "rules": {"Layered architecture": {"violations": []}}}')

    refused = pytester.runpytest("-p", "no:cacheprovider")
    assert refused.ret == pytest.ExitCode.TESTS_FAILED  # one failing configuration item
    refused.stdout.fnmatch_lines(["*written by an earlier version of pytest-fitness (format 1)*"])

    updated = pytester.runpytest("-p", "no:cacheprovider", "--fitness-update-baseline")
    assert updated.ret == 0, updated.stdout.str()
    assert json.loads(path.read_text())["version"] == 2

    append(shop / "shop/domain/money.py", MONEY_UP)
    broken = pytester.runpytest("-p", "no:cacheprovider", "-k", "Layered")
    broken.assert_outcomes(failed=1)
    broken.stdout.fnmatch_lines(["*shop.domain.money -> shop.application.ports*"])


# Rules checked in test code (the fluent API) under pytest ----------------------------------

FLUENT_TESTS = """
from fitness import modules


def test_domain_is_pure(fitness_graph):
    modules("shop.domain").should_not_import("shop.application").check(fitness_graph)


def test_named(fitness_graph):
    (
        modules("shop.adapters.*")
        .should_be_independent()
        .named("Adapters stay apart")
        .check(fitness_graph)
    )
"""


def test_fluent_rules_take_part_in_the_baseline_and_the_report(
    pytester: pytest.Pytester, shop: Path
) -> None:
    (shop / "tests").mkdir(exist_ok=True)
    (shop / "tests/test_fluent_rules.py").write_text(FLUENT_TESTS)
    append(shop / "shop/domain/pricing.py", PRICING_UP)

    broken = pytester.runpytest("-p", "no:cacheprovider", "tests/test_fluent_rules.py")
    broken.assert_outcomes(passed=1, failed=1)

    updated = pytester.runpytest(
        "-p", "no:cacheprovider", "tests/test_fluent_rules.py", "--fitness-update-baseline"
    )
    updated.assert_outcomes(passed=2)
    data = json.loads((shop / "fitness-baseline.json").read_text())
    rule = data["rules"]["tests/test_fluent_rules.py::test_domain_is_pure"]
    assert rule["fluent"] is True
    assert rule["violations"][0]["chains"] == [
        {"first": "shop.domain.pricing", "last": "shop.application.place_order", "direct": True}
    ]

    # `fitness baseline` runs the configuration's rules only: it keeps the fluent entries.
    assert main(["baseline"]) == 0
    assert (
        "tests/test_fluent_rules.py::test_domain_is_pure"
        in json.loads((shop / "fitness-baseline.json").read_text())["rules"]
    )

    kept = pytester.runpytest(
        "-p", "no:cacheprovider", "tests/test_fluent_rules.py", "--fitness-report", "out.json"
    )
    kept.assert_outcomes(passed=2)
    report = json.loads((shop / "out.json").read_text())
    names = [r["rule"] for r in report["rules"]]
    assert names[-2:] == ["Adapters stay apart", "tests/test_fluent_rules.py::test_domain_is_pure"]

    append(shop / "shop/domain/money.py", MONEY_UP)
    again = pytester.runpytest("-p", "no:cacheprovider", "tests/test_fluent_rules.py")
    again.assert_outcomes(passed=1, failed=1)
    again.stdout.fnmatch_lines(["*shop.domain.money -> shop.application.ports*"])
    assert "shop.domain.pricing -> shop.application.place_order" not in again.stdout.str()


@pytest.mark.slow
def test_fluent_rules_take_part_under_xdist(pytester: pytest.Pytester, shop: Path) -> None:
    (shop / "tests").mkdir(exist_ok=True)
    (shop / "tests/test_fluent_rules.py").write_text(FLUENT_TESTS)
    append(shop / "shop/domain/pricing.py", PRICING_UP)

    updated = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-n", "2", "tests", "--fitness-update-baseline"
    )

    assert updated.ret == 0, updated.stdout.str()
    data = json.loads((shop / "fitness-baseline.json").read_text())
    assert "tests/test_fluent_rules.py::test_domain_is_pure" in data["rules"]
    check = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "tests")
    assert check.ret == 0, check.stdout.str()


def test_the_verdict_line_counts_known_chains_of_a_violation_with_new_ones(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    append(shop / "shop/domain/pricing.py", PRICING_UP)
    run(["baseline"], capsys)
    append(shop / "shop/domain/money.py", MONEY_UP)

    out = run(["check"], capsys)[1]

    assert "BROKEN Layered architecture (1 known chain in the baseline)" in out.splitlines()
