"""Module expressions: names with ``*`` (one level) and ``**`` (any depth) wildcards."""

from __future__ import annotations

from collections.abc import Iterable

from fitness.domain.errors import RuleError, did_you_mean
from fitness.domain.graph import ProjectGraph


def has_wildcard(expression: str) -> bool:
    return "*" in expression


def resolve(graph: ProjectGraph, expression: str, *, option: str) -> set[str]:
    """The modules an expression names.

    A plain name is returned as it is (whether it exists is checked separately,
    by :func:`require_in_graph`), so that external packages that nothing imports
    can still be named. A wildcard expression that matches nothing is an error:
    a typo must not make a rule pass silently.
    """
    if not has_wildcard(expression):
        return {expression}
    try:
        matches = set(graph.grimp.find_matching_modules(expression))
    except ValueError as error:
        raise RuleError(f"{option}: invalid module expression '{expression}': {error}") from None
    if not matches:
        raise RuleError(f"{option}: the expression '{expression}' matches no module")
    return matches


def resolve_all(graph: ProjectGraph, expressions: Iterable[str], *, option: str) -> set[str]:
    modules: set[str] = set()
    for expression in expressions:
        modules |= resolve(graph, expression, option=option)
    return modules


def require_in_graph(graph: ProjectGraph, modules: Iterable[str], *, option: str) -> None:
    """Raise a :class:`RuleError` naming the first module that is not in the graph."""
    for module in sorted(modules):
        if module not in graph:
            hint = did_you_mean(module, graph.modules)
            raise RuleError(f"{option}: module '{module}' is not in the graph{hint}")
