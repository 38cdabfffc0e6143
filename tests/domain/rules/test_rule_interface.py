"""The one interface of every rule type: findings carry details and guidance, the
verdict is made in one place, and a baseline's effect is a typed record."""

from __future__ import annotations

import dataclasses
import json

from fitness import AcyclicRule, MetricsRule, modules
from fitness.adapters.reporters import ReportContext, render
from fitness.adapters.reporters.context import known_count, stale_entries
from fitness.adapters.reporters.json_report import result_from_data, result_to_data
from fitness.adapters.reporters.text import baseline_note
from fitness.domain.baseline import Baseline, apply_baseline
from fitness.domain.baseline_summary import BaselineEntry, BaselineSummary
from fitness.domain.rules.base import Findings
from fitness.domain.violations import RuleResult, Violation
from tests.helpers import fake_graph

# Two slices in one knot of three cycles: a <-> b, b <-> c, a -> b -> c -> a.
KNOT = fake_graph(
    """
    app.a -> app.b
    app.b -> app.a
    app.b -> app.c
    app.c -> app.b
    app.c -> app.a
    """
)


def test_the_fluent_and_the_declared_acyclic_rules_give_the_same_violations() -> None:
    declared = AcyclicRule(name="acyclic", modules=("app",)).result(KNOT)
    fluent = modules("app.*").should_be_acyclic().result(KNOT)

    assert fluent.violations == declared.violations
    assert [v.summary for v in fluent.violations] == [
        "import cycle: app.a -> app.b -> app.a",
        "import cycle: app.a -> app.b -> app.c -> app.a",
        "import cycle: app.b -> app.c -> app.b",
    ]
    assert fluent.details["cycle_breakers"] == declared.details["cycle_breakers"]


def test_the_fluent_acyclic_rule_names_the_imports_that_break_every_cycle() -> None:
    result = modules("app.*").should_be_acyclic().result(KNOT)

    assert result.guidance.splitlines()[0] == (
        "Break each cycle: move what both sides need into a lower module, or invert one "
        "dependency with an interface."
    )
    assert result.guidance.splitlines()[1].endswith("would break every cycle (nominated by grimp):")


def test_a_rule_types_findings_carry_its_details_and_guidance_into_the_result() -> None:
    findings = AcyclicRule(name="acyclic", modules=("app",)).evaluate(KNOT)
    result = AcyclicRule(name="acyclic", modules=("app",)).result(KNOT)

    assert result.details == dict(findings.details)
    assert result.guidance == findings.guidance
    assert "would break every cycle" in findings.guidance


def test_without_guidance_of_its_own_a_result_shows_the_rules_guidance() -> None:
    graph = fake_graph("app.a -> app.b\napp.c")
    rule = AcyclicRule(name="acyclic", modules=("app",), broken_contract_guidance="Ask Ann.")

    assert rule.evaluate(graph).guidance == ""
    assert rule.result(graph).guidance == "Ask Ann."
    assert rule.result(graph).details == {"cycle_breakers": []}


def test_the_metrics_rule_keeps_no_state_between_graphs() -> None:
    rule = MetricsRule(name="budget", depth=2, max_instability=0.5)
    unstable = fake_graph("app.a -> app.b\napp.b")
    stable = fake_graph("app.a\napp.b")

    first = rule.result(unstable)
    second = rule.result(stable)

    assert [f.name for f in dataclasses.fields(rule) if not f.init] == []
    assert [b["subject"] for b in first.details["breaches"]] == ["app.a"]  # type: ignore[attr-defined]
    assert second.details["breaches"] == []
    assert rule.evaluate(unstable).details == first.details


def _baselined() -> RuleResult:
    known = Violation("a.low", "a.high", "a.low is not allowed to import a.high")
    new = Violation("a.mid", "a.high", "a.mid is not allowed to import a.high")
    gone = Violation("a.old", "a.high", "a.old is not allowed to import a.high")
    baseline = Baseline.from_results(
        [RuleResult("layers", "Layers", violations=(known, gone), rule_type="layers")]
    )
    now = RuleResult("layers", "Layers", violations=(known, new), rule_type="layers")
    return apply_baseline(now, baseline, strict=False).result


def test_a_baseline_leaves_a_typed_summary_on_the_result() -> None:
    result = _baselined()

    assert result.baseline == BaselineSummary(
        known=1,
        known_chains=0,
        fixed=(BaselineEntry("layers", "a.old", "a.high"),),
        strict=False,
    )
    assert known_count(result) == 1
    assert stale_entries(result) == [("a.old", "a.high")]
    assert baseline_note(result) == "1 known violation in the baseline"
    assert "baseline" not in result.details


def test_a_baselined_result_round_trips_through_json() -> None:
    result = _baselined()

    data = json.loads(json.dumps(result_to_data(result)))
    back = result_from_data(data)

    assert back == result
    assert back.baseline == result.baseline
    assert back.details == result.details
    assert data["details"]["baseline"] == {
        "known": 1,
        "known_chains": 0,
        "stale": [
            {
                "rule": "layers",
                "importer": "a.old",
                "imported": "a.high",
                "first": "",
                "last": "",
                "direct": False,
            }
        ],
        "strict": False,
    }


def test_a_result_without_a_baseline_has_none_in_json_either() -> None:
    result = AcyclicRule(name="acyclic", modules=("app",)).result(KNOT)

    back = result_from_data(json.loads(json.dumps(result_to_data(result))))

    assert back.baseline is None
    assert back.details == {"cycle_breakers": [list(p) for p in result.details["cycle_breakers"]]}  # type: ignore[attr-defined]
    report = json.loads(render("json", [result], ReportContext(config_file="pyproject.toml")))
    assert "baseline" not in report["rules"][0]["details"]


def test_findings_default_to_no_details_and_no_guidance() -> None:
    assert Findings() == Findings.of([])
    assert dict(Findings().details) == {}
    assert Findings().guidance == ""


def test_the_domain_packages_do_not_import_each_other_in_a_cycle() -> None:
    """The fluent modules (selection, conditions, rule) and the rule types build on each
    other in one direction only."""
    from pathlib import Path

    from fitness import AcyclicSiblingsRule
    from fitness.adapters.packages import GrimpGraphBuilder
    from fitness.domain.config import GraphSettings

    root = Path(__file__).parents[3]
    graph = GrimpGraphBuilder(root).build(GraphSettings(root_packages=("fitness",)))
    rule = AcyclicSiblingsRule(name="domain", ancestors=("fitness.domain",))

    assert [v.summary for v in rule.result(graph).violations] == []


def test_every_import_rule_type_lists_the_ignore_options_after_its_own() -> None:
    from fitness.adapters.config.plugins import load_rule_types
    from fitness.domain.options import option_infos
    from fitness.domain.rules.support import IgnoringRule

    classes = [info.rule_class for info in load_rule_types([], None)]
    builtin = [c for c in classes if c.__module__.startswith("fitness.")]
    ignoring = sorted(c.type_name for c in builtin if issubclass(c, IgnoringRule))

    assert ignoring == [
        "acyclic",
        "acyclic_siblings",
        "bounded_contexts",
        "clean_architecture",
        "cqrs",
        "dependencies",
        "event_driven",
        "forbidden",
        "hexagonal",
        "independence",
        "layers",
        "modular_monolith",
        "onion",
        "private_modules",
        "protected",
        "strangler_fig",
    ]
    for cls in classes:
        if issubclass(cls, IgnoringRule):
            names = [info.name for info in option_infos(cls)]
            assert names[-2:] == ["ignore_imports", "unmatched_ignore_imports_alerting"], cls
