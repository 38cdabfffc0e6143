"""Measuring a project and gathering the HTML report's data, on fake ports."""

from __future__ import annotations

import pytest

from fitness.application.checking import check_rule
from fitness.application.metrics import compute_metrics
from fitness.application.report import build_report
from fitness.domain.baseline import Baseline
from fitness.domain.errors import FitnessError
from fitness.domain.rules import LayersRule
from tests.application.fakes import FakeProject
from tests.helpers import fake_graph

GRAPH = """
    app.api.views -> app.domain.model
    app.domain.model -> app.api.views
    app.domain.money
"""

LAYERS = LayersRule(name="Layers", layers=("app.api", "app.domain"))


def test_metrics_are_measured_per_package_at_the_depth_asked() -> None:
    steps: list[str] = []
    report = compute_metrics(FakeProject(fake_graph(GRAPH)), depth=2, say=steps.append)
    assert [p.package for p in report.packages] == ["app", "app.api", "app.domain"]
    assert steps == ["building the import graph", "reading classes", "measuring"]


def test_a_graph_without_packages_has_no_metrics() -> None:
    with pytest.raises(FitnessError) as raised:
        compute_metrics(FakeProject(fake_graph({}, roots=("app",))), depth=2)
    assert str(raised.value) == "no package at depth 2"


def test_the_report_shows_verdicts_with_the_baseline_and_what_was_found_without() -> None:
    graph = fake_graph(GRAPH)
    baseline = Baseline.from_results([check_rule(LAYERS, graph)])
    project = FakeProject(graph, (LAYERS,), baseline=baseline, roots=("app", "lib"))
    data = build_report(project, depth=2)
    assert data.title == "Architecture of app, lib"
    assert data.results[0].passed and not data.found[0].passed
    assert [p.package for p in data.metrics.packages] == ["app", "app.api", "app.domain"]
    assert project.graphs_built == 1


def test_a_project_without_rules_has_a_report_too() -> None:
    data = build_report(FakeProject(fake_graph(GRAPH)), depth=2, use_baseline=False)
    assert data.results == [] and data.metrics.packages


def test_the_report_lists_what_the_baseline_forgave_rule_by_rule() -> None:
    graph = fake_graph(GRAPH)
    baseline = Baseline.from_results([check_rule(LAYERS, graph)])
    data = build_report(FakeProject(graph, (LAYERS,), baseline=baseline), depth=2)
    forgiven = data.baselined()["Layers"]
    assert [str(chain) for v in forgiven for chain in v.chains] == [
        "app.domain.model -> app.api.views"
    ]
    unforgiven = build_report(FakeProject(graph, (LAYERS,)), depth=2, use_baseline=False)
    assert unforgiven.baselined() == {"Layers": ()}


def test_a_recorded_metric_is_better_worse_or_the_same_as_today() -> None:
    from fitness.application.report import MetricRatchet

    assert MetricRatchet("cycles", 3, 2, higher_is_better=False).change == "better"
    assert MetricRatchet("modularity", 0.5, 0.4, higher_is_better=True).change == "worse"
    assert MetricRatchet("cycles", 3, 3, higher_is_better=False).change == "same"


def test_progress_counts_the_baseline_entries_of_each_rule_and_those_fixed() -> None:
    graph = fake_graph(GRAPH)
    baseline = Baseline.from_results([check_rule(LAYERS, graph)])
    fixed_graph = fake_graph("app.api.views -> app.domain.model\napp.domain.money")
    data = build_report(FakeProject(fixed_graph, (LAYERS,), baseline=baseline), depth=2)
    assert [(p.rule, p.recorded, p.fixed) for p in data.progress()] == [("Layers", 1, 1)]
    assert build_report(FakeProject(graph, (LAYERS,)), depth=2).progress() == ()
