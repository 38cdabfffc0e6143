"""What a condition is: the part of a rule about a selection (``modules``, ``classes``,
``functions``, or a fluent one) that says what the selected items must do. Each condition
carries its own description. The import conditions are in
:mod:`fitness.domain.rules.imports.conditions`, the code conditions in
:mod:`fitness.domain.rules.code.conditions`.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from fitness.domain.graph import ProjectGraph
from fitness.domain.rules.base import Findings
from fitness.domain.violations import Violation

Outcome = bool | str | Violation | Iterable[str | Violation] | None


class Described(abc.ABC):
    """What every condition says: its description, which completes its rule's sentence
    (the failure message), and what to do about a violation."""

    @property
    @abc.abstractmethod
    def description(self) -> str:
        """Completes "modules in x should ...", e.g. "not import y"."""

    @property
    def how_to_fix(self) -> str:
        """What to do about a violation."""
        return ""


class Condition(Described):
    """A described condition on a set of selected modules."""

    @abc.abstractmethod
    def evaluate(self, graph: ProjectGraph, selected: set[str]) -> Findings:
        """The violations of the selected modules."""

    def name_mistakes(self, graph: ProjectGraph, *, empty_ok: bool = False) -> list[str]:
        """The module names of the condition that the graph does not have (checked before
        the rule, as a declared rule's options are)."""
        return []


@dataclass(frozen=True)
class FunctionCondition(Condition):
    """A custom condition: a function called once per selected module.

    It returns ``True`` (or ``None``) when the module complies; ``False``, a
    message, a :class:`Violation`, or several of those when it does not.
    """

    #: The description: completes "modules in x should ...".
    text: str
    function: Callable[[str, ProjectGraph], Outcome]

    @property
    def description(self) -> str:
        return self.text

    def evaluate(self, graph: ProjectGraph, selected: set[str]) -> Findings:
        violations: list[Violation] = []
        for module in sorted(selected):
            violations.extend(self._violations(module, self.function(module, graph)))
        return Findings.of(violations)

    def _violations(self, module: str, outcome: Outcome) -> list[Violation]:
        if outcome is True or outcome is None:
            return []
        if outcome is False:
            return [Violation(module, "", f"{module} does not {self.description}")]
        if isinstance(outcome, str):
            return [Violation(module, "", outcome)]
        if isinstance(outcome, Violation):
            return [outcome]
        found = []
        for item in outcome:
            found.extend(self._violations(module, item))
        return found


def condition(
    description: str, function: Callable[[str, ProjectGraph], Outcome] | None = None
) -> Any:
    """A described custom condition: ``condition("have a docstring", fn)``, or as a
    decorator, ``@condition("have a docstring")`` over ``def fn(module, graph)``."""
    if function is not None:
        return FunctionCondition(description, function)

    def wrap(fn: Callable[[str, ProjectGraph], Outcome]) -> FunctionCondition:
        return FunctionCondition(description, fn)

    return wrap
