"""Which modules a fluent rule is about, and the conditions that make it a rule."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from fitness.domain.errors import did_you_mean
from fitness.domain.fluent.conditions import (
    Acyclic,
    Condition,
    Independent,
    NotImport,
    NotImportedBy,
    OnlyImport,
    OnlyImportedBy,
)
from fitness.domain.fluent.patterns import Predicate, expand
from fitness.domain.fluent.rule import RuleBuilder
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import has_wildcard
from fitness.domain.rules.base import join_names


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

        return RuleBuilder(selection=self, condition=condition)

    def should_not_import(self, *modules: str, directly: bool = False) -> RuleBuilder:
        """No chain of imports (only direct ones, with ``directly=True``) to ``modules``."""

        return self.should(NotImport(modules, directly=directly))

    def should_only_import(self, *modules: str, directly: bool = False) -> RuleBuilder:
        """Everything the selected modules import (reach, unless ``directly``) lies in
        ``modules``, the standard library, or the selection itself."""

        return self.should(OnlyImport(modules, directly=directly))

    def should_not_be_imported_by(self, *modules: str, directly: bool = False) -> RuleBuilder:

        return self.should(NotImportedBy(modules, directly=directly))

    def should_only_be_imported_by(self, *modules: str, directly: bool = False) -> RuleBuilder:

        return self.should(OnlyImportedBy(modules, directly=directly))

    def should_be_independent(self) -> RuleBuilder:
        """No selected module (with what is under it) imports another, even indirectly."""

        return self.should(Independent())

    def should_be_acyclic(self) -> RuleBuilder:
        """No import cycle among the selected modules (each with what is under it)."""

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
