"""What a rule reports besides its violations is typed: a migration's progress, the
measurements a baseline ratchets, the dependencies no baseline forgives, the imports
that break every cycle; a measurement worse than the baseline is a MetricRegression.
``details`` shows them as plain data, as the JSON report always has."""

from __future__ import annotations

import json
from dataclasses import dataclass

from fitness import AcyclicRule, MetricsRule, Rule
from fitness.adapters.reporters.json_report import result_from_data, result_to_data
from fitness.domain.baseline import Baseline, apply_baseline
from fitness.domain.baseline_summary import BaselineEntry
from fitness.domain.graph import ProjectGraph
from fitness.domain.measurements import Measurement, Measurements
from fitness.domain.progress import MigrationProgress
from fitness.domain.rules.base import Findings
from fitness.domain.rules.styles.strangler_fig import StranglerFigRule
from fitness.domain.violations import MetricRegression, RuleResult, Violation
from tests.helpers import fake_graph

KNOT = fake_graph("app.a -> app.b\napp.b -> app.a\napp.c")


def test_a_metric_worse_than_the_baseline_is_a_metric_regression_with_its_numbers() -> None:
    found = MetricsRule(name="budget", max_propagation_cost=1.0).result(KNOT)
    cost = found.measurements.by_name()["system: propagation_cost"]  # type: ignore[union-attr]
    assert cost == Measurement("system", "propagation_cost", 0.25)
    baseline = Baseline(metrics={"budget": {"system: propagation_cost": 0.125}})

    outcome = apply_baseline(found, baseline)

    (regression,) = outcome.result.violations
    assert isinstance(regression, MetricRegression)
    assert (regression.subject, regression.metric) == ("system", "propagation_cost")
    assert (regression.recorded, regression.value) == (0.125, 0.25)
    assert regression.name == "system: propagation_cost"
    assert (regression.importer, regression.imported) == ("budget", "")
    assert regression.summary == (
        "system: propagation_cost got worse than the baseline: 0.25 (recorded 0.125)"
    )
    assert outcome.regressions == (regression,)


def test_higher_is_better_for_cohesion_and_modularity_only() -> None:
    measured = MetricsRule(name="budget", max_propagation_cost=1.0).result(KNOT).measurements
    assert measured is not None
    directions = {m.metric: m.higher_is_better for m in measured.values}
    assert directions == {
        "largest_cycle_group": False,
        "modularity": True,
        "normalized_cumulative_component_dependency": False,
        "propagation_cost": False,
    }
    recorded = {"system: modularity": -0.25, "system: largest_cycle_group": 2}
    outcome = apply_baseline(
        MetricsRule(name="budget", max_propagation_cost=1.0).result(KNOT),
        Baseline(metrics={"budget": recorded}),
    )
    assert [v.name for v in outcome.regressions] == ["system: modularity"]  # -0.5 < -0.25


def test_apply_baseline_reads_typed_fields_without_details() -> None:
    never = Violation("app.new.x", "app.old", "the replacement imports the legacy code")
    known = Violation("app.web", "app.old", "app.web imports the legacy code")
    progress = MigrationProgress("app.old", "app.new", 1, 1, backlog={"app.web": ("app.old",)})
    found = RuleResult(
        "fig",
        "Strangler fig",
        (never, known),
        progress=progress,
        not_baselined=frozenset({("app.new.x", "app.old")}),
    )
    baseline = Baseline.from_results([found])
    assert baseline.entries == {BaselineEntry("fig", "app.web", "app.old")}  # never recorded

    reported = apply_baseline(found, baseline).result

    assert reported.violations == (never,)
    assert reported.progress == MigrationProgress("app.old", "app.new", 1, 1, 1, 1, 0, 0, 0, 0)
    assert reported.progress.backlog == {"app.web": ("app.old",)}
    assert reported.details["progress"]["recorded_imports"] == 1  # type: ignore[index]
    assert list(reported.details) == ["progress", "legacy_importers", "not_baselined"]


