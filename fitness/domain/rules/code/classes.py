"""``classes``: a selection of classes and a condition, declared in ``pyproject.toml``.

The model of the fluent API's ``classes(...)`` too: ``classes(...).should_...(...)``
in Python makes a :class:`CodeRule` of the same selection and conditions, so a rule
can move between a test file and the configuration unchanged. Both read the
project's code model (:mod:`fitness.domain.code`), read from the sources (never
imported) when the first such rule is checked: the outline of each module, and the
calls made in its code when a condition is about calls.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from fitness.domain.code.detail import Detail
from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import MODULES, OWN_NAMES, OWN_SELECTION, SELECTED_MODULES
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, Rule
from fitness.domain.rules.code.calls import NotCall, OnlyInstantiatedIn
from fitness.domain.rules.code.conditions import (
    BeFrozen,
    BeNamed,
    CodeCondition,
    Implement,
    NotSubclass,
    ResideIn,
    Subclass,
)
from fitness.domain.rules.code.selection import (
    CODE_NAMES,
    Abstract,
    ClassSelection,
    CodeSelection,
    DecoratedWith,
    Filter,
    Implementing,
    Named,
    Subclassing,
    TopLevel,
)
from fitness.domain.rules.support import OneOrMore, one_or_more


@dataclass(frozen=True, kw_only=True)
class CodeRule(Rule):
    """``<classes or functions> should <condition>``: the shape every class and function
    rule reduces to."""

    type_name = "fluent"

    selection: CodeSelection = option(
        doc="the classes or functions the rule is about", names=OWN_SELECTION
    )
    condition: CodeCondition = option(doc="what they must do", names=OWN_NAMES)
    allow_empty: bool = option(False, doc="pass when the selection matches nothing")

    def describe(self) -> str:
        return f"{self.selection.describe()} should {self.condition.description}"

    def code_detail(self) -> Detail:
        return self.condition.code_detail | self.selection.code_detail

    def evaluate(self, graph: ProjectGraph) -> Findings:
        model = graph.code_model(self.code_detail())
        selected, warnings = self.selection.select_noting(graph, model)
        # Code outside functions counts too: a module with a print and no function.
        bodies = (
            self.selection.bodies(graph, model, selected) if self.condition.reads_bodies else []
        )
        if not selected and not bodies:
            if self.allow_empty:
                return Findings.of((), warnings)
            raise RuleError(self.selection.explain_empty(graph, model))
        findings = self.condition.evaluate(graph, model, selected, bodies)
        guidance = self.broken_contract_guidance or findings.guidance or self.condition.how_to_fix
        return dataclasses.replace(
            findings, guidance=guidance, warnings=(*warnings, *findings.warnings)
        )


def one_condition(rule: object, names: tuple[str, ...]) -> str:
    """The one condition option a declared rule gives (a ConfigError otherwise)."""
    chosen = [name for name in names if getattr(rule, name)]
    if len(chosen) != 1:
        listed = ", ".join(names)
        found = f" (found {', '.join(chosen)})" if chosen else ""
        raise ConfigError(f"give exactly one of {listed}{found}", key=())
    return chosen[0]


def require_modules(modules: tuple[str, ...]) -> None:
    if not modules:
        raise ConfigError("option 'modules' must name at least one module", key=("modules",))


_CLASS_CONDITIONS = (
    "should_reside_in",
    "should_not_subclass",
    "should_subclass",
    "should_implement",
    "should_be_named",
    "should_not_call",
    "should_only_be_instantiated_in",
    "should_be_frozen",
)


class DeclaredCodeRule(Rule):
    """What the ``classes`` and ``functions`` types share: their options make a
    :class:`CodeRule` (the fluent API's rule), which checks them. A subclass gives
    the ``selection``, the ``condition`` and an ``allow_empty`` option."""

    allow_empty: bool

    @property
    def selection(self) -> CodeSelection:
        raise NotImplementedError

    @property
    def condition(self) -> CodeCondition:
        raise NotImplementedError

    def as_code_rule(self) -> CodeRule:
        return CodeRule(
            name=self.name,
            because=self.because,
            broken_contract_guidance=self.broken_contract_guidance,
            selection=self.selection,
            condition=self.condition,
            allow_empty=self.allow_empty,
        )

    def describe(self) -> str:
        return self.as_code_rule().describe()

    def evaluate(self, graph: ProjectGraph) -> Findings:
        return self.as_code_rule().evaluate(graph)


@dataclass(frozen=True, kw_only=True)
class ClassesRule(DeclaredCodeRule):
    """The classes of ``modules`` (minus ``excluding``), narrowed by the ``that_*`` options,
    should meet exactly one condition."""

    type_name = "classes"

    modules: tuple[str, ...] = option(
        doc="patterns: a.b (and below), a.* (children), a.** (all)", names=SELECTED_MODULES
    )
    excluding: tuple[str, ...] = option((), doc="modules or classes to leave out", names=CODE_NAMES)
    that_subclass: OneOrMore = option(
        (),
        doc="only classes deriving from one of these (directly or not; globs allowed), "
        "the bases themselves left out",
    )
    that_implement: OneOrMore = option(
        (), doc="only classes having every method of one of these protocols"
    )
    that_are_named: tuple[str, ...] = option((), doc="only classes named so (globs: *Repository)")
    that_are_decorated_with: tuple[str, ...] = option(
        (), doc="only classes with one of these decorators (full names: dataclasses.dataclass)"
    )
    that_are_abstract: bool = option(
        False,
        doc="only abstract classes: ABCs, protocols, classes with abstract methods or with "
        "public methods that only raise NotImplementedError",
    )
    that_are_top_level: bool = option(
        False,
        doc="only classes defined in their module's body, not nested in a class or a "
        "function (default: all, wherever they are defined)",
    )
    should_reside_in: tuple[str, ...] = option(
        (), doc="modules they must be defined in", names=MODULES
    )
    should_not_subclass: OneOrMore = option(
        (), doc="classes they must not derive from, directly or not (globs allowed)"
    )
    should_subclass: OneOrMore = option(
        (),
        doc="they must derive from one of these, directly or not (a base itself is left "
        "out, as that_subclass leaves it out)",
    )
    should_implement: OneOrMore = option(
        (), doc="protocols of the project: they must have every method of one of them"
    )
    should_be_named: tuple[str, ...] = option((), doc="name patterns they must match")
    should_not_call: tuple[str, ...] = option(
        (),
        doc="what their methods and class bodies must not call or use, nor anything under "
        "it (print, requests, os.environ)",
    )
    should_only_be_instantiated_in: tuple[str, ...] = option(
        (),
        doc="the only modules that may create them (besides their own)",
        names=MODULES,
    )
    should_be_frozen: bool = option(False, doc="they must be immutable (frozen dataclasses, ...)")
    allow_empty: bool = option(False, doc="pass when the selection matches no class")

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return self.selection.modules_in_scope(graph)

    def __post_init__(self) -> None:
        require_modules(self.modules)
        one_condition(self, _CLASS_CONDITIONS)

    @property
    def condition(self) -> CodeCondition:
        chosen = one_condition(self, _CLASS_CONDITIONS)
        if chosen == "should_reside_in":
            return ResideIn(self.should_reside_in)
        if chosen == "should_not_subclass":
            return NotSubclass(one_or_more(self.should_not_subclass))
        if chosen == "should_subclass":
            return Subclass(one_or_more(self.should_subclass))
        if chosen == "should_implement":
            return Implement(one_or_more(self.should_implement))
        if chosen == "should_be_named":
            return BeNamed(self.should_be_named)
        if chosen == "should_not_call":
            return NotCall(self.should_not_call)
        if chosen == "should_only_be_instantiated_in":
            return OnlyInstantiatedIn(self.should_only_be_instantiated_in)
        return BeFrozen()

    @property
    def filters(self) -> tuple[Filter, ...]:
        filters: list[Filter] = []
        if self.that_subclass:
            filters.append(Subclassing(one_or_more(self.that_subclass)))
        if self.that_implement:
            filters.append(Implementing(one_or_more(self.that_implement)))
        if self.that_are_named:
            filters.append(Named(self.that_are_named))
        if self.that_are_decorated_with:
            filters.append(DecoratedWith(self.that_are_decorated_with))
        if self.that_are_abstract:
            filters.append(Abstract())
        if self.that_are_top_level:
            filters.append(TopLevel())
        return tuple(filters)

    @property
    def selection(self) -> CodeSelection:
        return ClassSelection(self.modules, self.excluding, self.filters)
