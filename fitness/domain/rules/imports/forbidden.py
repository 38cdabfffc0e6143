"""``forbidden``: source modules must not import the forbidden modules."""

from __future__ import annotations

from dataclasses import dataclass

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import (
    MODULES,
    MODULES_OR_EXTERNAL,
    governed_by,
    require_in_graph,
    resolve_all,
)
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.support import IgnoringRule
from fitness.domain.violations import Chain, Violation


@dataclass(frozen=True, kw_only=True)
class ForbiddenRule(IgnoringRule):
    """No chain of imports (or, with ``allow_indirect_imports``, no direct import)
    may lead from a source module to a forbidden one."""

    type_name = "forbidden"
    how_to_fix = (
        "Remove the import, or depend on an abstraction the source modules own "
        "instead of the forbidden module."
    )

    source_modules: tuple[str, ...] = option(
        doc="modules that must not import the others", names=MODULES
    )
    forbidden_modules: tuple[str, ...] = option(
        doc="modules (internal, or external top-level packages) they must not import",
        names=MODULES_OR_EXTERNAL,
    )
    allow_indirect_imports: bool = option(False, doc="forbid only direct imports")
    as_packages: bool = option(True, doc="treat the modules as packages, with their descendants")

    def __post_init__(self) -> None:
        for name in ("source_modules", "forbidden_modules"):
            if not getattr(self, name):
                raise ConfigError(f"option '{name}' must name at least one module", key=(name,))

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return governed_by(graph, self.source_modules)

    def describe(self) -> str:
        how = "directly import" if self.allow_indirect_imports else "import"
        sources = join_names(self.source_modules)
        return f"Modules in {sources} must not {how} {join_names(self.forbidden_modules, 'or')}"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        sources = resolve_all(graph, self.source_modules, option="source_modules")
        forbidden = resolve_all(graph, self.forbidden_modules, option="forbidden_modules")
        internal = {m for m in forbidden if graph.is_internal(m)}
        external = forbidden - internal
        require_in_graph(graph, sources, option="source_modules")
        require_in_graph(graph, internal, option="forbidden_modules")
        if external:
            if not graph.include_external_packages:
                raise RuleError(
                    f"forbidden_modules: {join_names(sorted(external))} "
                    f"{'is' if len(external) == 1 else 'are'} outside the root packages; "
                    "set include_external_packages = true to forbid external packages"
                )
            for module in sorted(external):
                if "." in module:
                    top = module.split(".")[0]
                    raise RuleError(
                        f"forbidden_modules: '{module}' is a subpackage of the external package "
                        f"'{top}'; external packages can only be forbidden whole ('{top}')"
                    )
        in_graph = {m for m in forbidden if m in graph}

        violations = []
        for source in sorted(sources):
            reached = self._reached(graph, source)
            for target in _reached_among(graph, reached, in_graph, self.as_packages):
                if self._overlap(source, target):
                    continue
                chains = self._chains(graph, source, target, reached)
                if chains:
                    violations.append(
                        Violation(
                            importer=source,
                            imported=target,
                            summary=f"{source} is not allowed to import {target}",
                            chains=tuple(sorted(Chain.of(graph, c) for c in chains)),
                        )
                    )
        return Findings.of(violations, warnings)

    def _overlap(self, source: str, target: str) -> bool:
        if source == target:
            return True
        return self.as_packages and (in_package(source, target) or in_package(target, source))

    def _reached(self, graph: ProjectGraph, source: str) -> frozenset[str]:
        """The modules the source imports: directly (``allow_indirect_imports``) or at all."""
        if self.allow_indirect_imports:
            return frozenset(
                graph.grimp.find_modules_directly_imported_by(source, as_package=self.as_packages)
            )
        return graph.upstream_of(source, as_package=self.as_packages)

    def _chains(
        self, graph: ProjectGraph, source: str, target: str, reached: frozenset[str]
    ) -> list[tuple[str, ...]]:
        if not self.allow_indirect_imports:
            return sorted(
                graph.shortest_chains(
                    self._package_modules(graph, source),
                    self._package_modules(graph, target),
                    reachable=set(reached),
                )
            )
        sources = self._package_modules(graph, source)
        targets = self._package_modules(graph, target)
        return sorted(
            (s, imported)
            for s in sources
            for imported in graph.grimp.find_modules_directly_imported_by(s)
            if imported in targets
        )

    def _package_modules(self, graph: ProjectGraph, module: str) -> set[str]:
        if not self.as_packages or graph.grimp.is_module_squashed(module):
            return {module}
        return {module} | graph.grimp.find_descendants(module)


def _reached_among(
    graph: ProjectGraph, reached: frozenset[str], forbidden: set[str], as_packages: bool
) -> list[str]:
    """The forbidden modules among ``reached`` (a cheap filter before chains): with
    ``as_packages``, also those of which a reached module is a descendant."""
    if as_packages:
        reached = graph.with_ancestors(reached)
    return sorted(reached & forbidden)
