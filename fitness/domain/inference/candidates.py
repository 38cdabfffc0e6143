"""What a recognised layout suggests: the rules to try, and what they say about layering.

A recogniser (:mod:`.styles`, :mod:`.modular`, :mod:`.web`) returns a
:class:`Recognition` for each layout it finds: which style, where, and why (the
names and imports it saw), with the :class:`Candidate` rules of that style, the
order the style gives the children of a package (so a layering inferred from
today's imports that runs the other way is not proposed), and the packages whose
children are autonomous (never layered).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fitness.domain.graph import ProjectGraph, collapse, in_package


@dataclass(frozen=True)
class Candidate:
    """A rule a layout suggests, as its options, tightest first.

    ``fitness init`` keeps the first variant that holds today (``options``, then each
    of ``looser``); ``fitness init --baseline`` keeps the tightest one it can check,
    and records its violations."""

    name: str
    type: str
    options: Mapping[str, Any]
    looser: tuple[Mapping[str, Any], ...] = ()
    #: Packages whose children this rule puts in layers: no layering of them is
    #: inferred from today's imports where this rule is kept.
    layers: tuple[str, ...] = ()

    @property
    def variants(self) -> tuple[Mapping[str, Any], ...]:
        return (self.options, *self.looser)


@dataclass(frozen=True)
class Recognition:
    """A layout recognised in the code: ``{style} in {where}, because {because}``."""

    style: str
    where: str
    because: str
    candidates: tuple[Candidate, ...] = ()
    #: For a package, its children the style places, each with its ring: 0 is the
    #: outermost. A layering in which an inner child sits above an outer one is the
    #: wrong way round for the style.
    ranks: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    #: Packages whose children are autonomous modules: never layered.
    autonomous: tuple[str, ...] = ()
    #: Packages inside which no other layout is looked for (a module's inside, whose
    #: structure this recognition states; a shared kernel's base classes).
    covers: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        return f"{self.style} in {self.where}, because {self.because}"


def children(graph: ProjectGraph, package: str) -> dict[str, str]:
    """Short name -> module of each child of ``package``."""
    return {child.rpartition(".")[2]: child for child in sorted(graph.grimp.find_children(package))}


def first(found: Mapping[str, str], names: Iterable[str]) -> str | None:
    """The module of the first of ``names`` that ``found`` has."""
    return next((found[name] for name in names if name in found), None)


def short(module: str, package: str) -> str:
    """``module`` relative to ``package`` (``domain.model`` in ``allocation``)."""
    return (
        module[len(package) + 1 :] if in_package(module, package) and module != package else module
    )


def listing(names: Iterable[str], word: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (or ``word`` for ``and``)."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def imports_any(graph: ProjectGraph, package: str, externals: Iterable[str]) -> list[str]:
    """Which of the external packages ``externals`` the modules of ``package`` import
    (none of them, where it is one of the root packages: the code is its own)."""
    wanted = {name for name in externals if not graph.is_internal(name)}
    found = set()
    for module in graph.with_descendants(package):
        found |= wanted & graph.imported_by(module)
    return sorted(found)


def uses(graph: ProjectGraph, components: Iterable[str]) -> dict[str, set[str]]:
    """Which of ``components`` (any modules, each with its descendants) import which,
    directly."""
    chosen = sorted(set(components), key=len, reverse=True)  # the innermost owns a module

    def owner(module: str) -> str | None:
        return next((c for c in chosen if in_package(module, c)), None)

    result: dict[str, set[str]] = {}
    for component in chosen:
        for module in graph.with_descendants(component):
            if owner(module) != component:
                continue
            for imported in graph.imported_by(module):
                target = owner(imported)
                if target is not None and target != component:
                    result.setdefault(component, set()).add(target)
    return result


def independent(graph: ProjectGraph, package: str) -> bool:
    """Whether no child of ``package`` directly imports another (at least two children)."""
    found = list(children(graph, package).values())
    if len(found) < 2:
        return False
    depth = package.count(".") + 2
    for child in found:
        for module in graph.with_descendants(child):
            for imported in graph.imported_by(module):
                target = collapse(imported, depth)
                if target != child and target in found:
                    return False
    return True
