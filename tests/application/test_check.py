"""Checking a project: rule selection, the baseline, warnings and notes, on fake ports."""

from __future__ import annotations

import dataclasses

import pytest

from fitness.application.check import check_project, select_rules, verdict
from fitness.application.checking import check_rule
from fitness.domain.baseline import Baseline
from fitness.domain.errors import FitnessError
from fitness.domain.rules import ForbiddenRule, LayersRule
from fitness.domain.source_facts import DynamicImport
from tests.application.fakes import FakeProject
from tests.helpers import fake_graph

GRAPH = """
    app.api.views -> app.domain.model
    app.domain.model -> app.api.views
    app.domain.money
"""

LAYERS = LayersRule(name="Layers", layers=("app.api", "app.domain"))
NO_API = ForbiddenRule(
    name="Domain without api", source_modules=("app.domain",), forbidden_modules=("app.api",)
)


def test_every_rule_is_checked_once_against_one_graph() -> None:
    project = FakeProject(fake_graph(GRAPH), (LAYERS, NO_API))
    outcome = check_project(project)
    assert [r.rule_name for r in outcome.results] == ["Layers", "Domain without api"]
    assert outcome.broken and not outcome.failed
    assert project.graphs_built == 1
    assert outcome.warnings == [] and outcome.notes == []


def test_a_project_without_rules_has_nothing_to_check() -> None:
    with pytest.raises(FitnessError) as raised:
        check_project(FakeProject(fake_graph(GRAPH)))
    assert str(raised.value).startswith(
        "project/pyproject.toml: no rules to check: declare [[tool.fitness.rules]]"
    )


def test_rule_patterns_select_rules_in_configuration_order() -> None:
    rules = (LAYERS, NO_API)
    assert select_rules(rules, ["Domain*", "Layers"]) == (LAYERS, NO_API)
    assert select_rules(rules, []) == rules
    project = FakeProject(fake_graph(GRAPH), rules)
    outcome = check_project(project, patterns=["Dom*"])
    assert [r.rule_name for r in outcome.results] == ["Domain without api"]


def test_a_pattern_matching_no_rule_names_the_closest() -> None:
    with pytest.raises(FitnessError) as raised:
        select_rules((LAYERS, NO_API), ["Layer"])
    assert str(raised.value) == (
        "--rule 'Layer' matches no rule; did you mean 'Layers'? "
        "(the rules: 'Layers', 'Domain without api')"
    )


def test_a_pattern_matching_no_rule_is_refused_before_the_graph_is_built() -> None:
    project = FakeProject(fake_graph(GRAPH), (LAYERS,))
    with pytest.raises(FitnessError):
        check_project(project, patterns=["nothing"])
    assert project.graphs_built == 0 and project.baselines_read == 0


def test_violations_the_baseline_knows_pass_and_the_rest_still_fail() -> None:
    graph = fake_graph(GRAPH)
    found = check_rule(LAYERS, graph)
    project = FakeProject(graph, (LAYERS, NO_API), baseline=Baseline.from_results([found]))
    outcome = check_project(project)
    layers, no_api = outcome.results
    assert layers.passed and layers.rule_name == "Layers"
    assert not no_api.passed
    assert [len(r.violations) for r in outcome.found] == [1, 1]


def test_without_the_baseline_every_violation_fails() -> None:
    graph = fake_graph(GRAPH)
    baseline = Baseline.from_results([check_rule(LAYERS, graph)])
    project = FakeProject(graph, (LAYERS,), baseline=baseline)
    outcome = check_project(project, use_baseline=False)
    assert not outcome.results[0].passed
    assert project.baselines_read == 0


def test_a_strict_baseline_fails_a_rule_whose_entries_are_fixed() -> None:
    broken = fake_graph(GRAPH)
    baseline = Baseline.from_results([check_rule(LAYERS, broken)])
    fixed = fake_graph("app.api.views -> app.domain.model")
    lenient = check_project(FakeProject(fixed, (LAYERS,), baseline=baseline))
    strict = check_project(FakeProject(fixed, (LAYERS,), baseline=baseline), strict=True)
    assert lenient.results[0].passed
    assert not strict.results[0].passed


def test_a_baseline_naming_a_rule_that_is_gone_is_a_warning() -> None:
    graph = fake_graph(GRAPH)
    baseline = Baseline.from_results([check_rule(NO_API, graph)])
    outcome = check_project(FakeProject(graph, (LAYERS,), baseline=baseline))
    assert outcome.warnings == [
        "the baseline has entries for 'Domain without api', which is not a rule any more; "
        "update the baseline to drop them"
    ]


def test_a_run_of_selected_rules_does_not_call_the_others_gone() -> None:
    graph = fake_graph(GRAPH)
    baseline = Baseline.from_results([check_rule(NO_API, graph)])
    project = FakeProject(graph, (LAYERS, NO_API), baseline=baseline)
    assert check_project(project, patterns=["Layers"]).warnings == []


def test_main_block_imports_left_out_are_noted() -> None:
    graph = fake_graph(GRAPH)
    graph.main_block_imports = tuple(
        DynamicImport("app.api.views", "app/api/views.py", line, "import app.domain")
        for line in (3, 4, 5, 6)
    )
    outcome = check_project(FakeProject(graph, (LAYERS,)))
    assert outcome.notes == [
        '4 imports under if __name__ == "__main__" left out of the graph '
        "(exclude_main_block_imports): app/api/views.py:3, app/api/views.py:4, "
        "app/api/views.py:5 and 1 more"
    ]


def test_while_updating_the_baseline_nothing_fails_but_what_was_found_is_kept() -> None:
    found = check_rule(LAYERS, fake_graph(GRAPH))
    reported = verdict(found, None, updating=True)
    assert reported.passed and reported.violations == ()
    assert found.violations  # what the rule found is left as it was, for the baseline


def test_without_a_baseline_the_verdict_is_what_the_rule_found() -> None:
    found = check_rule(LAYERS, fake_graph(GRAPH))
    assert verdict(found, None) is found


def test_a_misspelt_start_of_a_long_rule_name_names_that_rule() -> None:
    long_name = dataclasses.replace(LAYERS, name="Layers of the shop")
    with pytest.raises(FitnessError) as raised:
        select_rules((long_name, NO_API), ["Layerd"])
    assert str(raised.value) == (
        "--rule 'Layerd' matches no rule; did you mean 'Layers of the shop'? "
        "(the rules: 'Layers of the shop', 'Domain without api')"
    )
    with pytest.raises(FitnessError) as raised:
        select_rules((long_name, NO_API), ["zzz"])
    assert "did you mean" not in str(raised.value)
