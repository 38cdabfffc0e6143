"""``strangler_fig``: the legacy code is being replaced; its reach may only shrink.

Martin Fowler's strangler fig application: new code grows around the old system
until nothing uses it and it can be cut away. As fitness functions:

1. Nothing new imports the legacy package. Every module outside it that imports
   it directly is a violation, one per importer with one chain per import; the
   baseline (``fitness baseline``) records today's importers import by import, so
   only a new importer, or a new import by a known one, fails. Imports within the
   legacy package are its own business and are not counted.
2. The replacement never imports the legacy code. That is the style's invariant,
   so no baseline records or forgives it (the findings' ``not_baselined``); an
   exception has to be explicit in ``ignore_imports`` or an inline suppression.

The legacy code may be an external package (``requests``, with
``include_external_packages``): its importers are then the project's modules that
import it. Both principles are checked with the ``protected`` rule type (the legacy
package, which no other module may import). The rule reports the migration's progress
(:class:`~fitness.domain.progress.MigrationProgress`): the importers and imports left,
and, once a baseline is applied, those fixed since.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import MODULES_OR_EXTERNAL, governed_by, has_wildcard, require_in_graph
from fitness.domain.options import option
from fitness.domain.progress import MigrationProgress
from fitness.domain.rules.base import Findings
from fitness.domain.rules.compose import delegate
from fitness.domain.rules.imports.protected import ProtectedRule
from fitness.domain.rules.support import IgnoringRule
from fitness.domain.violations import Chain, Violation


@dataclass(frozen=True, kw_only=True)
class StranglerFigRule(IgnoringRule):
    """The legacy package is being strangled by its replacement: no new importers of
    the legacy code, and the replacement never imports it."""

    type_name = "strangler_fig"
    how_to_fix = (
        "New code must use the replacement instead of the legacy code: the strangler fig "
        "only shrinks the legacy code's reach."
    )

    legacy: str = option(
        doc="the package being replaced: only today's importers (the baseline) may import it; "
        "an external package (requests) needs include_external_packages = true",
        names=MODULES_OR_EXTERNAL,
    )
    replacement: str = option(
        doc="the package replacing it: it never imports the legacy code (no baseline forgives it)",
        names=MODULES_OR_EXTERNAL,
    )

    def __post_init__(self) -> None:
        for key in ("legacy", "replacement"):
            name = getattr(self, key)
            if not name or has_wildcard(name):
                raise ConfigError(f"option '{key}' must be one module name", key=(key,))
        if in_package(self.legacy, self.replacement) or in_package(self.replacement, self.legacy):
            raise ConfigError(
                f"option 'replacement' ({self.replacement}) and option 'legacy' "
                f"({self.legacy}) must be separate packages, neither inside the other",
                key=("replacement",),
            )

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return governed_by(graph, self.legacy, self.replacement)

    def describe(self) -> str:
        return (
            f"Strangler fig: {self.replacement} replaces the legacy {self.legacy}; no new "
            f"module may import {self.legacy}, and {self.replacement} never imports it"
        )

    @staticmethod
    def _require_package(graph: ProjectGraph, key: str, name: str) -> None:
        """A package of the project (in the graph), or an external package named whole (in
        the graph only once something imports it, and only with external packages)."""
        if graph.is_internal(name):
            require_in_graph(graph, [name], option=key)
            return
        if not graph.include_external_packages:
            raise RuleError(
                f"{key}: '{name}' is outside the root packages ({', '.join(graph.root_packages)});"
                " to follow a migration off or onto an external package, set "
                "include_external_packages = true"
            )
        if "." in name:
            raise RuleError(
                f"{key}: '{name}' is inside the external package '{name.split('.')[0]}', which "
                "the graph holds as one module; name it whole"
            )

    def guidance(self, replacement_reaches_back: bool = False, *, external: bool = False) -> str:
        """The style's remedy; when the replacement imports the legacy code, that first.
        An ``external`` legacy package (``requests``) cannot be changed: no code moves out
        of it, and it calls nothing of ours."""
        backlog = (
            "The importers recorded by `fitness baseline` are the migration's backlog: they "
            "may stay until they are migrated, a new one may not."
        )
        if external:
            migrate = (
                f"New code must use {self.replacement} instead of {self.legacy}: the strangler "
                f"fig only shrinks the external package's reach. Import what you need from "
                f"{self.replacement}; if it is not there yet, add it there first. {backlog}"
            )
            reaching_back = (
                f"{self.replacement} must never import {self.legacy}, baseline or not: it "
                f"replaces {self.legacy}, so it does its work without it; for a deliberate "
                "exception, list the import in ignore_imports. "
            )
        else:
            migrate = (
                f"New code must use {self.replacement} instead of {self.legacy}: the strangler "
                f"fig only shrinks the legacy code's reach. Import what you need from "
                f"{self.replacement}; if it is not there yet, move it there first (the legacy "
                f"code may call the new code, not the other way round). {backlog}"
            )
            reaching_back = (
                f"{self.replacement} must never import {self.legacy}, baseline or not: move "
                f"what it needs from {self.legacy} into {self.replacement} (and let "
                f"{self.legacy} call it), or, for a deliberate exception, list the import in "
                "ignore_imports. "
            )
        return reaching_back + migrate if replacement_reaches_back else migrate

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        for key, name in (("legacy", self.legacy), ("replacement", self.replacement)):
            self._require_package(graph, key, name)
        imports: dict[str, list[Chain]] = defaultdict(list)
        if self.legacy in graph:
            protected = delegate(
                self, ProtectedRule, protected_modules=(self.legacy,), allowed_importers=()
            )
            for found in protected.violations(graph):
                imports[found.importer].extend(found.chains)
        else:  # an external package nothing imports (any more)
            warnings += (
                f"legacy: nothing imports the external package '{self.legacy}'"
                f"{graph.missing_hint(self.legacy)}",
            )
        violations = []
        never = []
        for importer in sorted(imports):
            chains = tuple(sorted(imports[importer]))
            if in_package(importer, self.replacement):
                never.append((importer, self.legacy))
                summary = (
                    f"the replacement {importer} imports the legacy code {self.legacy}; "
                    f"{self.replacement} must never depend on what it replaces"
                )
            else:
                summary = (
                    f"{importer} imports the legacy code {self.legacy}; new code must use "
                    f"{self.replacement} instead"
                )
            violations.append(Violation(importer, self.legacy, summary, chains))
        backlog = {
            importer: tuple(sorted(chain.links[-1].imported for chain in chains))
            for importer, chains in sorted(imports.items())
            if not in_package(importer, self.replacement)
        }
        progress = MigrationProgress(
            legacy=self.legacy,
            replacement=self.replacement,
            importers=len(backlog),
            imports=sum(len(modules) for modules in backlog.values()),
            backlog=backlog,
        )
        return Findings.of(
            violations,
            warnings,
            progress=progress,
            not_baselined=never,
            guidance=self.broken_contract_guidance
            or self.guidance(bool(never), external=not graph.is_internal(self.legacy)),
        )
