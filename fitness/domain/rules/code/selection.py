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
import collections
import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, ClassVar, TypeGuard, cast

from fitness.domain.code.detail import Detail
from fitness.domain.code.linking import StarImport
from fitness.domain.code.model import LOCALS, Call, ClassInfo, FunctionInfo
from fitness.domain.code.project import CodeModel
from fitness.domain.errors import RuleError, did_you_mean
from fitness.domain.graph import ProjectGraph
from fitness.domain.inheritance import Inherited, WayUp
from fitness.domain.modules import ModuleNames, entry_mistake, has_wildcard
from fitness.domain.rules.base import join_names
from fitness.domain.rules.selection import Predicate, expand

Item = ClassInfo | FunctionInfo


def name_matches(name: str, pattern: str) -> bool:
    """Whether a dotted name matches a pattern: equal, inside the module or package the
    pattern names, or matching it as a glob (``*`` crosses dots)."""
    if name == pattern or name.startswith(pattern + "."):
        return True
    return has_wildcard(pattern) and fnmatchcase(name, pattern)


@dataclass(frozen=True)
class Body:
    """Code a selection covers outside every function: a module's top level (run at
    import time) or a class body (run when the class is defined)."""

    #: The module's name, or the class's qualified name.
    name: str
    module: str
    #: How a violation says where the code is: ``at module level``, ``in its class body``.
    where: str
    calls: tuple[Call, ...]
    instantiates: tuple[Call, ...]


#: Where module-level code under ``if __name__ == "__main__":`` is, in a violation.
MAIN_BLOCK = 'in its if __name__ == "__main__" block'


def module_bodies(model: CodeModel, modules: Iterable[str]) -> list[Body]:
    """The code of the modules outside functions, those with calls: each module's top
    level, then each of its class bodies."""
    bodies = []
    for module in sorted(modules):
        code = model.modules.get(module)
        if code is None:
            continue
        calls, instantiates = code.module_level()
        if calls:
            for where, main in (("at module level", False), (MAIN_BLOCK, True)):
                found = tuple(c for c in calls if code.in_main_block(c.line) == main)
                if found:
                    made = tuple(c for c in instantiates if code.in_main_block(c.line) == main)
                    bodies.append(Body(module, module, where, found, made))
        bodies.extend(class_body(cls) for cls in code.classes if cls.calls)
    return bodies


def class_body(cls: ClassInfo) -> Body:
    return Body(cls.qualified_name, cls.module, "in its class body", cls.calls, cls.instantiates)


def unresolved_warning(model: CodeModel, cls: ClassInfo, consequence: str) -> str:
    """The warning for a class with a base the model cannot resolve (``make_base()``)."""
    return (
        f"{qualified_name(cls)} ({location(model, cls)}): base "
        f"{join_names(cls.unresolved_bases)} cannot be resolved statically; {consequence}"
    )


def head(dotted: str) -> str:
    return dotted.partition(".")[0]


def star_warning(model: CodeModel, star: StarImport, names: Iterable[str], consequence: str) -> str:
    """The warning for names that a star import whose names cannot be known may bind."""
    listed = sorted(set(names))
    shown = join_names(listed[:5] + ([f"{len(listed) - 5} more"] if len(listed) > 5 else []))
    where = f"{file_of(model, star.importer) or star.importer}:{star.line}"
    return (
        f"{where}: the names {star.statement} binds cannot be known statically "
        f"({star.unknown}); {shown} may be among them, so {consequence}"
    )


def star_bases_warnings(
    model: CodeModel, cls: ClassInfo, consequence: str, *, decorators: bool = False
) -> list[str]:
    """Warnings for the bases (or decorators) of ``cls`` that a star import whose names
    cannot be known may bind (``from shop.base import *`` with a computed ``__all__``,
    then ``class Order(Model)``)."""
    stars, free = model.unknown_stars(cls.module)
    if not stars:
        return []
    written = cls.decorators if decorators else cls.bases
    names = [head(name) for name in written if (head(name), cls.line) in free]
    if not names:
        return []
    what = "decorator" if decorators else "base"
    said = f"{qualified_name(cls)} ({location(model, cls)}): {what} {join_names(names)}"
    return [star_warning(model, star, names, f"{said}: {consequence}") for star in stars]


