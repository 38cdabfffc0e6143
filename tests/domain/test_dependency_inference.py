"""``fitness init`` proposes the ``dependencies`` rule that holds today."""

from __future__ import annotations

from fitness.domain.inference import Proposal, to_toml
from fitness.domain.inference.dependencies import propose_dependencies, with_dependencies
from fitness.domain.rules import builtin_rule_types
from tests.domain.rules.test_dependencies import (
    DECLARED,
    ENVIRONMENT,
    FakeMetadata,
    dependency,
    graph_of,
)
from tests.helpers import fake_graph

RULE_TYPES = {cls.type_name: cls for cls in builtin_rule_types()}


def test_a_project_whose_dependencies_hold_gets_the_rule() -> None:
    graph = graph_of("", FakeMetadata(DECLARED, ENVIRONMENT))
    rule, note = propose_dependencies(graph, RULE_TYPES)
    assert rule is not None
    # every package of shop reaches a distribution today (the domain through shop.util)
    assert (rule.raw(), note) == ({"name": "Third-party dependencies", "type": "dependencies"}, "")


def test_packages_that_use_no_distribution_today_are_kept_so() -> None:
    graph = graph_of("shop.clock -> datetime", FakeMetadata(DECLARED, ENVIRONMENT))
    rule, _ = propose_dependencies(graph, RULE_TYPES)
    assert rule is not None
    assert rule.options == {"usage": {"shop.clock": []}}
    assert to_toml(Proposal(("shop",), (rule,))).endswith(
        '[tool.fitness.rules.usage]\n"shop.clock" = []\n'
    )


def test_findings_that_fail_today_are_left_out_and_said() -> None:
    metadata = FakeMetadata([*DECLARED, dependency("gunicorn")], ENVIRONMENT)
    graph = graph_of("shop.clock -> datetime", metadata)
    proposal = with_dependencies(Proposal(("shop",), ()), graph, RULE_TYPES)
    (rule,) = proposal.rules
    assert rule.options == {
        "findings": ["undeclared", "development_only", "usage"],
        "usage": {"shop.clock": []},
    }
    assert proposal.notes == (
        "third-party dependencies: unused findings exist today and are not checked; "
        "`fitness check` with a dependencies rule lists them",
    )


def test_a_project_without_metadata_gets_no_rule_and_no_note() -> None:
    graph = fake_graph("shop.a -> requests", roots=("shop",), external=True)
    assert with_dependencies(Proposal(("shop",), ()), graph, RULE_TYPES) == Proposal(("shop",), ())

    class Undeclared(FakeMetadata):
        def declarations(self, request):  # type: ignore[no-untyped-def]
            from fitness.domain.errors import RuleError

            raise RuleError("no dependency is declared")

    graph.attach_dependency_metadata(Undeclared([], ENVIRONMENT))
    assert propose_dependencies(graph, RULE_TYPES) == (None, "")
