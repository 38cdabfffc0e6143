"""``protected``: protected modules may be imported directly only by the allowed importers.

Same options and verdicts as import-linter's protected contract: the
protected modules (and, as packages, their descendants) may import each other;
any other module that directly imports one of them must be an allowed importer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import MODULES, ModuleNames, governed_by, require_in_graph, resolve_all
from fitness.domain.options import option
from fitness.domain.rules.base import AlertLevel, Findings, join_names
from fitness.domain.rules.support import IgnoringRule, require_internal
from fitness.domain.violations import Chain, Violation

#: The allowed importers must be in the graph as packages (their descendants are
#: needed); as single modules, a missing one allows nothing and is only a warning.
AS_PACKAGES = ModuleNames(when=lambda rule: rule.as_packages)


@dataclass(frozen=True, kw_only=True)
class ProtectedRule(IgnoringRule):
    """Only the allowed importers may directly import the protected modules."""

    type_name = "protected"
    how_to_fix = (
        "Go through the protected modules' public entry point (one of the allowed importers), "
        "or, if this importer really needs them, add it to allowed_importers."
    )

    protected_modules: tuple[str, ...] = option(
        doc="modules only the allowed importers may import directly",
        names=MODULES,
    )
    allowed_importers: tuple[str, ...] = option(
        doc="the only modules that may import them", names=AS_PACKAGES
    )
    as_packages: bool = option(
        True, doc="the modules stand for their descendants too (which may import each other)"
    )

    #: What an allowed importer that is not in the graph does when ``as_packages`` is
    #: false: a warning (a stale name is likely a mistake, but nothing it allowed can be
    #: broken). import-linter keeps such a contract silently, and so does a contract read
    #: from its configuration (:class:`ImportLinterProtectedRule`). As packages, the
    #: importer's descendants are needed, and a missing one is an error in both.
    missing_allowed_importers: ClassVar[AlertLevel] = "warn"

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return governed_by(graph, self.protected_modules)

    def describe(self) -> str:
        allowed = join_names(self.allowed_importers, "or") or "no other module"
        return f"Modules {join_names(self.protected_modules)} may be imported only by {allowed}"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        allowed_names = resolve_all(graph, self.allowed_importers, option="allowed_importers")
        if self.as_packages:  # their descendants are needed: as in import-linter, an error
            require_in_graph(graph, allowed_names, option="allowed_importers")
        else:
            warnings += self._missing_allowed_importers(graph, allowed_names)
        protected = resolve_all(graph, self.protected_modules, option="protected_modules")
        require_in_graph(graph, protected, option="protected_modules")
        allowed = set(allowed_names)
        if self.as_packages:
            require_internal(
                graph,
                allowed_names,
                option="allowed_importers",
                needs=(
                    "descendants",
                    "set as_packages = false, or name modules inside the root packages",
                ),
            )
            allowed |= {d for name in allowed_names for d in graph.grimp.find_descendants(name)}

        violations = []
        for top in sorted(protected):
            members = {top}
            if self.as_packages and not graph.grimp.is_module_squashed(top):
                members |= graph.grimp.find_descendants(top)
            importers = (
                graph.grimp.find_modules_that_directly_import(top, as_package=self.as_packages)
                - allowed
                - members
            )
            for importer in sorted(importers):
                imported_modules = graph.grimp.find_modules_directly_imported_by(importer)
                for imported in sorted(imported_modules & members):
                    violations.append(
                        Violation(
                            importer=importer,
                            imported=imported,
                            summary=f"{importer} is not allowed to import {imported} "
                            f"(protected {top}: {self._allowed_text()})",
                            chains=(Chain.of(graph, (importer, imported)),),
                        )
                    )
        return Findings.of(violations, warnings)

    def _missing_allowed_importers(self, graph: ProjectGraph, allowed: set[str]) -> tuple[str, ...]:
        """A warning for each allowed importer that is not in the graph (it allows nothing),
        or nothing at all as :attr:`missing_allowed_importers` says."""
        if self.missing_allowed_importers == "none":
            return ()
        missing = sorted(name for name in allowed if name not in graph)
        if missing and self.missing_allowed_importers == "error":
            require_in_graph(graph, missing, option="allowed_importers")
        return tuple(
            f"allowed_importers: module '{name}' is not in the graph, so it allows nothing"
            f"{graph.missing_hint(name)}"
            for name in missing
        )

    def _allowed_text(self) -> str:
        if not self.allowed_importers:
            return "no other module may import it"
        return f"only {join_names(self.allowed_importers, 'or')} may import it"


# A plain subclass (no fields of its own, only a class variable): no dataclass
# processing, which would cost an import a millisecond for nothing.
class ImportLinterProtectedRule(ProtectedRule):
    """A ``protected`` contract read from an import-linter configuration: an allowed importer
    that is not in the graph is ignored silently, as import-linter does."""

    missing_allowed_importers: ClassVar[AlertLevel] = "none"