def test_a_strangler_figs_findings_are_typed() -> None:
    rule = StranglerFigRule(name="fig", legacy="app.legacy", replacement="app.billing")
    graph = fake_graph(
        """
        app.web.views -> app.legacy.tax
        app.web.views -> app.legacy.db
        app.billing.invoice -> app.legacy.db
        """
    )
    result = rule.result(graph)

    assert result.progress == MigrationProgress("app.legacy", "app.billing", 1, 2)
    assert result.progress.backlog == {"app.web.views": ("app.legacy.db", "app.legacy.tax")}
    assert result.not_baselined == frozenset({("app.billing.invoice", "app.legacy")})
    assert result.details["not_baselined"] == [["app.billing.invoice", "app.legacy"]]


def test_the_cycle_breakers_are_typed() -> None:
    result = AcyclicRule(name="acyclic", modules=("app",)).result(KNOT)
    assert result.cycle_breakers == (("app.b", "app.a"),)
    assert result.details["cycle_breakers"] == [("app.b", "app.a")]
    assert (
        AcyclicRule(name="acyclic", modules=("app",))
        .result(fake_graph("app.a -> app.b\napp.c"))
        .cycle_breakers
        == ()
    )
    assert RuleResult("other", "a rule that breaks no cycle").cycle_breakers is None


@dataclass(frozen=True, kw_only=True)
class _Counting(Rule):
    """A plugin's rule type of the old kind: what it measured in ``details``."""

    type_name = "counting"

    def describe(self) -> str:
        return "Modules are counted"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        figures = {"modules": len(graph.modules), "cohesion": 1.5}
        return Findings.of(
            [], details={"own": [1, 2], "metrics": figures, "better": {"cohesion": "higher"}}
        )


def test_a_plugins_details_keep_working_and_its_metrics_are_ratcheted() -> None:
    result = _Counting(name="count").result(KNOT)

    assert result.details == {
        "own": [1, 2],
        "metrics": {"modules": 4, "cohesion": 1.5},
        "better": {"cohesion": "higher"},
    }
    assert result.measurements == Measurements(
        (Measurement("", "cohesion", 1.5, True), Measurement("", "modules", 4.0))
    )
    worse = apply_baseline(result, Baseline(metrics={"count": {"cohesion": 2.0, "modules": 4}}))
    assert [v.summary for v in worse.result.violations] == [
        "cohesion got worse than the baseline: 1.5 (recorded 2)"
    ]


@dataclass(frozen=True, kw_only=True)
class _Measuring(Rule):
    """A plugin's rule type of the new kind: typed measurements."""

    type_name = "measuring"

    def describe(self) -> str:
        return "Fan-in is measured"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        measured = Measurements.of({"fan_in": 3, "reuse": 0.5}, higher_is_better=["reuse"])
        return Findings.of([], details={"own": "data"}, measurements=measured)


def test_typed_measurements_show_in_details_and_survive_json() -> None:
    result = _Measuring(name="fan").result(KNOT)

    assert result.details == {
        "metrics": {"fan_in": 3.0, "reuse": 0.5},
        "better": {"fan_in": "lower", "reuse": "higher"},
        "own": "data",
    }
    back = result_from_data(json.loads(json.dumps(result_to_data(result))))
    assert back.measurements == result.measurements
    assert Baseline.from_results([back]).metrics == {"fan": {"fan_in": 3.0, "reuse": 0.5}}


def test_the_metrics_rule_states_its_measurements_once_in_details() -> None:
    result = MetricsRule(name="budget", max_propagation_cost=1.0).result(KNOT)
    assert list(result.details) == ["depth", "include_external", "packages", "system", "breaches"]
    back = result_from_data(json.loads(json.dumps(result_to_data(result))))
    assert back.measurements == result.measurements


def test_typed_fields_come_before_the_rules_own_data_and_suppressed_imports_after() -> None:
    result = RuleResult(
        "r",
        "a rule",
        details={"own": 1},
        cycle_breakers=(("a.x", "a.y"),),
        suppressed_imports=(("a.z", "a.x"),),
        not_baselined=frozenset({("a.x", "b")}),
    )
    assert list(result.details) == ["not_baselined", "cycle_breakers", "own", "suppressed_imports"]
    again = RuleResult("r", "a rule", details=result.details)  # read back from plain data
    assert again.cycle_breakers == (("a.x", "a.y"),)
    assert again.suppressed_imports == (("a.z", "a.x"),)
    assert again.not_baselined == frozenset({("a.x", "b")})
