"""Every layout ``fitness init`` recognises in a codebase, in a stable order.

First a Django project (its apps may be anywhere), then the autonomous modules
of a modular monolith (whose insides and shared kernel are then not searched
for other styles: a shared kernel's ``commands`` and ``queries`` are base
classes, not a command/query split), then, in every other package down to
``max_depth``, the styles its children are named after and, where no hexagon
is, a layered web service.
"""

from __future__ import annotations

from collections.abc import Collection

from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.inference.candidates import Recognition
from fitness.domain.inference.layering import packages_below
from fitness.domain.inference.modular import recognise_django, recognise_modules
from fitness.domain.inference.styles import recognise_styles
from fitness.domain.inference.web import recognise_web


def recognise(
    graph: ProjectGraph, available: Collection[str], *, max_depth: int = 2
) -> list[Recognition]:
    """The layouts of the code; ``available`` names the rule types that can be proposed
    (a plugin's, such as fitness-django's, where it is installed)."""
    found: list[Recognition] = []
    django = recognise_django(graph, available)
    apps: set[str] = set()
    if django is not None:
        found.append(django)
        apps = set(django.ranks)
    packages = [p for root in graph.root_packages for p in packages_below(graph, root, max_depth)]
    covered: list[str] = []
    for package in packages:
        if package in apps or any(in_package(package, c) for c in covered):
            continue
        modules = recognise_modules(graph, package)
        if modules is not None:
            found.append(modules)
            covered += modules.covers
    for package in packages:
        if package in apps or any(in_package(package, c) for c in covered):
            continue
        if any(package in r.autonomous for r in found):
            continue
        styles = list(recognise_styles(graph, package))
        found += styles
        if not any(r.style == "ports and adapters" for r in styles):
            web = recognise_web(graph, package)
            if web is not None:
                found.append(web)
    return found
