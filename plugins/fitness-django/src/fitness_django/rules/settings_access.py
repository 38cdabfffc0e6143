"""``django_settings_access``: settings are read through ``django.conf.settings`` only."""

from __future__ import annotations

from dataclasses import dataclass

from fitness import Chain, Findings, Link, ProjectGraph, RuleError, Violation, option
from fitness.domain.graph import in_package
from fitness.domain.modules import MODULES, governed_by, require_in_graph, resolve_all
from fitness.domain.rules.base import join_names
from fitness.domain.rules.support import IgnoringRule

SETTINGS_NAME = "settings"


@dataclass(frozen=True, kw_only=True)
class DjangoSettingsAccessRule(IgnoringRule):
    """No module may import a settings module (``mysite.settings``, ``mysite/settings/*``)
    directly: code reads settings through ``django.conf.settings``, which follows
    ``DJANGO_SETTINGS_MODULE`` and ``override_settings``. Settings modules may import
    each other (``dev`` extends ``base``)."""

    type_name = "django_settings_access"
    how_to_fix = (
        "Replace the import with `from django.conf import settings` and read "
        "`settings.NAME`: it follows DJANGO_SETTINGS_MODULE and `override_settings` in tests."
    )

    settings_modules: tuple[str, ...] = option(
        (),
        doc="the settings modules, with their descendants (default: every module or "
        "package named 'settings')",
        names=MODULES,
    )
    allowed_importers: tuple[str, ...] = option(
        (),
        doc="modules that may import settings modules directly (wildcards * **)",
        names=MODULES,
    )

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        """The settings modules, each with everything under it (as ``protected`` governs
        the modules it protects): every module or package named ``settings`` by default."""
        if self.settings_modules:
            return governed_by(graph, self.settings_modules)
        named = [m for m in graph.internal_modules if m.rpartition(".")[2] == SETTINGS_NAME]
        return governed_by(graph, named)

    def describe(self) -> str:
        which = (
            join_names(self.settings_modules, "or")
            if self.settings_modules
            else "a settings module"
        )
        return (
            f"Modules must read settings through django.conf.settings, never by importing {which}"
        )

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        if self.settings_modules:
            roots = resolve_all(graph, self.settings_modules, option="settings_modules")
            require_in_graph(graph, roots, option="settings_modules")
        else:
            roots = {m for m in graph.internal_modules if m.rpartition(".")[2] == SETTINGS_NAME}
            if not roots:
                raise RuleError(
                    "settings_modules: no module named 'settings' in the root packages "
                    f"({', '.join(graph.root_packages)}); name yours with settings_modules"
                )
        allowed = resolve_all(graph, self.allowed_importers, option="allowed_importers")

        def is_settings(module: str) -> bool:
            return any(in_package(module, root) for root in roots)

        violations = []
        for importer in sorted(graph.internal_modules):
            if is_settings(importer) or importer in allowed:
                continue
            for imported in sorted(graph.grimp.find_modules_directly_imported_by(importer)):
                if is_settings(imported):
                    violations.append(
                        Violation(
                            importer=importer,
                            imported=imported,
                            summary=f"{importer} imports the settings module {imported}",
                            chains=(Chain((Link.of(graph, importer, imported),)),),
                        )
                    )
        return Findings.of(violations, warnings)
