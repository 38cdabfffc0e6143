"""``django_app_dependencies``: apps as slices that import only the apps they declare."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from fitness import Chain, Findings, ProjectGraph, RuleError, Violation, option
from fitness.domain.rules.support import IgnoringRule
from fitness_django.apps import (
    app_membership,
    describe_allowed,
    find_apps,
    require_apps,
    resolve_app,
)


@dataclass(frozen=True, kw_only=True)
class DjangoAppDependenciesRule(IgnoringRule):
    """Each Django app may import only the apps it declares.

    An app depends on another when one of its modules imports one of the other's,
    directly or through modules that belong to no app (shared helpers do not
    launder a dependency). Chains through a third app are that app's own
    dependencies, checked against its own declaration.
    """

    type_name = "django_app_dependencies"
    how_to_fix = (
        "Declare the dependency if it is intended (apps.<app> = [...]), or remove it: move "
        "the shared code into a module both apps may import, or invert the dependency with "
        "a signal or a registry that the lower app owns."
    )

    apps: Mapping[str, tuple[str, ...]] = option(
        doc="each app -> the apps it may import (an app by its module or its label)"
    )
    undeclared_apps: Literal["error", "ignore"] = option(
        "error", doc="what an app found in the code but missing from 'apps' is"
    )

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        """Every module of the apps the rule declares; with ``undeclared_apps = "error"``,
        of every app found (each must be declared). Lenient: a name that is no app governs
        nothing here (the check reports it)."""
        apps = find_apps(graph)
        if self.undeclared_apps == "error":
            governed = set(apps)
        else:
            governed = set()
            for name in self.apps:
                try:
                    governed.add(resolve_app(name, apps, option=f"apps.{name}"))
                except RuleError:
                    continue
        return {module for module, app in app_membership(graph, apps).items() if app in governed}

    def describe(self) -> str:
        return f"Django apps may import only the apps they declare ({describe_allowed(self.apps)})"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        apps = require_apps(graph)
        allowed: dict[str, set[str]] = {}
        for name, targets in self.apps.items():
            app = resolve_app(name, apps, option=f"apps.{name}")
            allowed[app] = {resolve_app(t, apps, option=f"apps.{name}") for t in targets}
        membership = app_membership(graph, apps)

        violations: list[Violation] = []
        if self.undeclared_apps == "error":
            violations += [
                Violation(
                    importer=app,
                    imported="",
                    summary=f"app {app} is not declared in 'apps' (declare the apps it may "
                    'import, or set undeclared_apps = "ignore")',
                )
                for app in apps
                if app not in allowed
            ]
        for app in sorted(allowed):
            chains = _chains_to_other_apps(graph, app, membership)
            for other in sorted(chains):
                if other in allowed[app]:
                    continue
                may = ", ".join(sorted(allowed[app])) or "no other app"
                violations.append(
                    Violation(
                        importer=app,
                        imported=other,
                        summary=f"app {app} is not allowed to import app {other} "
                        f"(it may import {may})",
                        chains=tuple(sorted(Chain.of(graph, c) for c in chains[other])),
                    )
                )
        return Findings.of(violations, warnings)


def _chains_to_other_apps(
    graph: ProjectGraph, app: str, membership: Mapping[str, str]
) -> dict[str, set[tuple[str, ...]]]:
    """Other app -> the shortest chains from each module of ``app`` into it, going only
    through modules outside every app."""
    found: dict[str, set[tuple[str, ...]]] = {}
    sources = sorted(m for m, owner in membership.items() if owner == app)
    for source in sources:
        parents: dict[str, str] = {}
        queue = deque([source])
        seen = {source}
        while queue:
            module = queue.popleft()
            for imported in sorted(graph.grimp.find_modules_directly_imported_by(module)):
                if imported in seen or not graph.is_internal(imported):
                    continue
                seen.add(imported)
                parents[imported] = module
                owner = membership.get(imported)
                if owner is None:
                    queue.append(imported)
                elif owner != app:
                    chain = [imported]
                    while chain[-1] != source:
                        chain.append(parents[chain[-1]])
                    found.setdefault(owner, set()).add(tuple(reversed(chain)))
    return found
