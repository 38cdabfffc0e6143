"""Django apps, found statically in the import graph.

An app is a package with an ``apps`` or a ``models`` submodule (``apps.py``,
``models.py`` or a ``models/`` package): what ``manage.py startapp`` creates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from fitness import ProjectGraph, RuleError
from fitness.domain.errors import did_you_mean
from fitness.domain.graph import in_package

APP_MARKERS = ("apps", "models")


def find_apps(graph: ProjectGraph) -> list[str]:
    """Every app among the internal modules, sorted."""
    apps = set()
    for module in graph.internal_modules:
        parent, _, name = module.rpartition(".")
        if parent and name in APP_MARKERS and graph.grimp.find_children(parent):
            apps.add(parent)
    return sorted(apps)


def app_of(module: str, apps: Iterable[str]) -> str | None:
    """The (innermost) app the module belongs to, if any."""
    owners = [app for app in apps if in_package(module, app)]
    return max(owners, key=len) if owners else None


def app_membership(graph: ProjectGraph, apps: Iterable[str]) -> dict[str, str]:
    """Each internal module that belongs to an app -> that app."""
    apps = list(apps)
    membership = {}
    for module in graph.internal_modules:
        owner = app_of(module, apps)
        if owner is not None:
            membership[module] = owner
    return membership


def resolve_app(name: str, apps: list[str], *, option: str) -> str:
    """An app named by its module (``blog``, ``mysite.blog``) or by its label (``blog``)."""
    if name in apps:
        return name
    by_label = [app for app in apps if app.rpartition(".")[2] == name]
    if len(by_label) == 1:
        return by_label[0]
    if len(by_label) > 1:
        raise RuleError(
            f"{option}: '{name}' is ambiguous: it is the label of {', '.join(by_label)}; "
            "name the app by its module"
        )
    labels = [app.rpartition(".")[2] for app in apps]
    found = ", ".join(apps) or "none"
    raise RuleError(
        f"{option}: '{name}' is not a Django app{did_you_mean(name, [*apps, *labels])} "
        f"(apps found: {found}; an app is a package with an apps.py or a models.py)"
    )


def require_apps(graph: ProjectGraph) -> list[str]:
    apps = find_apps(graph)
    if not apps:
        raise RuleError(
            "no Django app found in the root packages "
            f"({', '.join(graph.root_packages)}): an app is a package with an apps.py or a "
            "models.py"
        )
    return apps


def submodule_name(module: str, app: str) -> str:
    """``blog.views.detail`` in app ``blog`` -> ``views``; the app itself -> ``""``."""
    return module[len(app) + 1 :].split(".")[0] if module != app else ""


def describe_allowed(allowed: Mapping[str, Iterable[str]]) -> str:
    parts = []
    for app, targets in sorted(allowed.items()):
        names = sorted(targets)
        parts.append(f"{app} -> {', '.join(names) if names else 'none'}")
    return "; ".join(parts)
