"""Which classes or functions a class or function rule is about: the classes (or
functions and methods) of the modules that patterns name (as ``modules(...)`` selects
them), minus exclusions, narrowed by described filters.

The ``classes`` and ``functions`` rule types and the fluent API's ``classes(...)`` and
``functions(...)`` select with this, from the project's code model
(:mod:`fitness.domain.code`), reading only the modules the patterns name (and those
the questions about them lead to: a base class's module).

Names are matched by :func:`name_matches`: a dotted name matches a pattern equal to it,
a pattern naming a module or package it lies in (``"sqlalchemy"`` matches
``sqlalchemy.orm.DeclarativeBase``), or a glob (``"requests.*"``, ``"*Repository"``;
``*`` crosses dots).
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from fitness.domain.code.detail import Detail
from fitness.domain.code.project import CodeModel
from fitness.domain.errors import RuleError, did_you_mean
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import ModuleNames, entry_mistake, has_wildcard
from fitness.domain.rules.base import join_names
from fitness.domain.rules.code.items import (
    Body,
    Item,
    base_near_misses,
    class_body,
    head,
    is_class,
    location,
    missing_methods,
    module_bodies,
    name_matches,
    named_like,
    protocol_named,
    qualified_name,
    require_classes,
    star_bases_warnings,
    star_warning,
    subclasses,
    unresolved_warning,
)
from fitness.domain.rules.selection import Predicate, expand


@dataclass(frozen=True)
class CodeNames(ModuleNames):
    """An option naming modules, classes or functions (``excluding``): each entry is a
    module of the graph or a wildcard expression matching one (as ``forbidden`` checks
    them), or the qualified name of a class or function of the project, or of a module
    or class it lies in, or a glob matching one (``*.Sql*``)."""

    def mistake(self, graph: ProjectGraph, option: str, entry: str, *, empty_ok: bool) -> str:
        as_module = entry_mistake(graph, option, entry)
        if not as_module:
            return ""
        model = graph.code_model()
        items: list[Item] = [*model.classes(), *model.functions(methods=True)]
        if any(name_matches(qualified_name(item), entry) for item in items):
            return ""
        if has_wildcard(entry):
            return f"{option}: the expression '{entry}' matches no module, class or function"
        known = [*graph.modules, *(qualified_name(item) for item in items)]
        return (
            f"{option}: module '{entry}' is not in the graph, nor a class or function of "
            f"the project{did_you_mean(entry, known)}"
        )


#: The option names modules, classes or functions (:class:`CodeNames`).
CODE_NAMES = CodeNames()


# Filters -----------------------------------------------------------------------


class Filter(abc.ABC):
    """A described test on one class or function."""

    #: The option that gives it in configuration (named in errors).
    option: str = ""
    #: What it reads of the code model beyond the outline (:meth:`Rule.code_detail`).
    code_detail: ClassVar[Detail] = Detail.OUTLINE

    @property
    @abc.abstractmethod
    def description(self) -> str:
        """Completes "classes in x that ...", e.g. "are named *Repository"."""

    def prepare(self, graph: ProjectGraph, model: CodeModel) -> None:  # noqa: B027
        """Raise a :class:`RuleError` if the filter names something the project lacks."""

    @abc.abstractmethod
    def __call__(self, item: Item, graph: ProjectGraph, model: CodeModel) -> bool:
        """Whether the item passes the filter."""

    def hint(self, items: Sequence[Item], model: CodeModel) -> str:
        """Why nothing passed the filter, when there is more to say than its description."""
        return ""

    def dropped(self, item: Item, model: CodeModel) -> str:
        """A warning for an item the filter left out without knowing for sure (a class
        whose base cannot be resolved statically); "" if it knew."""
        return ""


@dataclass(frozen=True)
class Subclassing(Filter):
    bases: tuple[str, ...]
    option: str = "that_subclass"

    @property
    def description(self) -> str:
        return f"subclass {join_names(self.bases, 'or')}"

    def prepare(self, graph: ProjectGraph, model: CodeModel) -> None:
        require_classes(graph, model, self.bases, self.option)

    def __call__(self, item: Item, graph: ProjectGraph, model: CodeModel) -> bool:
        return is_class(item) and subclasses(model, item, self.bases)

    def dropped(self, item: Item, model: CodeModel) -> str:
        if not is_class(item):
            return ""
        consequence = (
            f"{self.option} could not tell whether it subclasses "
            f"{join_names(self.bases, 'or')}, and left it out"
        )
        if not item.unresolved_bases:
            return "\n".join(star_bases_warnings(model, item, consequence))
        return unresolved_warning(model, item, consequence)

    def hint(self, items: Sequence[Item], model: CodeModel) -> str:
        classes = [item for item in items if is_class(item)]
        misses = base_near_misses(model, classes, self.bases)
        if not misses:
            return ""
        return f"bases are matched by their full name; did you mean '{misses[0][1]}'?"


@dataclass(frozen=True)
class Implementing(Filter):
    """Classes that have every method of a protocol (structurally: subclassing it is not
    needed, nor enough), protocols themselves left out."""

    protocols: tuple[str, ...]
    option: str = "that_implement"

    @property
    def description(self) -> str:
        return f"implement {join_names(self.protocols, 'or')}"

    def prepare(self, graph: ProjectGraph, model: CodeModel) -> None:
        for name in self.protocols:
            protocol_named(graph, model, name, self.option)

    def __call__(self, item: Item, graph: ProjectGraph, model: CodeModel) -> bool:
        if not is_class(item) or item.protocol:
            return False
        for name in self.protocols:
            protocol = model.class_named(name)
            if (
                protocol is not None
                and protocol.qualified_name != item.qualified_name
                and not missing_methods(model, item, protocol)
            ):
                return True
        return False

    def dropped(self, item: Item, model: CodeModel) -> str:
        if not is_class(item) or item.protocol:
            return ""
        consequence = (
            f"{self.option} could not tell whether it inherits the methods of "
            f"{join_names(self.protocols, 'or')}, and left it out"
        )
        if not item.unresolved_bases:
            return "\n".join(star_bases_warnings(model, item, consequence))
        return unresolved_warning(model, item, consequence)


@dataclass(frozen=True)
class Named(Filter):
    patterns: tuple[str, ...]
    option: str = "that_are_named"

    @property
    def description(self) -> str:
        return f"are named {join_names(self.patterns, 'or')}"

    def __call__(self, item: Item, graph: ProjectGraph, model: CodeModel) -> bool:
        return any(named_like(item, p) for p in self.patterns)


@dataclass(frozen=True)
class DecoratedWith(Filter):
    decorators: tuple[str, ...]
    option: str = "that_are_decorated_with"

    @property
    def description(self) -> str:
        return f"are decorated with {join_names(self.decorators, 'or')}"

    def __call__(self, item: Item, graph: ProjectGraph, model: CodeModel) -> bool:
        return any(name_matches(d, p) for d in item.decorators for p in self.decorators)

    def dropped(self, item: Item, model: CodeModel) -> str:
        stars, free = model.unknown_stars(item.module)
        names = [head(d) for d in item.decorators if (head(d), item.line) in free]
        if not names:
            return ""
        said = f"{qualified_name(item)} ({location(model, item)}): decorator {join_names(names)}"
        consequence = (
            f"{said}: {self.option} could not tell whether it is decorated with "
            f"{join_names(self.decorators, 'or')}, and left it out"
        )
        return "\n".join(star_warning(model, star, names, consequence) for star in stars)

    def hint(self, items: Sequence[Item], model: CodeModel) -> str:
        seen = sorted({d for item in items for d in item.decorators})
        for pattern in self.decorators:
            if has_wildcard(pattern):
                continue
            # "dataclass" for dataclasses.dataclass: decorators are matched by full name
            same = [d for d in seen if d.rpartition(".")[2] == pattern.rpartition(".")[2]]
            hint = f"; did you mean '{same[0]}'?" if same else did_you_mean(pattern, seen)
            if hint:
                return f"decorators are matched by their full name{hint}"
        return ""


@dataclass(frozen=True)
class TopLevel(Filter):
    """Classes or functions defined in their module's body (``__qualname__`` without a
    dot): not methods, not nested in a class or a function."""

    description = "are top-level"
    option: str = "that_are_top_level"

    def __call__(self, item: Item, graph: ProjectGraph, model: CodeModel) -> bool:
        return "." not in item.name


@dataclass(frozen=True)
class Abstract(Filter):
    description = "are abstract"
    option: str = "that_are_abstract"

    def __call__(self, item: Item, graph: ProjectGraph, model: CodeModel) -> bool:
        return item.abstract


@dataclass(frozen=True)
class Custom(Filter):
    """A user's :class:`~fitness.Predicate`, called with the class or function and the graph."""

    predicate: Predicate
    code_detail: ClassVar[Detail] = Detail.ALL  # it may read anything

    @property
    def description(self) -> str:
        return self.predicate.description

    def __call__(self, item: Item, graph: ProjectGraph, model: CodeModel) -> bool:
        test = cast(Callable[[Any, ProjectGraph], bool], self.predicate.test)
        return bool(test(item, graph))


