"""``functions``: a selection of functions and methods and a condition, declared in
``pyproject.toml``; the fluent API's ``functions(...)`` makes the same rule."""

from __future__ import annotations

from dataclasses import dataclass

from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import MODULES, SELECTED_MODULES
from fitness.domain.options import option
from fitness.domain.rules.code.calls import NotCall
from fitness.domain.rules.code.classes import DeclaredCodeRule, one_condition, require_modules
from fitness.domain.rules.code.conditions import BeNamed, CodeCondition, ResideIn
from fitness.domain.rules.code.selection import (
    CODE_NAMES,
    CodeSelection,
    DecoratedWith,
    Filter,
    FunctionSelection,
    Named,
    TopLevel,
)

_FUNCTION_CONDITIONS = ("should_not_call", "should_be_named", "should_reside_in")


@dataclass(frozen=True, kw_only=True)
class FunctionsRule(DeclaredCodeRule):
    """The functions and methods of ``modules`` (minus ``excluding``), narrowed by the
    ``that_*`` options, should meet exactly one condition."""

    type_name = "functions"

    modules: tuple[str, ...] = option(
        doc="patterns: a.b (and below), a.* (children), a.** (all)", names=SELECTED_MODULES
    )
    excluding: tuple[str, ...] = option(
        (), doc="modules or functions to leave out", names=CODE_NAMES
    )
    that_are_named: tuple[str, ...] = option((), doc="only functions named so (globs: test_*)")
    that_are_decorated_with: tuple[str, ...] = option(
        (), doc="only functions with one of these decorators (full names: functools.cache)"
    )
    that_are_top_level: bool = option(
        False,
        doc="only functions defined in their module's body: not methods, not nested in a "
        "function (default: all, wherever they are defined)",
    )
    should_not_call: tuple[str, ...] = option(
        (),
        doc="what they (and, without a that_* filter, the modules' code outside functions) "
        "must not call or use, nor anything under it (print, requests, os.environ)",
    )
    should_be_named: tuple[str, ...] = option((), doc="name patterns they must match")
    should_reside_in: tuple[str, ...] = option(
        (), doc="modules they must be defined in", names=MODULES
    )
    allow_empty: bool = option(False, doc="pass when the selection matches no function")

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return self.selection.modules_in_scope(graph)

    def __post_init__(self) -> None:
        require_modules(self.modules)
        one_condition(self, _FUNCTION_CONDITIONS)

    @property
    def condition(self) -> CodeCondition:
        chosen = one_condition(self, _FUNCTION_CONDITIONS)
        if chosen == "should_not_call":
            return NotCall(self.should_not_call)
        if chosen == "should_be_named":
            return BeNamed(self.should_be_named)
        return ResideIn(self.should_reside_in)

    @property
    def filters(self) -> tuple[Filter, ...]:
        filters: list[Filter] = []
        if self.that_are_named:
            filters.append(Named(self.that_are_named))
        if self.that_are_decorated_with:
            filters.append(DecoratedWith(self.that_are_decorated_with))
        if self.that_are_top_level:
            filters.append(TopLevel())
        return tuple(filters)

    @property
    def selection(self) -> CodeSelection:
        return FunctionSelection(self.modules, self.excluding, self.filters)
