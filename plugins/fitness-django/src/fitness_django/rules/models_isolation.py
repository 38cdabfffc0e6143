"""``django_models_isolation``: models never import views, forms or admin."""

from __future__ import annotations

from dataclasses import dataclass

from fitness import Chain, Findings, ProjectGraph, Rule, RuleError, Violation, option
from fitness.domain.rules.base import AlertLevel, join_names
from fitness.domain.rules.support import apply_ignores
from fitness_django.apps import app_membership, require_apps, submodule_name


@dataclass(frozen=True, kw_only=True)
class DjangoModelsIsolationRule(Rule):
    """The models modules of every Django app must not import the views, forms or
    admin modules of any app, directly or through a chain."""

    type_name = "django_models_isolation"
    how_to_fix = (
        "Models are the bottom of an app: move the code that needs the view, form or admin "
        "out of the model (into the view, a form, or a service module), or pass what the "
        "model needs in as an argument."
    )

    forbidden: tuple[str, ...] = option(
        ("views", "forms", "admin"),
        doc="app submodules that models must not import (each with its descendants)",
    )
    models: tuple[str, ...] = option(
        ("models",), doc="app submodules that hold models (each with its descendants)"
    )
    allow_indirect_imports: bool = option(False, doc="forbid only direct imports")
    ignore_imports: tuple[str, ...] = option((), doc="imports to ignore: 'a -> b', wildcards * **")
    unmatched_ignore_imports_alerting: AlertLevel = option(
        "error", doc="what an ignore_imports entry that matches nothing does"
    )

    def describe(self) -> str:
        how = "directly import" if self.allow_indirect_imports else "import"
        models = join_names([f"<app>.{name}" for name in self.models])
        forbidden = join_names([f"<app>.{name}" for name in self.forbidden], "or")
        return f"Models ({models}) must not {how} {forbidden}, of any Django app"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = apply_ignores(
            graph, self.ignore_imports, self.unmatched_ignore_imports_alerting
        )
        apps = require_apps(graph)
        models = sorted(f"{app}.{name}" for app in apps for name in self.models)
        models = [m for m in models if m in graph]
        if not models:
            raise RuleError(
                f"models: no app has a {join_names(self.models, 'or')} module "
                f"(apps found: {', '.join(apps)})"
            )
        membership = app_membership(graph, apps)
        targets = sorted(
            {
                f"{app}.{submodule_name(module, app)}"
                for module, app in membership.items()
                if submodule_name(module, app) in self.forbidden
            }
        )
        violations = []
        for source in models:
            for target in targets:
                chains = self._chains(graph, source, target)
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

    def _chains(self, graph: ProjectGraph, source: str, target: str) -> set[tuple[str, ...]]:
        if not self.allow_indirect_imports:
            return set(
                graph.shortest_chains(
                    graph.with_descendants(source), graph.with_descendants(target)
                )
            )
        sources = {source} | graph.grimp.find_descendants(source)
        targets = {target} | graph.grimp.find_descendants(target)
        return {
            (s, t)
            for s in sources
            for t in graph.grimp.find_modules_directly_imported_by(s)
            if t in targets
        }
