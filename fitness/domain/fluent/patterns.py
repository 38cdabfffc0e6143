"""What selections and conditions share: module patterns, described predicates, and
what a rule needs of a selection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import has_wildcard, matching_modules


@dataclass(frozen=True)
class Predicate:
    """A described test on one module: ``predicate("are named *_service", test)``."""

    description: str
    test: Callable[[str, ProjectGraph], bool]

    def __call__(self, module: str, graph: ProjectGraph) -> bool:
        return bool(self.test(module, graph))


def predicate(
    description: str,
) -> Callable[[Callable[[str, ProjectGraph], bool]], Predicate]:
    """Decorator: turn ``def f(module, graph) -> bool`` into a described :class:`Predicate`."""

    def wrap(test: Callable[[str, ProjectGraph], bool]) -> Predicate:
        return Predicate(description, test)

    return wrap


def expand(graph: ProjectGraph, pattern: str, option: str = "modules") -> set[str]:
    """The modules a pattern names.

    ``a.b`` is the module or package and everything under it; ``a.*`` the
    children of ``a``; ``a.**`` every descendant of ``a``. A name that is not in
    the graph names nothing (external packages are single nodes). A pattern grimp
    refuses is a :class:`~fitness.domain.errors.RuleError` naming ``option``.
    """
    if has_wildcard(pattern):
        return matching_modules(graph, pattern, option=option)
    if pattern not in graph:
        return set()
    if graph.grimp.is_module_squashed(pattern):
        return {pattern}
    return {pattern} | graph.grimp.find_descendants(pattern)


class ModuleSelection(Protocol):
    """What a fluent rule needs of its selection
    (:class:`~fitness.domain.fluent.selection.Selection`)."""

    def select(self, graph: ProjectGraph) -> set[str]:
        """The selected modules."""
        ...

    def explain_empty(self, graph: ProjectGraph) -> str:
        """Why the selection is empty."""
        ...

    def describe(self) -> str:
        """``modules in ...``."""
        ...
