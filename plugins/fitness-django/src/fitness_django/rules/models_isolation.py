"""``django_models_isolation``: models never import views, forms or admin."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from fitness import Findings, ForbiddenRule, ProjectGraph, RuleError, option
from fitness.domain.modules import governed_by
from fitness.domain.rules.base import join_names
from fitness.domain.rules.compose import delegate
from fitness.domain.rules.support import IgnoringRule
from fitness_django.apps import app_membership, find_apps, require_apps, submodule_name


@dataclass(frozen=True, kw_only=True)
class DjangoModelsIsolationRule(IgnoringRule):
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

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        """The models modules of every app, each with everything under it (as ``forbidden``
        governs its source modules)."""
        models = [f"{app}.{name}" for app in find_apps(graph) for name in self.models]
        return governed_by(graph, models)

    def describe(self) -> str:
        how = "directly import" if self.allow_indirect_imports else "import"
        models = join_names([f"<app>.{name}" for name in self.models])
        forbidden = join_names([f"<app>.{name}" for name in self.forbidden], "or")
        return f"Models ({models}) must not {how} {forbidden}, of any Django app"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
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
        if not targets:
            return Findings.of((), warnings)
        # The forbidden rule's verdict on these modules (the ignored imports are gone).
        found = delegate(
            self,
            ForbiddenRule,
            source_modules=tuple(models),
            forbidden_modules=tuple(targets),
            allow_indirect_imports=self.allow_indirect_imports,
        ).evaluate(graph)
        return dataclasses.replace(found, warnings=(*warnings, *found.warnings))
