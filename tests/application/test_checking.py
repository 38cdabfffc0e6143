"""Checking one rule: inline suppressions leave their imports out of its graph, and the
rule is evaluated once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fitness import ForbiddenRule
from fitness.application.checking import check_rule
from fitness.domain.graph import ProjectGraph
from fitness.domain.rules.base import Findings
from fitness.domain.source_facts import Suppression
from tests.helpers import fake_graph


@dataclass(frozen=True, kw_only=True)
class CountedForbidden(ForbiddenRule):
    """A forbidden rule that counts its evaluations."""

    evaluations: ClassVar[list[ProjectGraph]] = []

    def evaluate(self, graph: ProjectGraph) -> Findings:
        CountedForbidden.evaluations.append(graph)
        return super().evaluate(graph)


def suppressed(*suppressions: Suppression) -> ProjectGraph:
    graph = fake_graph("app.domain.model -> app.api.views\napp.domain.money -> app.api.views")
    return ProjectGraph(
        graph.grimp,
        graph.root_packages,
        module_files={m: m.replace(".", "/") + ".py" for m in graph.modules},
        suppressions=suppressions,
    )


def ignore(module: str, line: int) -> Suppression:
    path = module.replace(".", "/") + ".py"
    return Suppression(path, line, module, ("Domain",), "legacy, see T-1")


RULE = CountedForbidden(
    name="Domain", source_modules=("app.domain",), forbidden_modules=("app.api",)
)


def test_a_rule_whose_suppressions_silence_imports_is_evaluated_once() -> None:
    CountedForbidden.evaluations.clear()
    graph = suppressed(ignore("app.domain.model", 1), ignore("app.domain.money", 1))

    result = check_rule(RULE, graph)

    assert len(CountedForbidden.evaluations) == 1
    assert result.passed and result.warnings == ()
    assert result.suppressed_imports == (
        ("app.domain.model", "app.api.views"),
        ("app.domain.money", "app.api.views"),
    )


def test_a_suppression_on_a_line_that_imports_nothing_silences_nothing() -> None:
    CountedForbidden.evaluations.clear()
    graph = suppressed(ignore("app.domain.model", 1), ignore("app.domain.money", 7))

    result = check_rule(RULE, graph)

    assert len(CountedForbidden.evaluations) == 1
    assert [v.importer for v in result.violations] == ["app.domain"]
    assert [str(c) for c in result.violations[0].chains] == ["app.domain.money -> app.api.views"]
    assert result.warnings == (
        "app/domain/money.py:7: '# fitness: ignore[Domain]' silences nothing; remove it",
    )
    assert result.suppressed_imports == (("app.domain.model", "app.api.views"),)
