"""``onion``: Jeffrey Palermo's onion architecture, as ArchUnit's ``onionArchitecture()``.

The same layers and verdicts as ArchUnit's rule: domain models, domain services,
application services, and named adapters.

- The domain models may be used by the domain services, the application services
  and the adapters; the domain services by the application services and the
  adapters; the application services by the adapters: dependencies point to the
  centre (checked as a ``layers`` rule, as ArchUnit checks it as a layered
  architecture).
- Each adapter may not be used by any other layer, other adapters included: the
  adapters are independent of each other (``independence`` over their modules).
- Beyond ArchUnit: the named frameworks are imported only in the adapters, and the
  composition root (``composition_root``), outside every layer, is imported by no
  inner layer, nor by an adapter it wires in; a chain through it is not a
  dependency between the parts it wires (see
  :mod:`fitness.domain.rules.styles.clean_architecture` and
  :mod:`fitness.domain.rules.styles.composition_root`).

Each of the three inner layers is optional, as in ArchUnit (where a missing
predicate matches nothing); a layer that is declared but matches no module is
an error (ArchUnit's default, without ``withOptionalLayers``). Unlike ArchUnit,
which considers every dependency of every class, modules outside all the layers
(a composition root, the package's ``__init__``) are not checked: in Python the
code that wires the onion together lives there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from fitness.domain.errors import ConfigError
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import (
    MODULES,
    MODULES_OR_EXTERNAL,
    ModuleNames,
    governed_by,
    require_in_graph,
    resolve_all,
)
from fitness.domain.options import option
from fitness.domain.rules.base import join_names
from fitness.domain.rules.compose import delegate
from fitness.domain.rules.imports.independence import IndependenceRule
from fitness.domain.rules.styles.clean_architecture import (
    DEFAULT_FRAMEWORKS,
    FRAMEWORKS_DOC,
    Ring,
    RingsRule,
)
from fitness.domain.rules.styles.composition_root import (
    COMPOSITION_ROOT_DOC,
    CompositionRoot,
)
from fitness.domain.violations import Violation

DOMAIN_MODELS = "domain models"
DOMAIN_SERVICES = "domain services"
APPLICATION_SERVICES = "application services"
ADAPTERS = "adapters"


@dataclass(frozen=True, kw_only=True)
class OnionRule(RingsRule):
    """Domain models, domain services, application services, independent adapters."""

    type_name = "onion"
    how_to_fix = (
        "Point the dependency to the centre of the onion: the domain model depends on "
        "nothing, the domain services on the model, the application services on both. An "
        "inner layer that needs something from outside declares an interface (a repository, "
        "a gateway) and an adapter implements it. Adapters do not use each other: they go "
        "through the application services. Framework code lives in the adapters."
    )

    domain_models: tuple[str, ...] = option(
        (),
        doc="the domain model (entities, value objects): the centre, depends on nothing",
        names=MODULES,
    )
    domain_services: tuple[str, ...] = option(
        (),
        doc="the domain services: may use the domain models",
        names=MODULES,
    )
    application_services: tuple[str, ...] = option(
        (),
        doc="the application services (use cases): may use the domain",
        names=MODULES,
    )
    adapters: Mapping[str, str | tuple[str, ...]] | tuple[str, ...] = option(
        doc="the adapters by name ('persistence = \"shop.adapters.db\"', a module, a list or "
        "a wildcard), or a list of modules and wildcards ('shop.adapters.*'), each module an "
        "adapter named by itself: may use every inner layer, never each other",
        names=ModuleNames(mapping="values"),
    )
    frameworks: tuple[str, ...] = option(
        DEFAULT_FRAMEWORKS,
        doc=FRAMEWORKS_DOC.format(where="adapters"),
        names=MODULES_OR_EXTERNAL,
    )
    composition_root: CompositionRoot = option(
        (),
        doc=COMPOSITION_ROOT_DOC.format(who="the adapters it does not wire in (the entry points)"),
        names=MODULES,
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        declared = [self.domain_models, self.domain_services, self.application_services]
        if not any(declared):
            raise ConfigError(
                "declare at least one of 'domain_models', 'domain_services' and "
                "'application_services'",
                key=("domain_models",),
            )
        adapters = (
            self.adapters
            if isinstance(self.adapters, tuple)
            else [m for ms in self._adapter_modules().values() for m in ms]
        )
        for key, modules in (
            ("domain_models", self.domain_models),
            ("domain_services", self.domain_services),
            ("application_services", self.application_services),
            ("adapters", adapters),
        ):
            for module in modules:
                if "|" in module or ":" in module:
                    parts = ", ".join(f'"{p.strip()}"' for p in module.replace(":", "|").split("|"))
                    raise ConfigError(
                        f"option '{key}': '{module}' is not a module; a layer of several "
                        f"modules lists them: {key} = [{parts}]",
                        key=(key,),
                    )
        if not self.adapters:
            raise ConfigError(
                "option 'adapters' must name at least one adapter "
                '(adapters = { persistence = "app.adapters.db" })',
                key=("adapters",),
            )

    def _adapter_modules(self) -> dict[str, tuple[str, ...]]:
        """Each named adapter's module expressions (``{}`` for a list of adapters)."""
        if isinstance(self.adapters, tuple):
            return {}
        return {
            name: (modules,) if isinstance(modules, str) else tuple(modules)
            for name, modules in self.adapters.items()
        }

    def _adapters(self, graph: ProjectGraph) -> dict[str, tuple[str, ...]]:
        """Each adapter's modules in the graph: named ones, or one per module of the list."""
        if isinstance(self.adapters, tuple):
            found = resolve_all(graph, self.adapters, option="adapters")
            require_in_graph(graph, found, option="adapters")
            return {module: (module,) for module in sorted(found)}
        adapters = {
            name: tuple(sorted(resolve_all(graph, modules, option=f"adapters.{name}")))
            for name, modules in self._adapter_modules().items()
        }
        for name, modules in adapters.items():
            require_in_graph(graph, modules, option=f"adapters.{name}")
        return adapters

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        layers = (self.domain_models, self.domain_services, self.application_services)
        adapters = governed_by(graph, self.adapters, kind=ModuleNames(mapping="values"))
        return governed_by(graph, *layers) | adapters

    def describe(self) -> str:
        parts = [
            f"{label} ({join_names(modules)})"
            for label, modules in (
                (DOMAIN_MODELS, self.domain_models),
                (DOMAIN_SERVICES, self.domain_services),
                (APPLICATION_SERVICES, self.application_services),
            )
            if modules
        ]
        if isinstance(self.adapters, tuple):
            parts.append(f"the adapters {join_names(self.adapters)}")
        parts += [
            f"adapter '{name}' ({join_names(modules)})"
            for name, modules in self._adapter_modules().items()
        ]
        return (
            f"Onion architecture consisting of {', '.join(parts)}: dependencies point to the "
            "centre, the adapters are independent of each other, and frameworks are imported "
            f"only in the adapters{self.root_clause()}"
        )

    def declared_rings(self) -> list[tuple[str, str, tuple[str, ...]]]:
        rings = [
            (key, label, modules)
            for key, label, modules in (
                ("domain_models", DOMAIN_MODELS, self.domain_models),
                ("domain_services", DOMAIN_SERVICES, self.domain_services),
                ("application_services", APPLICATION_SERVICES, self.application_services),
            )
            if modules
        ]
        adapters = (
            self.adapters
            if isinstance(self.adapters, tuple)
            else tuple(m for modules in self._adapter_modules().values() for m in modules)
        )
        return [*rings, ("adapters", ADAPTERS, adapters)]

    ring_word: ClassVar[str] = "layer"

    def ring_phrase(self, ring: Ring) -> str:
        return f"the {ring.name}"

    def outward(self, inner: Ring, outer: Ring, violation: Violation) -> str:
        edge = f"{violation.importer} -> {violation.imported}"
        if outer.name == ADAPTERS:
            return (
                f"the {inner.name} must not depend on the adapters ({edge}): dependencies "
                f"point to the centre; declare an interface in the {inner.name} and let the "
                "adapter implement it"
            )
        return (
            f"the {inner.name} must not depend on the {outer.name} ({edge}): dependencies "
            "point to the centre of the onion"
        )

    def framework(self, ring: Ring, violation: Violation) -> str:
        return (
            f"the {ring.name} import the framework {violation.imported} "
            f"({violation.importer} -> {violation.imported}): frameworks belong in the "
            "adapters"
        )

    def outer_parts(self, graph: ProjectGraph, outer: Ring) -> dict[str, tuple[str, ...]]:
        """The adapters, as named."""
        return self._adapters(graph)

    def more(self, graph: ProjectGraph, rings: Sequence[Ring]) -> list[Violation]:
        """Each adapter is used by no other adapter (ArchUnit's ``mayNotBeAccessedByAnyLayer``):
        ``independence`` over the adapters' modules (one grimp query, not one per pair),
        imports within one adapter left out."""
        adapters = self._adapters(graph)
        if len(adapters) < 2:
            return []
        owner = {module: name for name, modules in adapters.items() for module in modules}
        inner = [m for ring in rings if ring.name != ADAPTERS for m in ring.modules]

        def elsewhere(v: Violation) -> list[str]:
            """An inner layer, or an adapter other than the importer's: a chain through one
            is reported as that layer's outward import, or as the import into that adapter
            (an import into the target adapter before the chain's end is reported where
            it enters)."""
            return [
                *inner,
                *(m for m, n in owner.items() if n != owner[v.importer]),
                *self.roots,  # (what it wires is not a dependency between adapters)
            ]

        found = (
            delegate(self, IndependenceRule, modules=tuple(sorted(owner)))
            .without_chains_through(elsewhere)
            .reworded(
                lambda v: (
                    f"adapter '{owner[v.importer]}' depends on adapter "
                    f"'{owner[v.imported]}' ({v.importer} -> {v.imported}): adapters are "
                    "independent of each other; go through the application services"
                )
            )
            .violations(graph)
        )
        # Two modules of one adapter may import each other.
        return [v for v in found if owner[v.importer] != owner[v.imported]]
