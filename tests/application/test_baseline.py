"""Updating the baseline from a full run and from a pytest session, on fake ports."""

from __future__ import annotations

import pytest

from fitness.application.baseline import record_all, record_checked
from fitness.application.checking import check_rule
from fitness.domain.baseline import Baseline
from fitness.domain.errors import ConfigError
from fitness.domain.rules import ForbiddenRule, LayersRule
from fitness.domain.violations import RuleResult
from tests.application.fakes import FakeBaselineStore, FakeProject
from tests.helpers import fake_graph

GRAPH = """
    app.api.views -> app.domain.model
    app.domain.model -> app.api.views
"""

LAYERS = LayersRule(name="Layers", layers=("app.api", "app.domain"))
NO_API = ForbiddenRule(
    name="Domain without api", source_modules=("app.domain",), forbidden_modules=("app.api",)
)
MISSING = LayersRule(name="Missing", layers=("app.api", "app.nowhere"))


def fluent_baseline(name: str = "tests/test_arch.py::test_domain") -> Baseline:
    found = check_rule(NO_API, fake_graph(GRAPH))
    renamed = RuleResult(rule_name=name, description=found.description, violations=found.violations)
    return Baseline.from_results([renamed], fluent=[name])


def test_a_full_run_records_every_violation_of_every_rule() -> None:
    store = FakeBaselineStore()
    update = record_all(FakeProject(fake_graph(GRAPH), (LAYERS, NO_API)), store)
    assert update.written is not None and update.written == store.content
    assert update.written.rules == {"Layers", "Domain without api"}
    assert update.written.violation_count == 2
    assert store.writes == [False]  # replaced whole, not merged


def test_a_full_run_keeps_the_entries_of_rules_checked_in_test_code() -> None:
    kept = fluent_baseline()
    store = FakeBaselineStore(kept.merged(Baseline.from_results([])))
    update = record_all(FakeProject(fake_graph(GRAPH), (LAYERS,)), store)
    assert update.written is not None
    assert update.written.rules == {"Layers", "tests/test_arch.py::test_domain"}
    assert update.written.fluent == {"tests/test_arch.py::test_domain"}


def test_a_full_run_forgets_rules_that_no_longer_exist() -> None:
    gone = Baseline.from_results([check_rule(NO_API, fake_graph(GRAPH))])
    store = FakeBaselineStore(gone)
    update = record_all(FakeProject(fake_graph(GRAPH), (LAYERS,)), store)
    assert update.written is not None and update.written.rules == {"Layers"}


def test_an_unreadable_baseline_is_replaced_whole_by_a_full_run() -> None:
    store = FakeBaselineStore(corrupt=True)
    update = record_all(FakeProject(fake_graph(GRAPH), (LAYERS,)), store)
    assert update.written is not None and update.written.rules == {"Layers"}


def test_nothing_is_written_while_a_rule_cannot_be_checked() -> None:
    store = FakeBaselineStore()
    update = record_all(FakeProject(fake_graph(GRAPH), (LAYERS, MISSING)), store)
    assert update.written is None and store.writes == []
    assert [r.rule_name for r in update.errors] == ["Missing"]


def test_a_file_that_must_not_be_replaced_is_refused_before_the_graph_is_built() -> None:
    project = FakeProject(fake_graph(GRAPH), (LAYERS,))
    store = FakeBaselineStore(refuse=True)
    with pytest.raises(ConfigError, match="is the configuration file"):
        record_all(project, store)
    assert project.graphs_built == 0 and store.writes == []


def test_a_session_merges_what_it_checked_and_keeps_the_rules_it_did_not_run() -> None:
    graph = fake_graph(GRAPH)
    old = Baseline.from_results([check_rule(NO_API, graph)])
    store = FakeBaselineStore(old)
    new, checked = record_checked(
        store, [check_rule(LAYERS, graph)], ["Layers", "Domain without api"]
    )
    assert checked == 1 and store.writes == [True]
    assert new.rules == {"Layers", "Domain without api"}


def test_a_session_records_rules_checked_in_test_code_as_such() -> None:
    graph = fake_graph(GRAPH)
    found = check_rule(NO_API, graph)
    in_code = RuleResult(
        rule_name="tests/test_arch.py::test_domain",
        description=found.description,
        violations=found.violations,
    )
    new, checked = record_checked(FakeBaselineStore(), [], ["Layers"], [in_code])
    assert checked == 1
    assert new.fluent == {"tests/test_arch.py::test_domain"}


def test_a_session_leaves_out_results_with_errors() -> None:
    graph = fake_graph(GRAPH)
    new, checked = record_checked(
        FakeBaselineStore(), [check_rule(LAYERS, graph), check_rule(MISSING, graph)], ["Layers"]
    )
    assert checked == 1 and new.rules == {"Layers"}


def test_a_session_drops_the_entries_of_rules_that_are_gone() -> None:
    graph = fake_graph(GRAPH)
    old = Baseline.from_results([check_rule(NO_API, graph)])
    new, _ = record_checked(FakeBaselineStore(old), [check_rule(LAYERS, graph)], ["Layers"])
    assert new.rules == {"Layers"}
