"""The end of a fluent chain: a selection and a condition, made into a
:class:`~fitness.domain.rules.imports.modules.SelectionRule`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Generic, Self, TypeVar

from fitness.domain.graph import ProjectGraph
from fitness.domain.observation import observe
from fitness.domain.rules.base import Rule, asserted, found_by
from fitness.domain.rules.base import RuleViolated as RuleViolated
from fitness.domain.rules.conditions import Condition
from fitness.domain.rules.imports.modules import SelectionRule
from fitness.domain.rules.selection import ModuleSelection
from fitness.domain.violations import RuleResult, Severity

S = TypeVar("S")
C = TypeVar("C")


@dataclass(frozen=True)
class ChainEnd(Generic[S, C]):
    """The end of any fluent chain (modules, classes, functions): a selection and a
    condition; add ``because``/``allow_empty``/``named``, then ``check``. A subclass
    says which rule they make (:meth:`rule`)."""

    selection: S
    condition: C
    reason: str = ""
    empty_allowed: bool = False
    name: str = ""
    severity: Severity = "error"

    def because(self, reason: str) -> Self:
        return dataclasses.replace(self, reason=reason)

    def allow_empty(self) -> Self:
        """Pass when the selection matches nothing (by default that fails: a typo must
        not make a rule pass)."""
        return dataclasses.replace(self, empty_allowed=True)

    def named(self, name: str) -> Self:
        """Give the rule a stable name: its key in the baseline and its name in reports.

        Under pytest an unnamed rule checked in a test is named after the test's node
        id; name it when a test checks several rules, or may be renamed or moved.
        """
        return dataclasses.replace(self, name=name)

    def as_warning(self) -> Self:
        """Report a violation as a warning instead of failing (``severity = "warning"``):
        ``check`` then issues a :class:`~fitness.RuleWarning` rather than raising, unless
        warnings are made to fail (``--fitness-strict``)."""
        return dataclasses.replace(self, severity="warning")

    def rule(self) -> Rule:
        """The :class:`~fitness.Rule` this chain describes."""
        raise NotImplementedError

    @property
    def description(self) -> str:
        return self.rule().description

    def result(self, graph: ProjectGraph) -> RuleResult:
        """The verdict, without raising (as a rule type's :meth:`~fitness.Rule.result`).

        Under pytest (the ``fitness_graph`` fixture) the verdict takes part in the
        session: known violations of the baseline are forgiven, and the result is
        recorded for ``--fitness-update-baseline`` and ``--fitness-report``.
        """
        rule = self.rule()
        _require_graph(graph)
        return observe(found_by(rule, graph), named=bool(self.name))

    def evaluate(self, graph: ProjectGraph) -> RuleResult:
        """:meth:`result`, by its older name. (A rule type's ``evaluate`` is what the type
        implements and returns its :class:`~fitness.domain.rules.base.Findings`; a fluent
        chain is not a rule type, and says ``result`` for its verdict.)"""
        return self.result(graph)

    def check(self, graph: ProjectGraph) -> RuleResult:
        """Assert the rule: raise :class:`RuleViolated` (an ``AssertionError``) whose message
        is the rule's description followed by each violation (a :class:`~fitness.RuleWarning`
        instead, for a rule :meth:`as_warning`)."""
        __tracebackhide__ = True
        return asserted(self.result(graph))

    def __str__(self) -> str:
        return self.description


class RuleBuilder(ChainEnd[ModuleSelection, Condition]):
    """The end of a fluent chain over modules: add ``because``/``allow_empty``, then ``check``."""

    def rule(self) -> SelectionRule:
        """The :class:`~fitness.Rule` this chain describes."""
        unnamed = SelectionRule(
            name="", selection=self.selection, condition=self.condition, because=self.reason
        )
        return dataclasses.replace(
            unnamed,
            name=self.name or unnamed.describe(),
            allow_empty=self.empty_allowed,
            severity=self.severity,
        )


def _require_graph(graph: object) -> None:
    if not isinstance(graph, ProjectGraph):
        raise TypeError(
            "check() needs the project graph (the fitness_graph fixture), "
            f"not {type(graph).__name__}"
        )