# Selections --------------------------------------------------------------------


@dataclass(frozen=True)
class CodeSelection:
    """Module patterns, minus exclusions, narrowed by filters: the classes or functions
    of those modules."""

    #: "classes" or "functions": what the selection holds (and its description starts with).
    kind: ClassVar[str] = ""

    patterns: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    #: What errors call the patterns and the exclusions (the options of a declared rule).
    names: tuple[str, str] = dataclasses.field(
        default=("modules", "excluding"), compare=False, repr=False
    )

    def candidates(self, model: CodeModel, modules: Iterable[str]) -> Iterable[Item]:
        """The classes or functions of these modules, in the model's order."""
        raise NotImplementedError

    @property
    def code_detail(self) -> Detail:
        """What the filters read of the code model beyond the outline."""
        detail = Detail.OUTLINE
        for test in self.filters:
            detail |= test.code_detail
        return detail

    def _modules(self, graph: ProjectGraph) -> tuple[set[str], set[str]]:
        """The modules the patterns name, and those the exclusions name."""
        modules: set[str] = set()
        for pattern in self.patterns:
            modules |= expand(graph, pattern, self.names[0])
        excluded: set[str] = set()
        for pattern in self.excluded:
            # A pattern grimp refuses ("*.Sql*") is a glob on qualified names only.
            with contextlib.suppress(RuleError):
                excluded |= expand(graph, pattern, self.names[1])
        return modules, excluded

    def name_mistakes(self, graph: ProjectGraph, *, empty_ok: bool = False) -> list[str]:
        """Each pattern that names no module (a wildcard may match none when ``empty_ok``)
        and each exclusion that names no module, class or function."""
        patterns, exclusions = self.names
        return [
            *(
                m
                for p in self.patterns
                if (m := entry_mistake(graph, patterns, p, empty_ok=empty_ok))
            ),
            *(
                m
                for p in self.excluded
                if (m := CODE_NAMES.mistake(graph, exclusions, p, empty_ok=False))
            ),
        ]

    def modules_in_scope(self, graph: ProjectGraph) -> set[str]:
        """The modules whose classes or functions the selection takes (before its
        filters), leniently: a pattern that names nothing takes nothing here."""
        modules: set[str] = set()
        for pattern in self.patterns:
            with contextlib.suppress(RuleError):
                modules |= expand(graph, pattern, self.names[0])
        for pattern in self.excluded:
            with contextlib.suppress(RuleError):
                modules -= expand(graph, pattern, self.names[1])
        return {m for m in modules if graph.is_internal(m)}

    def _in_modules(self, graph: ProjectGraph, model: CodeModel) -> list[Item]:
        modules, excluded = self._modules(graph)
        return [
            item
            for item in self.candidates(model, modules - excluded)
            if not any(name_matches(qualified_name(item), p) for p in self.excluded)
        ]

    def select(self, graph: ProjectGraph, model: CodeModel) -> list[Item]:
        """The selected classes or functions, in the model's order (module, line, name)."""
        return self.select_noting(graph, model)[0]

    def select_noting(self, graph: ProjectGraph, model: CodeModel) -> tuple[list[Item], list[str]]:
        """The selection, and warnings on what a filter left out without knowing for
        sure (a class whose base cannot be resolved statically)."""
        for test in self.filters:
            test.prepare(graph, model)
        selected = self._in_modules(graph, model)
        warnings: list[str] = []
        for test in self.filters:
            kept = []
            for item in selected:
                if test(item, graph, model):
                    kept.append(item)
                else:
                    warning = test.dropped(item, model)
                    if warning:
                        warnings.extend(warning.split("\n"))
            selected = kept
        return selected, warnings

    def bodies(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> list[Body]:
        """The code outside functions the selection covers (see :class:`Body`)."""
        return []

    def explain_empty(self, graph: ProjectGraph, model: CodeModel) -> str:
        """Why the selection is empty, with a "did you mean" where one helps."""
        hints = []
        for pattern in self.patterns:
            if not expand(graph, pattern, self.names[0]):
                hint = "" if has_wildcard(pattern) else did_you_mean(pattern, graph.modules)
                hints.append(f"'{pattern}' matches no module{hint}")
        if not hints:
            items = self._in_modules(graph, model)
            if not items:
                hints.append(f"those modules define no {self.singular}")
            for test in self.filters:
                passing = [item for item in items if test(item, graph, model)]
                if items and not passing:
                    extra = test.hint(items, model)
                    hints.append(
                        f"none of their {self.kind} {test.description}"
                        + (f" ({extra})" if extra else "")
                    )
                    break
                items = passing
        reason = "; ".join(hints) or f"the exclusions leave no {self.singular}"
        return (
            f"the selection ({self.describe()}) is empty: {reason} "
            "(use .allow_empty(), or allow_empty = true, if that is expected)"
        )

    @property
    def singular(self) -> str:
        return "class" if self.kind == "classes" else "function"

    def describe(self) -> str:
        text = f"{self.kind} in {join_names(self.patterns)}"
        if self.excluded:
            text += f" excluding {join_names(self.excluded)}"
        if self.filters:
            text += " that " + " and that ".join(test.description for test in self.filters)
        return text


@dataclass(frozen=True)
class ClassSelection(CodeSelection):
    kind: ClassVar[str] = "classes"

    def candidates(self, model: CodeModel, modules: Iterable[str]) -> Iterable[Item]:
        return model.classes(modules)

    def bodies(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> list[Body]:
        """The bodies of the selected classes (a class stands for its code)."""
        return [class_body(item) for item in selected if is_class(item) and item.calls]


@dataclass(frozen=True)
class FunctionSelection(CodeSelection):
    """Functions and methods (``module.Class.method``)."""

    kind: ClassVar[str] = "functions"

    def candidates(self, model: CodeModel, modules: Iterable[str]) -> Iterable[Item]:
        return model.functions(methods=True, modules=modules)

    def bodies(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> list[Body]:
        """The modules' code outside functions (their top level and class bodies, run
        at import time), unless filters narrow the selection to some functions (that
        code is no named or decorated function)."""
        if self.filters:
            return []
        modules, excluded = self._modules(graph)
        return [
            body
            for body in module_bodies(model, modules - excluded)
            if not any(name_matches(body.name, p) for p in self.excluded)
        ]
