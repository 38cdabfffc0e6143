"""Module expressions: names with ``*`` (one level) and ``**`` (any depth) wildcards."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from grimp.exceptions import GrimpException

from fitness.domain.errors import MissingModuleError, RuleError, did_you_mean
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
    matches = matching_modules(graph, expression, option=option)
    if not matches:
        raise MissingModuleError(
            f"{option}: the expression '{expression}' matches no module", module=expression
        )
    return matches


def matching_modules(graph: ProjectGraph, expression: str, *, option: str) -> set[str]:
    """The modules a wildcard expression matches (perhaps none); a :class:`RuleError`
    that says what is wrong if grimp refuses the expression."""
    try:
        return set(graph.grimp.find_matching_modules(expression))
    except (GrimpException, ValueError):
        raise RuleError(
            f"{option}: '{expression}' is not a valid module expression: "
            f"{expression_problem(expression)}"
        ) from None


def invalid_expression(graph: ProjectGraph, expression: str) -> str | None:
    """What is wrong with a module expression, or None if grimp accepts it."""
    try:
        graph.grimp.find_matching_modules(expression)
    except (GrimpException, ValueError):
        return expression_problem(expression)
    return None


def expression_problem(expression: str) -> str:
    """What is wrong with a module expression that grimp refuses, in a few words."""
    if not expression.strip():
        return "it is empty"
    if any(c.isspace() for c in expression):
        return "it contains a space"
    parts = expression.split(".")
    if "" in parts:
        return "it has an empty name part (two dots in a row, or a dot at an end)"
    for part in parts:
        if "*" in part and part not in ("*", "**"):
            return (
                f"a wildcard must be a whole name part ('*' for one, '**' for any number), "
                f"not part of '{part}'"
            )
    for before, after in itertools.pairwise(parts):
        if "**" in (before, after) and before in ("*", "**") and after in ("*", "**"):
            return f"'**' cannot be next to another wildcard ('{before}.{after}')"
    return "write module names separated by dots, with '*' for one name part, '**' for any number"


def resolve_all(graph: ProjectGraph, expressions: Iterable[str], *, option: str) -> set[str]:
    modules: set[str] = set()
    for expression in expressions:
        modules |= resolve(graph, expression, option=option)
    return modules


def require_in_graph(graph: ProjectGraph, modules: Iterable[str], *, option: str) -> None:
    """Raise a :class:`MissingModuleError` naming the first module that is not in the graph."""
    for module in sorted(modules):
        if module not in graph:
            hint = did_you_mean(module, graph.modules)
            raise MissingModuleError(
                f"{option}: module '{module}' is not in the graph{hint}", module=module
            )
