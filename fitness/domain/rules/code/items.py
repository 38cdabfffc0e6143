"""What the class and function rules ask of the code model about one class or function
(an item): its name and place, where its module's code outside functions is (bodies),
its bases up the hierarchy and the methods it has, and the warnings when the model cannot
say (a base it cannot resolve, a star import). :mod:`fitness.domain.rules.code.selection`
selects items with these questions, :mod:`fitness.domain.rules.code.conditions` judges
them."""

from __future__ import annotations

import collections
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TypeGuard

from fitness.domain.code.linking import StarImport
from fitness.domain.code.model import LOCALS, Call, ClassInfo, FunctionInfo
from fitness.domain.code.project import CodeModel
from fitness.domain.errors import RuleError, did_you_mean
from fitness.domain.graph import ProjectGraph
from fitness.domain.inheritance import Inherited, WayUp
from fitness.domain.modules import has_wildcard
from fitness.domain.rules.base import join_names

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
