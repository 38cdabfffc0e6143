"""``clean_architecture``: concentric rings, dependencies pointing inwards only.

Robert C. Martin's Clean Architecture: from the centre outwards, entities, use
cases, interface adapters, frameworks and drivers. Its one rule, the
Dependency Rule, is checked with the machinery of other rule types (as
``hexagonal`` does), each violation saying which ring broke it:

1. Dependencies point inwards: a ring imports only the rings inside it
   (``layers``, the outermost ring on top; chains through modules outside the
   rings count, as they do for ``layers``).
2. The named frameworks (web frameworks, ORMs, HTTP clients) are imported only
   in the outermost ring (``forbidden`` for each inner ring; a chain that runs
   through another ring is left out: it is reported already, as that ring's
   outward import or its own framework import).
3. The composition root (``composition_root``, if any) is outside every ring:
   no inner ring depends on it (``forbidden``), an outer module it wires in does not
   import it back, and a chain through it breaks neither principle above (see
   :mod:`fitness.domain.rules.styles.composition_root`).

:class:`RingsRule` is the machinery both ``clean_architecture`` and ``onion``
(:mod:`fitness.domain.rules.styles.onion`) are built on; each names its rings and says
the violations in its own words.
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import (
    MODULES,
    MODULES_OR_EXTERNAL,
    ModuleNames,
    governed_by,
    require_in_graph,
    resolve_all,
)
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.compose import delegate, refused_imports
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from fitness.domain.rules.imports.layers import LayersRule
from fitness.domain.rules.styles.composition_root import (
    COMPOSITION_ROOT_DOC,
    CompositionRoot,
    check_roots,
    in_any,
    roots_of,
    wired_importer,
    wired_in,
)
from fitness.domain.rules.support import IgnoringRule
from fitness.domain.violations import Violation

#: Packages that tie code to a delivery mechanism or a storage technology: web
#: frameworks, ORMs and database drivers, HTTP clients, task queues, cloud SDKs.
DEFAULT_FRAMEWORKS = (
    "aiohttp",
    "asyncpg",
    "boto3",
    "botocore",
    "bottle",
    "celery",
    "django",
    "falcon",
    "fastapi",
    "flask",
    "httpx",
    "litestar",
    "mongoengine",
    "peewee",
    "pony",
    "psycopg",
    "psycopg2",
    "pymongo",
    "pymysql",
    "pyramid",
    "quart",
    "redis",
    "requests",
    "sanic",
    "sqlalchemy",
    "sqlmodel",
    "starlette",
    "tornado",
    "tortoise",
    "urllib3",
)

FRAMEWORKS_DOC = (
    "external packages that only the {where} may import (by default web frameworks, ORMs "
    "and database drivers, HTTP clients, task queues, cloud SDKs); a list replaces the default"
)


class Ring(NamedTuple):
    """One ring of the architecture: its name in the style's words, and its modules."""

    name: str
    modules: tuple[str, ...]

    @property
    def shown(self) -> str:
        return f"{self.name} ({join_names(self.modules)})"