def star_calls_warnings(
    model: CodeModel, places: Iterable[tuple[str, str, Iterable[Call]]], consequence: str
) -> list[str]:
    """Warnings for the calls made at ``places`` (module, name, calls) that a star import
    whose names cannot be known may bind: one per star import, naming the places."""
    found: dict[tuple[str, int], tuple[StarImport, set[str], set[str]]] = {}
    for module, name, calls in places:
        stars, free = model.unknown_stars(module)
        if not stars:
            continue
        names = {head(c.target) for c in calls if (head(c.target), c.line) in free}
        if not names:
            continue
        for star in stars:
            entry = found.setdefault((module, star.line), (star, set(), set()))
            entry[1].update(names)
            entry[2].add(name)
    warnings = []
    for _, (star, names, where) in sorted(found.items()):
        listed = sorted(where)
        shown = join_names(listed[:3] + ([f"{len(listed) - 3} more"] if len(listed) > 3 else []))
        warnings.append(star_warning(model, star, names, consequence.format(places=shown)))
    return warnings


def inside_function(name: str, functions: AbstractSet[str]) -> bool:
    """Whether the place ``name`` (a function, a class, a class body) is defined inside one
    of ``functions`` (``mod.f.<locals>.g`` inside ``mod.f``): its code is theirs too."""
    at = name.find(_IN_LOCALS)
    while at != -1:
        if name[:at] in functions:
            return True
        at = name.find(_IN_LOCALS, at + 1)
    return False


_IN_LOCALS = f".{LOCALS}."


def is_class(item: Item) -> TypeGuard[ClassInfo]:
    """Whether the item is a class (told by its shape, not its type: a test runner
    that re-imports modules, as pytester does, must not make a class a function)."""
    return hasattr(item, "bases")


def qualified_name(item: Item) -> str:
    """``module.Class`` or ``module.function`` (``module.Class.method`` for a method)."""
    return f"{item.module}.{item.name}"


def named_like(item: Item, pattern: str) -> bool:
    """A pattern without a dot is matched against the item's own name (``*Repository``,
    the last part of ``Outer.Inner``); with a dot, against its name in its module
    (``Order.*``) or its qualified name (``shop.*.Sql*``)."""
    if "." in pattern:
        return fnmatchcase(item.name, pattern) or fnmatchcase(qualified_name(item), pattern)
    return fnmatchcase(item.name.rpartition(".")[2], pattern)


def location(model: CodeModel, item: Item) -> str:
    """``file:line`` of a class or function (its module's name when the file is unknown)."""
    code = model.modules.get(item.module)
    return f"{code.file if code is not None and code.file else item.module}:{item.line}"


def file_of(model: CodeModel, module: str) -> str | None:
    code = model.modules.get(module)
    return code.file if code is not None and code.file else None


def is_internal_name(graph: ProjectGraph, name: str) -> bool:
    return not has_wildcard(name) and graph.is_internal(name)


def require_classes(
    graph: ProjectGraph, model: CodeModel, names: Iterable[str], option: str
) -> None:
    """A name inside the project must name a class of it (a typo must not make a rule
    pass): raise a :class:`RuleError` with "did you mean" otherwise."""
    for name in names:
        if is_internal_name(graph, name) and model.class_named(name) is None:
            if any(name_matches(c.qualified_name, name) for c in model.classes()):
                continue  # a module or package of the project: its classes
            known = [c.qualified_name for c in model.classes()]
            raise RuleError(
                f"{option}: '{name}' is no class of the project{did_you_mean(name, known)}"
            )


def is_one_of(model: CodeModel, cls: ClassInfo, patterns: Sequence[str]) -> bool:
    """Whether ``cls`` is itself one of the classes ``patterns`` name (by its full name,
    or under a name a pattern gives it: a re-export)."""
    for pattern in patterns:
        if name_matches(cls.qualified_name, pattern):
            return True
        if not has_wildcard(pattern):
            found = model.class_named(pattern)
            if found is not None and found.qualified_name == cls.qualified_name:
                return True
    return False


def ancestry(
    model: CodeModel, cls: ClassInfo, patterns: Sequence[str], *, limit: int | None = None
) -> list[tuple[ClassInfo, str]]:
    """The shortest way from ``cls`` up to a base matching one of ``patterns``: each step
    is (a class, the name of its base on the way), the last base the matching one (or a
    builtin class deriving from it: ``RuntimeError`` for ``Exception``); empty when no
    ancestor matches. Project classes are followed across modules (through re-exports,
    under any name a pattern gives them: ``httpx.BaseTransport`` for
    ``httpx._transports.base.BaseTransport``); an external base is not followed further.
    Of several shortest ways, the first met walking up breadth first, bases in order;
    its first ``limit`` steps only, if given (:func:`ancestry_end` says where it ends)."""
    return _way_up(model, patterns).steps(cls, limit)


