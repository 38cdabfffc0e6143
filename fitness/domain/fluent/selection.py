"""``modules(...)``: the selection a fluent rule starts with, and the conditions that
make it a rule."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from fitness.domain.fluent.rule import RuleBuilder
from fitness.domain.rules.conditions import Condition
from fitness.domain.rules.imports.conditions import (
    Acyclic,
    Independent,
    NotImport,
    NotImportedBy,
    OnlyImport,
    OnlyImportedBy,
)
from fitness.domain.rules.selection import ModuleSelection, Predicate


@dataclass(frozen=True)
class Selection(ModuleSelection):
    """The start of a fluent rule: a selection to narrow down, then a condition."""

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


def modules(*patterns: str) -> Selection:
    """Start a fluent rule: the modules matching ``patterns``.

    ``"a.b"`` is the package and everything under it, ``"a.*"`` its children,
    ``"a.**"`` all its descendants.
    """
    if not patterns or not all(isinstance(p, str) and p for p in patterns):
        raise TypeError("modules() takes one or more module names or patterns")
    return Selection(tuple(patterns))