@dataclass(frozen=True, kw_only=True)
class RingsRule(IgnoringRule, abc.ABC):
    """Concentric rings, dependencies pointing inwards, frameworks only outside."""

    needs_external_packages = True

    if TYPE_CHECKING:  # options of each style, listed after its own rings
        frameworks: tuple[str, ...]
        composition_root: CompositionRoot

    # What a style declares -----------------------------------------------------

    #: What the style calls one of its rings, in "each module belongs to one ring".
    ring_word: ClassVar[str] = "ring"

    @abc.abstractmethod
    def declared_rings(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """``(option, ring name, module expressions)`` from the centre outwards."""

    def ring_phrase(self, ring: Ring) -> str:
        """A ring as the messages name it: ``the entities ring``."""
        return f"the {_ring(ring)}"

    @abc.abstractmethod
    def outward(self, inner: Ring, outer: Ring, violation: Violation) -> str:
        """The summary of an import from ``inner`` out to ``outer``."""

    @abc.abstractmethod
    def framework(self, ring: Ring, violation: Violation) -> str:
        """The summary of ``ring`` importing a framework (``violation.imported``)."""

    def more(self, graph: ProjectGraph, rings: Sequence[Ring]) -> list[Violation]:
        """Principles a style adds (the onion's independent adapters)."""
        return []

    @property
    def roots(self) -> tuple[str, ...]:
        """The composition root's modules (none, one or several)."""
        return roots_of(self.composition_root)

    def __post_init__(self) -> None:
        check_roots(self.composition_root)

    def root_clause(self) -> str:
        """What the description says of the composition root, if there is one."""
        if not self.roots:
            return ""
        return f"; {join_names(self.roots)}, the composition root, wires them from outside"

    # The principles ------------------------------------------------------------

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        rings = self.resolve_rings(graph)
        if not graph.include_external_packages:
            raise RuleError(
                "the graph was built without external packages, so the frameworks "
                "cannot be seen (set include_external_packages = true)"
            )
        violations = [
            *self._inwards(graph, rings),
            *self._frameworks(graph, rings),
            *self._composition_root(graph, rings),
            *self.more(graph, rings),
        ]
        return Findings.of(violations, warnings)

    def resolve_rings(self, graph: ProjectGraph) -> list[Ring]:
        """The declared rings, resolved in the graph; a ring inside another is an error."""
        rings = []
        for key, name, expressions in self.declared_rings():
            modules = resolve_all(graph, expressions, option=key)
            require_in_graph(graph, modules, option=key)
            rings.append(Ring(name, tuple(sorted(modules))))
        require_in_graph(graph, self.roots, option="composition_root")
        for root in self.roots:
            for ring in rings:
                for module in ring.modules:
                    if in_package(root, module) or in_package(module, root):
                        raise RuleError(
                            f"composition_root: '{root}' overlaps '{module}' "
                            f"({self.ring_phrase(ring)}); the composition root is outside "
                            f"every {self.ring_word}"
                        )
        owner: list[tuple[str, Ring]] = []  # the modules of the rings before, and their ring
        for (key, _, _), ring in zip(self.declared_rings(), rings, strict=True):
            for module in ring.modules:
                for other, other_ring in owner:
                    if module == other:
                        where = (
                            f"is in {self.ring_phrase(other_ring)} and in {self.ring_phrase(ring)}"
                        )
                    elif in_package(module, other) or in_package(other, module):
                        inner, outer = (
                            (module, other) if in_package(module, other) else (other, module)
                        )
                        rings_of = {
                            module: self.ring_phrase(ring),
                            other: self.ring_phrase(other_ring),
                        }
                        where = f"({rings_of[inner]}) is inside '{outer}' ({rings_of[outer]})"
                        module = inner
                    else:
                        continue
                    raise RuleError(
                        f"{key}: '{module}' {where}; each module belongs to one {self.ring_word}"
                    )
                owner.append((module, ring))
        return rings

    def _inwards(self, graph: ProjectGraph, rings: Sequence[Ring]) -> list[Violation]:
        index = {module: number for number, ring in enumerate(rings) for module in ring.modules}
        layers = tuple(" : ".join(ring.modules) for ring in reversed(rings))
        return (
            delegate(self, LayersRule, layers=layers)
            .without_chains_through(self.roots)  # (an inner ring importing it: below)
            .reworded(lambda v: self.outward(rings[index[v.importer]], rings[index[v.imported]], v))
            .violations(graph)
        )

    def _frameworks(self, graph: ProjectGraph, rings: Sequence[Ring]) -> list[Violation]:
        present = sorted(
            {
                module
                for module in graph.modules
                if not graph.is_internal(module)
                and any(in_package(module, f) for f in self.frameworks)
            }
        )
        if not present:
            return []
        # A chain through another ring is reported already: as an outward import (an
        # outer ring), or as the framework import of that (inner) ring.
        return [
            violation
            for ring in rings[:-1]
            for violation in delegate(
                self, ForbiddenRule, source_modules=ring.modules, forbidden_modules=tuple(present)
            )
            .without_chains_through(
                [m for other in rings if other is not ring for m in other.modules] + [*self.roots]
            )
            .reworded(functools.partial(self.framework, ring))
            .violations(graph)
        ]

    def _composition_root(self, graph: ProjectGraph, rings: Sequence[Ring]) -> list[Violation]:
        """No inner ring depends on the composition root (a chain through another ring is
        that ring's); no outer module it wires in imports it back."""
        if not self.roots:
            return []
        outer = rings[-1]
        inner = [
            violation
            for ring in rings[:-1]
            for violation in delegate(
                self, ForbiddenRule, source_modules=ring.modules, forbidden_modules=self.roots
            )
            .without_chains_through(
                [m for other in rings if other is not ring for m in other.modules]
            )
            .reworded(functools.partial(self.into_root, ring, outer))
            .violations(graph)
        ]
        parts = self.outer_parts(graph, outer)
        wired = [m for name in wired_in(graph, self.roots, parts) for m in parts[name]]
        return inner + refused_imports(
            graph,
            {member for module in sorted(wired) for member in graph.with_descendants(module)},
            lambda imported: in_any(imported, self.roots),
            wired_importer,
        )

    def outer_parts(self, graph: ProjectGraph, outer: Ring) -> dict[str, tuple[str, ...]]:
        """The parts of the outermost ring a composition root wires in one by one: each
        child of its packages (a web framework's glue, a database driver's)."""
        parts: dict[str, tuple[str, ...]] = {}
        for module in outer.modules:
            children = graph.grimp.find_children(module) if graph.is_internal(module) else set()
            parts |= {child: (child,) for child in sorted(children)} or {module: (module,)}
        return parts

    def into_root(self, ring: Ring, outer: Ring, violation: Violation) -> str:
        """The summary of an inner ``ring`` depending on the composition root."""
        return (
            f"{self.ring_phrase(ring)} must not depend on the composition root "
            f"{violation.imported} ({violation.importer} -> {violation.imported}): it wires "
            f"the {self.ring_word}s together from the outside; only {self.ring_phrase(outer)} "
            "(the entry points) may import it"
        )


#: Martin's four rings, from the centre outwards.
CLEAN_RINGS = ("entities", "use cases", "interface adapters", "frameworks and drivers")


@dataclass(frozen=True, kw_only=True)
class CleanArchitectureRule(RingsRule):
    """Martin's rings: entities, use cases, interface adapters, frameworks and drivers."""

    type_name = "clean_architecture"
    how_to_fix = (
        "Make the dependency point inwards (the Dependency Rule): the inner ring declares an "
        "interface for what it needs (a Protocol or an abstract class, with plain data "
        "crossing the boundary), an outer ring implements it, and the outermost ring wires "
        "them together. Framework code (web, ORM, HTTP client) moves out to the frameworks "
        "and drivers ring, behind an interface of an inner ring."
    )

    rings: tuple[str, ...] = option(
        doc="the rings from the centre outwards, each a module, a wildcard ('app.adapters.*') "
        "or siblings 'a | b'; four rings are Martin's entities, use cases, interface adapters, "
        "frameworks and drivers",
        names=ModuleNames(separator="|"),
    )
    ring_names: tuple[str, ...] = option(
        (),
        doc="a name for each ring, in the same order (default: Martin's four names for four "
        "rings, else the rings' modules)",
    )
    frameworks: tuple[str, ...] = option(
        DEFAULT_FRAMEWORKS,
        doc=FRAMEWORKS_DOC.format(where="outermost ring"),
        names=MODULES_OR_EXTERNAL,
    )
    composition_root: CompositionRoot = option(
        (),
        doc=COMPOSITION_ROOT_DOC.format(
            who="the outermost ring (its parts the root does not wire in)"
        ),
        names=MODULES,
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.rings) < 2:
            raise ConfigError(
                "option 'rings' must name at least two rings, from the centre outwards",
                key=("rings",),
            )
        if self.ring_names and len(self.ring_names) != len(self.rings):
            raise ConfigError(
                f"option 'ring_names' names {len(self.ring_names)} rings, 'rings' has "
                f"{len(self.rings)}",
                key=("ring_names",),
            )

    def names(self) -> tuple[str, ...]:
        if self.ring_names:
            return self.ring_names
        if len(self.rings) == len(CLEAN_RINGS):
            return CLEAN_RINGS
        return tuple(f"the ring {ring}" for ring in self.rings)

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return governed_by(graph, self.rings, kind=ModuleNames(separator="|"))

    def describe(self) -> str:
        rings = ", ".join(
            f"{name} ({join_names(_parts(ring))})" if name != f"the ring {ring}" else ring
            for name, ring in zip(self.names(), self.rings, strict=True)
        )
        return (
            f"Clean architecture, from the centre outwards: {rings}; dependencies point "
            f"inwards only, and frameworks are imported only in the outermost ring"
            f"{self.root_clause()}"
        )

    def declared_rings(self) -> list[tuple[str, str, tuple[str, ...]]]:
        return [
            ("rings", name, _parts(ring))
            for name, ring in zip(self.names(), self.rings, strict=True)
        ]

    def outward(self, inner: Ring, outer: Ring, violation: Violation) -> str:
        return (
            f"the {_ring(inner)} must not know the {_ring(outer)} "
            f"({violation.importer} -> {violation.imported}): dependencies point inwards; "
            f"invert it with an interface in the {_ring(inner)}"
        )

    def framework(self, ring: Ring, violation: Violation) -> str:
        return (
            f"the {_ring(ring)} imports the framework {violation.imported} "
            f"({violation.importer} -> {violation.imported}): frameworks belong in the "
            "outermost ring, behind an interface of an inner ring"
        )


def _parts(ring: str) -> tuple[str, ...]:
    """``"a | b"`` -> ``("a", "b")``: the modules of one ring."""
    return tuple(part.strip() for part in ring.split("|"))


def _ring(ring: Ring) -> str:
    """``entities ring``; ``the ring app.x`` as it is."""
    return ring.name[4:] if ring.name.startswith("the ring ") else f"{ring.name} ring"
