"""Which modules a fluent rule is about."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fitness.domain.errors import did_you_mean
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import has_wildcard, matching_modules
from fitness.domain.rules.base import join_names

if TYPE_CHECKING:
    from fitness.domain.fluent.conditions import Condition
    from fitness.domain.fluent.rule import RuleBuilder


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
class Selection:
    """Patterns, minus exclusions, filtered by predicates."""

    patterns: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    predicates: tuple[Predicate, ...] = ()
    #: What errors call the patterns and the exclusions (the options of a declared rule).
    names: tuple[str, str] = dataclasses.field(
        default=("modules", "excluding"), compare=False, repr=False
    )

    # Building ---------------------------------------------------------------

    def excluding(self, *patterns: str) -> Selection:
        return dataclasses.replace(self, excluded=self.excluded + patterns)

    def that(self, test: Predicate) -> Selection:
        if not isinstance(test, Predicate):
            raise TypeError(
                "that() takes a described predicate: predicate('are ...', function) "
                "or a function decorated with @predicate('are ...')"
            )
        return dataclasses.replace(self, predicates=(*self.predicates, test))

    # Conditions (each makes a rule) -----------------------------------------

    def should(self, condition: Condition) -> RuleBuilder:
        from fitness.domain.fluent.rule import RuleBuilder

        return RuleBuilder(selection=self, condition=condition)

    def should_not_import(self, *modules: str, directly: bool = False) -> RuleBuilder:
        """No chain of imports (only direct ones, with ``directly=True``) to ``modules``."""
        from fitness.domain.fluent.conditions import NotImport

        return self.should(NotImport(modules, directly=directly))

    def should_only_import(self, *modules: str, directly: bool = False) -> RuleBuilder:
        """Everything the selected modules import (reach, unless ``directly``) lies in
        ``modules``, the standard library, or the selection itself."""
        from fitness.domain.fluent.conditions import OnlyImport

        return self.should(OnlyImport(modules, directly=directly))

    def should_not_be_imported_by(self, *modules: str, directly: bool = False) -> RuleBuilder:
        from fitness.domain.fluent.conditions import NotImportedBy

        return self.should(NotImportedBy(modules, directly=directly))

    def should_only_be_imported_by(self, *modules: str, directly: bool = False) -> RuleBuilder:
        from fitness.domain.fluent.conditions import OnlyImportedBy

        return self.should(OnlyImportedBy(modules, directly=directly))

    def should_be_independent(self) -> RuleBuilder:
        """No selected module (with what is under it) imports another, even indirectly."""
        from fitness.domain.fluent.conditions import Independent

        return self.should(Independent())

    def should_be_acyclic(self) -> RuleBuilder:
        """No import cycle among the selected modules (each with what is under it)."""
        from fitness.domain.fluent.conditions import Acyclic

        return self.should(Acyclic())

    # Evaluating -------------------------------------------------------------

    def select(self, graph: ProjectGraph) -> set[str]:
        selected: set[str] = set()
        for pattern in self.patterns:
            selected |= expand(graph, pattern, self.names[0])
        for pattern in self.excluded:
            selected -= expand(graph, pattern, self.names[1])
        for test in self.predicates:
            selected = {m for m in selected if test(m, graph)}
        return selected

    def explain_empty(self, graph: ProjectGraph) -> str:
        """Why the selection is empty, with a "did you mean" for a mistyped name."""
        hints = []
        for pattern in self.patterns:
            if not expand(graph, pattern, self.names[0]):
                hint = "" if has_wildcard(pattern) else did_you_mean(pattern, graph.modules)
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


def modules(*patterns: str) -> Selection:
    """Start a fluent rule: the modules matching ``patterns``.

    ``"a.b"`` is the package and everything under it, ``"a.*"`` its children,
    ``"a.**"`` all its descendants.
    """
    if not patterns or not all(isinstance(p, str) and p for p in patterns):
        raise TypeError("modules() takes one or more module names or patterns")
    return Selection(tuple(patterns))


def _names(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)