def ancestry_end(model: CodeModel, cls: ClassInfo, patterns: Sequence[str]) -> tuple[str, int]:
    """The base matching one of ``patterns`` that :func:`ancestry` leads to, and how many
    steps it takes; ``("", 0)`` when no ancestor matches."""
    return _way_up(model, patterns).end(cls)


def subclasses(model: CodeModel, cls: ClassInfo, patterns: Sequence[str]) -> bool:
    """Whether ``cls`` has an ancestor matching one of ``patterns`` (as :func:`ancestry`
    finds them, without making the way)."""
    return _way_up(model, patterns).distance(cls) > 0


def _way_up(model: CodeModel, patterns: Sequence[str]) -> WayUp:
    """The ways up to ``patterns``, shared by every rule asking about them on ``model``."""

    def make() -> WayUp:
        wanted = list(patterns)
        for pattern in patterns:
            if not has_wildcard(pattern):
                found = model.class_named(pattern)
                if found is not None and found.qualified_name != pattern:
                    wanted.append(found.qualified_name)
        return WayUp(model, lambda name: any(name_matches(name, p) for p in wanted))

    return model.derived(("way up", tuple(patterns)), make)


def base_near_misses(
    model: CodeModel, classes: Iterable[ClassInfo], patterns: Sequence[str]
) -> list[tuple[str, str]]:
    """(pattern, full name) for each pattern that names no ancestor of ``classes`` but
    ends the full name of one (``"DeclarativeBase"`` for ``sqlalchemy.orm.DeclarativeBase``):
    bases are matched by their full name, so a short one would match nothing, silently."""
    ancestors = model.ancestors_of_all(classes)
    found = []
    for pattern in patterns:
        if has_wildcard(pattern) or any(name_matches(a, pattern) for a in ancestors):
            continue
        similar = sorted(a for a in ancestors if a.endswith("." + pattern))
        if similar:
            found.append((pattern, similar[0]))
    return found


def available_methods(
    model: CodeModel, cls: ClassInfo, *, leaving_out: frozenset[str] = frozenset()
) -> set[str]:
    """The names of the concrete methods a class has, its own and those of its project
    ancestors (except the classes ``leaving_out`` names)."""
    return set(Inherited(model, _concrete_methods, leaving_out=leaving_out).names(cls))


def _concrete_methods(cls: ClassInfo) -> frozenset[str]:
    return frozenset(m.name.rpartition(".")[2] for m in cls.methods if not m.abstract)


def required_methods(model: CodeModel, protocol: ClassInfo) -> tuple[frozenset[str], set[str]]:
    """The public methods a protocol (or any class) asks for, its own and those of its
    project ancestors, and the protocols among those classes: their methods are
    declarations, which a class deriving from them does not get by inheriting."""
    protocols, names = model.derived(
        ("required methods", protocol.qualified_name), lambda: _required_methods(model, protocol)
    )
    return protocols, set(names)


def _required_methods(
    model: CodeModel, protocol: ClassInfo
) -> tuple[frozenset[str], frozenset[str]]:
    names: set[str] = set()
    classes: set[str] = set()
    protocols: set[str] = set()
    pending = collections.deque([protocol.qualified_name])
    while pending:
        found = model.class_named(pending.popleft())
        if found is None or found.qualified_name in classes:
            continue
        classes.add(found.qualified_name)
        if found.protocol:
            protocols.add(found.qualified_name)
        names |= {
            m.name.rpartition(".")[2]
            for m in found.methods
            if m.public and m.name.rpartition(".")[2] not in ("__init__", "__init_subclass__")
        }
        pending.extend(found.bases)
    return frozenset(protocols), frozenset(names)


def missing_methods(model: CodeModel, cls: ClassInfo, protocol: ClassInfo) -> list[str]:
    """The methods of ``protocol`` that ``cls`` does not have, structurally: defined on
    it, or inherited as a concrete method (an abstract one, or one a ``Protocol`` only
    declares, does not count)."""
    if cls.qualified_name == protocol.qualified_name:
        return []
    protocols, required = required_methods(model, protocol)

    def make() -> Inherited:
        wanted = frozenset(required)
        return Inherited(model, lambda c: _concrete_methods(c) & wanted, leaving_out=protocols)

    inherited = model.derived(("methods of", protocol.qualified_name), make)
    return sorted(required - inherited.names(cls))


def protocol_named(graph: ProjectGraph, model: CodeModel, name: str, option: str) -> ClassInfo:
    found = model.class_named(name)
    if found is None:
        known = [c.qualified_name for c in model.classes()]
        raise RuleError(
            f"{option}: '{name}' is no class of the project{did_you_mean(name, known)} "
            "(a protocol is compared method by method, so it must be one of the project's classes)"
        )
    return found


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
