"""Which modules a rule about a selection is about: patterns (``a.b`` and what is
under it, ``a.*`` its children, ``a.**`` its descendants), exclusions, and
described predicates. The ``modules`` rule type and the fluent API's
``modules(...)`` select with this."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import entry_mistake, has_wildcard, matching_modules
from fitness.domain.rules.base import join_names


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


@dataclass(frozen=True)
class ModuleSelection:
    """Patterns, minus exclusions, filtered by predicates."""

    patterns: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    predicates: tuple[Predicate, ...] = ()
    #: What errors call the patterns and the exclusions (the options of a declared rule).
    names: tuple[str, str] = dataclasses.field(
        default=("modules", "excluding"), compare=False, repr=False
    )

    def select(self, graph: ProjectGraph) -> set[str]:
        selected: set[str] = set()
        for pattern in self.patterns:
            selected |= expand(graph, pattern, self.names[0])
        for pattern in self.excluded:
            selected -= expand(graph, pattern, self.names[1])
        for test in self.predicates:
            selected = {m for m in selected if test(m, graph)}
        return selected

    def name_mistakes(self, graph: ProjectGraph, *, empty_ok: bool = False) -> list[str]:
        """Each pattern or exclusion that names no module (a wildcard may match none
        when ``empty_ok``): as a declared rule's options, checked before the rule."""
        patterns, exclusions = self.names
        return [
            *(
                m
                for p in self.patterns
                if (m := entry_mistake(graph, patterns, p, empty_ok=empty_ok))
            ),
            *(m for p in self.excluded if (m := entry_mistake(graph, exclusions, p))),
        ]

    def explain_empty(self, graph: ProjectGraph) -> str:
        """Why the selection is empty, with a "did you mean" for a mistyped name."""
        hints = []
        for pattern in self.patterns:
            if not expand(graph, pattern, self.names[0]):
                hint = "" if has_wildcard(pattern) else graph.missing_hint(pattern)
                hints.append(f"'{pattern}' matches no module{hint}")
        reason = "; ".join(hints) or "the exclusions and predicates leave no module"
        return (
            f"the selection ({self.describe()}) is empty: {reason} "
            "(use .allow_empty() if that is expected)"
        )

    def describe(self) -> str:
        text = f"modules in {join_names(self.patterns)}"
        if self.excluded:
            text += f" excluding {join_names(self.excluded)}"
        if self.predicates:
            text += " that " + " and that ".join(p.description for p in self.predicates)
        return text
