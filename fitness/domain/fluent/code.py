"""``classes(...)`` and ``functions(...)``: fluent rules about classes and functions,
ArchUnit's reach in Python::

    classes("shop.domain").should_not_subclass("sqlalchemy.orm.DeclarativeBase").check(graph)
    functions("shop.domain").should_not_call("print", "open", "requests.*").check(graph)

Sugar over the ``classes`` and ``functions`` rule types: a chain makes a
:class:`~fitness.domain.rules.code.classes.CodeRule`, which is a :class:`~fitness.Rule`
like any other; its description is generated from its parts and is the failure
message.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Self

from fitness.domain.fluent.rule import ChainEnd
from fitness.domain.rules.code.calls import NotCall, OnlyInstantiatedIn
from fitness.domain.rules.code.classes import CodeRule
from fitness.domain.rules.code.conditions import (
    BeFrozen,
    BeNamed,
    CodeCondition,
    Custom,
    Implement,
    NotSubclass,
    ResideIn,
    Subclass,
)
from fitness.domain.rules.code.selection import (
    Abstract,
    ClassSelection,
    CodeSelection,
    DecoratedWith,
    Filter,
    FunctionSelection,
    Implementing,
    Named,
    Subclassing,
    TopLevel,
)
from fitness.domain.rules.code.selection import Custom as CustomFilter
from fitness.domain.rules.conditions import FunctionCondition
from fitness.domain.rules.selection import Predicate


class CodeRuleBuilder(ChainEnd[CodeSelection, CodeCondition]):
    """The end of a fluent chain over classes or functions: add
    ``because``/``allow_empty``/``named``, then ``check``."""

    def rule(self) -> CodeRule:
        """The :class:`~fitness.Rule` this chain describes."""
        unnamed = CodeRule(
            name="", selection=self.selection, condition=self.condition, because=self.reason
        )
        return dataclasses.replace(
            unnamed,
            name=self.name or unnamed.describe(),
            allow_empty=self.empty_allowed,
            severity=self.severity,
        )


class _Narrowing(CodeSelection):
    """What classes and functions are narrowed by, and the conditions both take."""

    def _with(self, test: Filter) -> Self:
        return dataclasses.replace(self, filters=(*self.filters, test))

    def excluding(self, *patterns: str) -> Self:
        """Leave out modules (patterns as in ``modules(...)``) or classes and functions
        (qualified names, globs)."""
        return dataclasses.replace(self, excluded=self.excluded + _names(patterns, "excluding"))

    def that_are_named(self, *patterns: str) -> Self:
        """Only those named so: ``"*Repository"`` (the own name), ``"shop.*.Sql*"`` (with a
        dot: the qualified name)."""
        return self._with(Named(_names(patterns, "that_are_named")))

    def that_are_decorated_with(self, *decorators: str) -> Self:
        """Only those with one of these decorators, by full name (``dataclasses.dataclass``,
        ``functools.cache``; a package name or a glob matches what is in it)."""
        return self._with(DecoratedWith(_names(decorators, "that_are_decorated_with")))

    def that_are_top_level(self) -> Self:
        """Only those defined in their module's body (``__qualname__`` without a dot): for
        classes, not nested in a class or a function; for functions, not methods and not
        nested in a function. Without it, a selection holds every class (function) of its
        modules, wherever it is defined (``make.<locals>.Helper``)."""
        return self._with(TopLevel())

    def that(self, test: Predicate) -> Self:
        """Only those passing a described predicate: ``predicate("are ...", function)``,
        the function called with the class (or function) and the graph."""
        if not isinstance(test, Predicate):
            raise TypeError(
                "that() takes a described predicate: predicate('are ...', function) "
                "or a function decorated with @predicate('are ...')"
            )
        return self._with(CustomFilter(test))

    def should(self, condition: FunctionCondition | CodeCondition) -> CodeRuleBuilder:
        """A custom condition: ``condition("...", function)``, the function called with each
        class (or function) and the graph; it returns ``True``/``None`` when it complies,
        ``False``, a message, a :class:`~fitness.Violation` or several when not."""
        if isinstance(condition, FunctionCondition):
            condition = Custom(condition)
        if not isinstance(condition, CodeCondition):
            raise TypeError(
                "should() takes a described condition: condition('...', function) "
                "or a function decorated with @condition('...')"
            )
        return CodeRuleBuilder(selection=self, condition=condition)

    def should_reside_in(self, *modules: str) -> CodeRuleBuilder:
        """Defined in one of these modules (patterns as in ``modules(...)``)."""
        return self.should(ResideIn(_names(modules, "should_reside_in")))

    def should_be_named(self, *patterns: str) -> CodeRuleBuilder:
        return self.should(BeNamed(_names(patterns, "should_be_named")))

    def should_not_call(self, *targets: str) -> CodeRuleBuilder:
        """No call to these, resolved through the imports: ``"print"``, ``"open"``,
        ``"requests.*"``, ``"datetime.datetime.now"``; ``"os.environ"`` counts its uses.
        For classes, what their methods call."""
        return self.should(NotCall(_names(targets, "should_not_call")))


@dataclass(frozen=True)
class Classes(ClassSelection, _Narrowing):
    """The start of a class rule: a selection to narrow down, then a condition."""

    def that_subclass(self, *bases: str) -> Classes:
        """Only classes deriving from one of ``bases``, directly or through other classes,
        across modules (``"sqlalchemy.orm.DeclarativeBase"``, ``"pydantic.*"``)."""
        return self._with(Subclassing(_names(bases, "that_subclass")))

    def that_implement(self, *protocols: str) -> Classes:
        """Only classes having every method of one of these protocols (classes of the
        project), whether they derive from it or not; protocols themselves are left out."""
        return self._with(Implementing(_names(protocols, "that_implement")))

    def that_are_abstract(self) -> Classes:
        """Only abstract classes: ABCs, protocols, classes with abstract methods."""
        return self._with(Abstract())

    def should_not_subclass(self, *bases: str) -> CodeRuleBuilder:
        """Derive from none of ``bases``, directly or not (a violation shows the way up)."""
        return self.should(NotSubclass(_names(bases, "should_not_subclass")))

    def should_subclass(self, *bases: str) -> CodeRuleBuilder:
        """Derive from one of ``bases``, directly or not (a base itself is left out, as
        :meth:`that_subclass` leaves it out)."""
        return self.should(Subclass(_names(bases, "should_subclass")))

    def should_implement(self, *protocols: str) -> CodeRuleBuilder:
        """Have every public method of one of ``protocols`` (classes of the project),
        defined or inherited: structurally, as a type checker sees a Protocol."""
        return self.should(Implement(_names(protocols, "should_implement")))

    def should_only_be_instantiated_in(self, *modules: str) -> CodeRuleBuilder:
        """Only created by functions of these modules (and of the class's own module)."""
        return self.should(OnlyInstantiatedIn(_names(modules, "should_only_be_instantiated_in")))

    def should_be_frozen(self) -> CodeRuleBuilder:
        """Immutable: a frozen dataclass or attrs class, a NamedTuple, an Enum."""
        return self.should(BeFrozen())


@dataclass(frozen=True)
class Functions(FunctionSelection, _Narrowing):
    """The start of a function rule: functions and methods, narrowed, then a condition."""


def _names(values: tuple[str, ...], method: str) -> tuple[str, ...]:
    if not values or not all(isinstance(v, str) and v for v in values):
        raise TypeError(f"{method}() takes one or more names")
    return values


def classes(*modules: str) -> Classes:
    """Start a class rule: the classes of the modules matching ``modules`` (``"a.b"`` and
    what is under it, ``"a.*"`` its children, ``"a.**"`` all its descendants)."""
    if not modules or not all(isinstance(m, str) and m for m in modules):
        raise TypeError("classes() takes one or more module names or patterns")
    return Classes(tuple(modules))


def functions(*modules: str) -> Functions:
    """Start a function rule: the functions and methods of the modules matching ``modules``."""
    if not modules or not all(isinstance(m, str) and m for m in modules):
        raise TypeError("functions() takes one or more module names or patterns")
    return Functions(tuple(modules))
