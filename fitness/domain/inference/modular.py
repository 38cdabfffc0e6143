"""Recognising autonomous modules, for ``fitness init``: the modules of a modular
monolith or bounded contexts, and the apps of a Django project.

Autonomous siblings are never layered (a layering would make one module the
base of another, the opposite of their autonomy): they get a
``modular_monolith`` rule (each module declares what it uses), a
``bounded_contexts`` rule (independent except through what they publish and
the shared kernel), their command/query split where each has one, and the
layers inside each module, stated once for all of them (``containers``).

- A modular monolith: the children of a package named ``modules``,
  ``contexts``, ``apps``... (:data:`.vocabulary.MODULE_CONTAINERS`), of a
  package whose children each have a ``domain``, ``application``,
  ``infrastructure``... inside, or of a package whose children publish an
  ``api`` or ``events`` submodule. A ``seedwork``, ``shared`` or ``common``
  package beside them (or a child imported by three modules or more, which
  imports none of them) is their shared kernel, never a module: no style is
  looked for inside it (its ``commands`` and ``queries`` are base classes).
- A Django project: a package with ``settings`` and ``urls`` or ``wsgi``, and
  apps (packages with ``models`` or ``apps``, and ``views``, ``urls``,
  ``admin``...).

Pure: names and imports of the graph in, recognitions out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from fitness.domain.graph import ProjectGraph
from fitness.domain.inference import vocabulary as names
from fitness.domain.inference.candidates import (
    Candidate,
    Recognition,
    children,
    first,
    imports_any,
    listing,
    short,
    uses,
)


def _packages(graph: ProjectGraph, package: str) -> dict[str, str]:
    """The children of ``package`` that are packages, not tests: short name -> module."""
    return {
        name: module
        for name, module in children(graph, package).items()
        if graph.grimp.find_children(module) and names.is_layer(name)
    }


def _has_parts(graph: ProjectGraph, module: str) -> list[str]:
    return [name for name in names.MODULE_PARTS if name in children(graph, module)]


def _shared_kernel(graph: ProjectGraph, package: str, modules: Iterable[str]) -> list[str]:
    """The shared kernel of the modules of ``package``: a child or sibling named after
    one, or a child that three modules or more import and that imports none of them."""
    found = children(graph, package)
    kernel = [found[name] for name in names.SHARED_KERNEL if name in found]
    parent = package.rpartition(".")[0]
    siblings = (
        children(graph, parent)
        if parent
        else {root: root for root in graph.root_packages if root != package}
    )
    kernel += [siblings[name] for name in names.SHARED_KERNEL if name in siblings]
    candidates = [m for m in modules if m not in kernel]
    used = uses(graph, candidates)
    for module in candidates:
        users = [m for m in candidates if module in used.get(m, ())]
        if len(users) >= 3 and not used.get(module):
            kernel.append(module)
    return sorted(set(kernel))


def recognise_modules(graph: ProjectGraph, package: str) -> Recognition | None:
    """The modules of a modular monolith (or bounded contexts) that ``package`` holds."""
    found = _packages(graph, package)
    named = package.rpartition(".")[2] in names.MODULE_CONTAINERS
    parts = {m: _has_parts(graph, m) for m in found.values()}
    published = {m: [p for p in names.PUBLISHED if p in children(graph, m)] for m in found.values()}
    shaped = [m for m, p in parts.items() if len(p) >= 2]
    publishing = [m for m, p in published.items() if p]
    if not (named and len(found) >= 2) and len(shaped) < 2 and len(publishing) < 2:
        return None
    kernel = _shared_kernel(graph, package, found.values())
    modules = sorted(m for m in found.values() if m not in kernel)
    if len(modules) < 2:
        return None
    if sum(_is_django_app(graph, m) for m in modules) * 2 > len(modules):
        return None  # Django apps: see recognise_django
    components = [*modules, *kernel]
    used = uses(graph, components)
    specs: dict[str, Any] = {}
    for component in sorted(components):
        spec: dict[str, Any] = {"depends_on": sorted(used.get(component, ()))}
        if published.get(component) and component not in kernel:  # a shared kernel is open
            spec["interface"] = published[component]
        specs[component] = spec
    candidates = [
        Candidate(
            f"{package} is a modular monolith",
            "modular_monolith",
            {"modules": specs},
            looser=({"modules": specs, "acyclic": False},),
        )
    ]
    contexts: dict[str, Any] = {
        "contexts": modules,
        "published": sorted({p for m in modules for p in published[m]}),
    }
    if kernel:
        contexts["shared_kernel"] = kernel
    candidates.append(
        Candidate(f"The modules of {package} are bounded contexts", "bounded_contexts", contexts)
    )
    layered = _module_layers(graph, package, modules)
    if layered is not None:
        candidates.append(layered[0])
    candidates += _module_cqrs(graph, package, modules)
    return Recognition(
        "a modular monolith",
        package,
        _modules_because(package, modules, kernel, parts, published, named),
        tuple(candidates),
        ranks=layered[1] if layered else {},
        autonomous=(package,),
        covers=tuple(sorted({*modules, *kernel})),
    )


def _modules_because(
    package: str,
    modules: list[str],
    kernel: list[str],
    parts: Mapping[str, list[str]],
    published: Mapping[str, list[str]],
    named: bool,
) -> str:
    said = listing(short(m, package) for m in modules)
    common = sorted(set.intersection(*(set(parts[m]) for m in modules)))
    publish = sorted({p for m in modules for p in published[m]})
    if len(common) >= 2:
        text = f"its modules {said} each have {listing(common)}"
    elif publish:
        text = f"its modules {said} publish {listing(publish)}"
    else:
        text = f"its modules are {said}"
    if named:
        text = f"it is named {package.rpartition('.')[2]} and {text}"
    if kernel:
        verb = "are" if len(kernel) > 1 else "is"
        text += f"; {listing(short(k, package) for k in kernel)} {verb} the shared kernel"
    return text


def _module_layers(
    graph: ProjectGraph, package: str, modules: list[str]
) -> tuple[Candidate, dict[str, dict[str, int]]] | None:
    """One ``layers`` rule for the layers inside every module (``containers``): each
    level the names found in the modules, optional where some module lacks it."""
    inside = {m: children(graph, m) for m in modules}
    layers = []
    ranks: dict[str, dict[str, int]] = {m: {} for m in modules}
    for level, level_names in enumerate(names.MODULE_LAYERS):
        present = [n for n in level_names if any(n in found for found in inside.values())]
        if not present:
            continue
        tails = [n if all(n in found for found in inside.values()) else f"({n})" for n in present]
        layers.append(" | ".join(tails))
        for module, found in inside.items():
            for name in present:
                if name in found:
                    ranks[module][found[name]] = level
    if len(layers) < 2:
        return None
    candidate = Candidate(
        f"The modules of {package} are each layered",
        "layers",
        {"layers": layers, "containers": modules},
        layers=tuple(modules),
    )
    return candidate, ranks


def _module_cqrs(graph: ProjectGraph, package: str, modules: list[str]) -> list[Candidate]:
    """Each module's own command/query split: ``application/command`` and
    ``application/query`` (or ``commands`` and ``queries``), as wildcards when every
    module that matches them has both."""
    commands, queries = [], []
    for module in modules:
        for where in (module, first(children(graph, module), ("application",))):
            if where is None:
                continue
            found = children(graph, where)
            command, query = first(found, names.COMMANDS), first(found, names.QUERIES)
            if command and query:
                commands.append(command)
                queries.append(query)
                break
    if not commands:
        return []
    return [
        Candidate(
            f"The modules of {package} separate commands from queries",
            "cqrs",
            {
                "commands": _as_wildcard(graph, package, commands),
                "queries": _as_wildcard(graph, package, queries),
            },
        )
    ]


def _as_wildcard(graph: ProjectGraph, package: str, found: list[str]) -> list[str]:
    """``package.*.application.command`` where it names exactly ``found``, else ``found``."""
    tails = {m[len(package) + 1 :].partition(".")[2] for m in found}
    if len(tails) != 1:
        return sorted(found)
    tail = tails.pop()
    matched = sorted(
        f"{child}.{tail}"
        for child in children(graph, package).values()
        if f"{child}.{tail}" in graph
    )
    return [f"{package}.*.{tail}"] if matched == sorted(found) else sorted(found)


# --- Django -----------------------------------------------------------------------------


def _is_django_app(graph: ProjectGraph, module: str) -> bool:
    found = children(graph, module)
    return any(n in found for n in names.DJANGO_APP_MARKERS) and any(
        n in found for n in names.DJANGO_APP_PARTS
    )


def _is_django_project(graph: ProjectGraph, module: str) -> bool:
    found = children(graph, module)
    return any(n in found for n in names.DJANGO_SETTINGS) and any(
        n in found for n in names.DJANGO_PROJECT_PARTS
    )


def recognise_django(
    graph: ProjectGraph, available: Collection[str], *, max_depth: int = 3
) -> Recognition | None:
    """A Django project: its project package (settings) and its apps, wherever they are."""
    packages = sorted(
        m
        for m in graph.internal_modules
        if m.count(".") < max_depth
        and graph.grimp.find_children(m)
        and all(names.is_layer(part) for part in m.split("."))
    )
    projects = [m for m in packages if _is_django_project(graph, m)]
    apps = [m for m in packages if _is_django_app(graph, m) and m not in projects]
    if not projects and len(apps) < 2:
        return None
    if not any(imports_any(graph, m, ["django"]) for m in [*projects, *apps]):
        return None  # not built on Django (Django's own code, where django is internal)
    candidates = []
    if len(apps) >= 2:
        candidates.append(_app_dependencies(graph, apps, available))
    isolation = _models_isolation(graph, apps, available)
    if isolation is not None:
        candidates.append(isolation)
    settings = [first(children(graph, p), names.DJANGO_SETTINGS) for p in projects]
    if "django_settings_access" in available and settings:
        candidates.append(
            Candidate(
                "Settings are read through django.conf.settings", "django_settings_access", {}
            )
        )
    elif settings:
        candidates.append(
            Candidate(
                "Settings are read through django.conf.settings, never imported",
                "protected",
                {"protected_modules": sorted(s for s in settings if s), "allowed_importers": []},
            )
        )
    ranks: dict[str, dict[str, int]] = {}
    for app in apps:
        found = children(graph, app)
        ranks[app] = {
            found[name]: level
            for level, level_names in enumerate(names.DJANGO_APP_LAYERS)
            for name in level_names
            if name in found
        }
    parents = {app.rpartition(".")[0] for app in apps}
    autonomous = tuple(
        sorted(p for p in parents if p and sum(a.rpartition(".")[0] == p for a in apps) >= 2)
    )
    return Recognition(
        "a Django project",
        listing(projects) if projects else "the root packages",
        _django_because(graph, projects, apps),
        tuple(candidates),
        ranks=ranks,
        autonomous=autonomous,
    )


def _django_because(graph: ProjectGraph, projects: list[str], apps: list[str]) -> str:
    said = []
    for project in projects:
        found = children(graph, project)
        has = [n for n in (*names.DJANGO_SETTINGS, *names.DJANGO_PROJECT_PARTS) if n in found]
        said.append(f"{project} has {listing(has)} (the project)")
    if apps:
        shown = [
            n
            for n in ("models", "views", "urls", "admin", "apps")
            if all(n in children(graph, a) for a in apps)
        ][:3]
        listed = (
            listing(apps) if len(apps) <= 5 else f"{', '.join(apps[:4])} and {len(apps) - 4} more"
        )
        said.append(
            f"{listed} {'have' if len(apps) > 1 else 'has'} {listing(shown) or 'models'} "
            f"(its app{'s' * (len(apps) > 1)})"
        )
    said.append("they import django")
    return "; ".join(said)


def _app_dependencies(
    graph: ProjectGraph, apps: list[str], available: Collection[str]
) -> Candidate:
    used = uses(graph, apps)
    if "django_app_dependencies" in available:
        return Candidate(
            "The Django apps declare their dependencies",
            "django_app_dependencies",
            {"apps": {app: sorted(used.get(app, ())) for app in apps}},
        )
    modules = {app: {"depends_on": sorted(used.get(app, ()))} for app in apps}
    return Candidate(
        "The Django apps declare their dependencies",
        "modular_monolith",
        {"modules": modules},
        looser=({"modules": modules, "acyclic": False},),
    )


def _models_isolation(
    graph: ProjectGraph, apps: list[str], available: Collection[str]
) -> Candidate | None:
    models = [
        found[n] for a in apps if (found := children(graph, a)) for n in ("models",) if n in found
    ]
    above = sorted(
        found[n]
        for a in apps
        if (found := children(graph, a))
        for n in names.DJANGO_ABOVE_MODELS
        if n in found
    )
    if not (models and above):
        return None
    if "django_models_isolation" in available:
        return Candidate(
            "The models of the Django apps import no views, forms or admin",
            "django_models_isolation",
            {},
        )
    kinds = {m.rpartition(".")[2] for m in above}
    said = [n for n in names.DJANGO_ABOVE_MODELS if n in kinds]
    return Candidate(
        f"The models of the Django apps import no {listing(said, 'or')}",
        "forbidden",
        {"source_modules": sorted(models), "forbidden_modules": above},
    )


def django_apps(recognition: Recognition) -> list[str]:
    """The apps a Django recognition placed (the packages it ranks)."""
    return sorted(recognition.ranks)
