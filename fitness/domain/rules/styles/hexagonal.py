"""``hexagonal``: ports and adapters (the hexagonal, or onion, architecture).

The principles of the hexagon, each checked with the machinery of another
rule type (as ArchUnit builds its onion architecture from its public rule
API), and each violation saying which principle it breaks:

1. The domain is pure: it imports nothing outside itself but the standard
   library and ``domain_may_import`` (external packages or internal modules).
2. The domain does not import the application (layers: application > domain;
   separate ports sit between them).
3. The ports depend only on the domain (and each other).
4. Each adapter is independent of every other (independence); a chain through the
   composition root is not a dependency between adapters.
5. Only the composition root imports the adapters (protected).
6. Nothing imports the composition root but the driving adapters, the entry points
   (protected, the adapters it does not import allowed): see
   :mod:`fitness.domain.rules.styles.composition_root`.

External packages are needed to check the domain's purity, so a configuration
with a hexagonal rule builds the graph with ``include_external_packages``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import (
    MODULES,
    MODULES_OR_EXTERNAL,
    governed_by,
    has_wildcard,
    require_in_graph,
    resolve_all,
)
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.compose import delegate, refused_imports
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from fitness.domain.rules.imports.independence import IndependenceRule
from fitness.domain.rules.imports.layers import LayersRule
from fitness.domain.rules.imports.protected import ProtectedRule
from fitness.domain.rules.styles.composition_root import (
    COMPOSITION_ROOT_DOC,
    CompositionRoot,
    check_roots,
    in_any,
    roots_of,
    wired_importer,
    wired_in,
)
from fitness.domain.rules.support import (
    INTERNAL_DESCENDANTS,
    STANDARD_LIBRARY,
    IgnoringRule,
    require_internal,
)
from fitness.domain.violations import Violation


@dataclass(frozen=True, kw_only=True)
class HexagonalRule(IgnoringRule):
    """Ports and adapters: a pure domain, an application with its ports, independent
    adapters that only the composition root wires in."""

    type_name = "hexagonal"
    needs_external_packages = True
    how_to_fix = (
        "Keep the dependencies pointing inwards: adapters -> application (ports) -> domain. "
        "The application and the domain declare what they need as ports; adapters implement "
        "them; only the composition root knows the adapters and wires them in."
    )

    domain: str = option(doc="the domain package: pure, knows nothing of the rest", names=MODULES)
    application: str = option(
        doc="the application package: use cases, may import the domain", names=MODULES
    )
    ports: str = option("", doc="the ports (interfaces): may import only the domain", names=MODULES)
    adapters: tuple[str, ...] = option(
        doc="the adapters (a list, or a wildcard such as 'shop.adapters.*'): independent",
        names=MODULES,
    )
    composition_root: CompositionRoot = option(
        (),
        doc=COMPOSITION_ROOT_DOC.format(who="the driving adapters (entry points)")
        + "; the only modules that may import adapters (without one, nothing outside the "
        "adapters may import them)",
        names=MODULES,
    )
    domain_may_import: tuple[str, ...] = option(
        (),
        doc="packages besides the standard library the domain may import",
        names=MODULES_OR_EXTERNAL,
    )

    def __post_init__(self) -> None:
        parts = [("domain", self.domain), ("application", self.application)]
        if self.ports:
            parts.append(("ports", self.ports))
        for key, name in parts:
            if not name or has_wildcard(name):
                raise ConfigError(f"option '{key}' must be one module name", key=(key,))
        parts += [("composition_root", root) for root in check_roots(self.composition_root)]
        if not self.adapters:
            raise ConfigError("option 'adapters' must name at least one adapter", key=("adapters",))
        for index, (key, name) in enumerate(parts):
            for other_index, (other_key, other) in enumerate(parts):
                allowed = (key, other_key) == ("ports", "application") or key == other_key
                if index != other_index and in_package(name, other) and not allowed:
                    raise ConfigError(
                        f"option '{key}' ({name}) cannot be inside '{other_key}' ({other})",
                        key=(key,),
                    )

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        parts = (self.domain, self.application, self.ports, self.composition_root)
        return governed_by(graph, self.adapters, *parts)

    def describe(self) -> str:
        ports = f" with its ports {self.ports}" if self.ports else ""
        root = (
            f"; only {join_names(self.roots, 'or')} may import the adapters"
            if self.roots
            else "; nothing may import the adapters"
        )
        return (
            f"Ports and adapters: the domain {self.domain} is pure, the application "
            f"{self.application}{ports} does not know the adapters "
            f"{join_names(self.adapters)}, which are independent of each other{root}"
        )

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        named = [self.domain, self.application, self.ports, *self.roots]
        require_in_graph(graph, [n for n in named if n], option="hexagonal")
        for key, name in (("domain", self.domain), ("ports", self.ports)):
            if name:
                require_internal(graph, [name], option=key, needs=INTERNAL_DESCENDANTS)
        adapters = resolve_all(graph, self.adapters, option="adapters")
        require_in_graph(graph, adapters, option="adapters")
        for adapter in sorted(adapters):
            for name in (n for n in named if n):
                if in_package(adapter, name) or in_package(name, adapter):
                    raise RuleError(f"adapters: '{adapter}' overlaps '{name}'")
        if not graph.include_external_packages:
            raise RuleError(
                "the graph was built without external packages, so the domain's purity "
                "cannot be checked (set include_external_packages = true)"
            )
        violations = [
            *self._domain_purity(graph, adapters),
            *self._layering(graph),
            *self._ports_purity(graph, adapters),
            *self._independent_adapters(graph, adapters),
            *self._only_root_imports_adapters(graph, adapters),
            *self._nothing_imports_root(graph, adapters),
        ]
        return Findings.of(violations, warnings)

    # The principles ----------------------------------------------------------

    def _domain_purity(self, graph: ProjectGraph, adapters: set[str]) -> list[Violation]:
        """External packages through any chain, internal modules outside the hexagon directly."""
        allowed = set(self.domain_may_import)
        external = {
            m
            for m in graph.modules
            if not graph.is_internal(m)
            and "." not in m
            and m not in STANDARD_LIBRARY
            and not any(in_package(m, a) for a in allowed)
        }
        violations = []
        if external:
            violations += (
                delegate(
                    self,
                    ForbiddenRule,
                    source_modules=(self.domain,),
                    forbidden_modules=tuple(external),
                )
                .reworded(lambda v: f"the domain imports the infrastructure package {v.imported}")
                .violations(graph)
            )
        hexagon = [self.domain, self.application, self.ports, *self.roots, *adapters]
        members = [n for n in hexagon if n]
        return violations + refused_imports(
            graph,
            self._package(graph, self.domain),
            lambda imported: (
                graph.is_internal(imported)
                and not any(in_package(imported, m) for m in [*members, *allowed])
            ),
            lambda _, imported: (
                f"the domain imports {imported}, which is outside the domain "
                "(add it to domain_may_import if the domain may use it)"
            ),
        )

    def _layering(self, graph: ProjectGraph) -> list[Violation]:
        separate_ports = bool(self.ports) and not in_package(self.ports, self.application)
        layers = [self.application, *([self.ports] if separate_ports else []), self.domain]
        names = {
            self.application: "the application layer",
            self.ports: "the ports",
            self.domain: "the domain",
        }

        def summary(v: Violation) -> str:
            importer = names[v.importer]
            verb = "import" if importer == "the ports" else "imports"
            return f"{importer} {verb} {names[v.imported]} ({v.importer} -> {v.imported})"

        return delegate(self, LayersRule, layers=tuple(layers)).reworded(summary).violations(graph)

    def _ports_purity(self, graph: ProjectGraph, adapters: set[str]) -> list[Violation]:
        if not self.ports:
            return []
        reported_elsewhere = [self.domain, self.ports, *self.roots, *adapters]
        if not in_package(self.ports, self.application):
            reported_elsewhere.append(self.application)  # by the layering
        return refused_imports(
            graph,
            self._package(graph, self.ports),
            lambda imported: (
                graph.is_internal(imported)
                and not any(in_package(imported, m) for m in reported_elsewhere if m)
            ),
            lambda importer, imported: (
                f"the port {importer} imports {imported}; ports may depend only on the domain"
            ),
        )

    def _independent_adapters(self, graph: ProjectGraph, adapters: set[str]) -> list[Violation]:
        if len(adapters) < 2:
            return []
        return (
            delegate(self, IndependenceRule, modules=tuple(sorted(adapters)))
            .without_chains_through(self.roots)  # (what it wires is not a dependency)
            .reworded(lambda v: f"adapter {v.importer} depends on adapter {v.imported}")
            .violations(graph)
        )

    def _only_root_imports_adapters(
        self, graph: ProjectGraph, adapters: set[str]
    ) -> list[Violation]:
        allowed = tuple(sorted(adapters)) + self.roots
        only = (
            f"only the composition root ({join_names(self.roots)}) may import adapters"
            if self.roots
            else "no module outside the adapters may import them"
        )
        return (
            delegate(
                self,
                ProtectedRule,
                protected_modules=tuple(sorted(adapters)),
                allowed_importers=allowed,
            )
            .reworded(lambda v: f"{v.imported} is imported by {v.importer}; {only}")
            .violations(graph)
        )

    def _nothing_imports_root(self, graph: ProjectGraph, adapters: set[str]) -> list[Violation]:
        if not self.roots:
            return []
        wired = wired_in(graph, self.roots, {adapter: (adapter,) for adapter in adapters})
        driving = sorted(adapters - wired)

        def summary(v: Violation) -> str:
            said = f"{v.importer} imports the composition root {v.imported}"
            if in_any(v.importer, wired):
                return wired_importer(v.importer, v.imported)
            if not driving:
                return f"{said}; nothing may import it"
            return f"{said}; only the driving adapters (the entry points) may import it"

        return (
            delegate(
                self,
                ProtectedRule,
                protected_modules=self.roots,
                allowed_importers=(*driving, *self.roots),
            )
            .reworded(summary)
            .violations(graph)
        )

    @property
    def roots(self) -> tuple[str, ...]:
        """The composition root's modules (none, one or several)."""
        return roots_of(self.composition_root)

    @staticmethod
    def _package(graph: ProjectGraph, module: str) -> Iterable[str]:
        return {module} | graph.grimp.find_descendants(module)
