"""Recognising an architecture style from a package's layout, for ``fitness init``.

Teams name the parts of a style after the style: ``domain``, ``application`` and
``adapters`` (or ``infrastructure``) for a hexagon, ``entities`` and
``use_cases`` for clean architecture, ``domain/model`` and ``domain/services``
for an onion, ``commands`` and ``queries`` for CQRS, and sibling packages that
each publish an ``api`` or ``events`` submodule for a modular monolith or
bounded contexts. :func:`style_candidates` reads those names and returns the
rules of each style it recognises; :func:`fitness.domain.inference.propose`
checks each with its real rule class and keeps only what holds today.

Pure: names and imports of the graph in, candidate rules out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fitness.domain.graph import ProjectGraph, collapse, in_package

#: The names each part of a style goes by, in the order they are tried.
_DOMAIN = ("domain",)
_APPLICATION = ("application", "app", "services", "use_cases", "usecases")
_ADAPTERS = ("adapters", "infrastructure", "infra")
_PORTS = ("ports",)
#: Where the adapters are wired to the ports (it may import every part).
_COMPOSITION_ROOTS = ("main", "__main__", "bootstrap", "composition", "container", "wiring")
_ENTITIES = ("entities", "entity")
_USE_CASES = ("use_cases", "usecases", "interactors")
_INTERFACE_ADAPTERS = ("interface_adapters", "adapters", "controllers", "gateways", "presenters")
_FRAMEWORKS = ("frameworks", "infrastructure", "drivers", "web", "main")
_DOMAIN_MODELS = ("model", "models")
_DOMAIN_SERVICES = ("services", "service")
_COMMANDS = ("commands", "command")
_QUERIES = ("queries", "query")
_READ_MODEL = ("read_model", "readmodel", "read")
_WRITE_MODEL = ("write_model", "writemodel", "write")
#: Submodules a component publishes to the others.
_PUBLISHED = ("api", "events")
_SHARED = ("shared", "shared_kernel", "common", "kernel")


#: A rule to try: its name, type and options.
Candidate = tuple[str, str, dict[str, Any]]


def style_candidates(graph: ProjectGraph, package: str) -> Iterator[Candidate]:
    """(name, type, options) of each style the children of ``package`` are named after."""
    children = _children(graph, package)
    yield from _layered_styles(graph, package, children)
    yield from _cqrs(graph, package, children)
    yield from _components(graph, package, children)


def _children(graph: ProjectGraph, package: str) -> dict[str, str]:
    """Short name -> module of each child of ``package``."""
    return {child.rpartition(".")[2]: child for child in sorted(graph.grimp.find_children(package))}


def _first(children: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    return next((children[name] for name in names if name in children), None)


def _layered_styles(
    graph: ProjectGraph, package: str, children: Mapping[str, str]
) -> Iterator[Candidate]:
    domain = _first(children, _DOMAIN)
    application = _first(children, _APPLICATION)
    adapters = _first(children, _ADAPTERS)
    if domain and application and adapters and application != domain:
        named_adapters = _children(graph, adapters)
        options: dict[str, Any] = {
            "domain": domain,
            "application": application,
            # Each adapter its own (they are then independent of each other).
            "adapters": [f"{adapters}.*" if len(named_adapters) >= 2 else adapters],
        }
        ports = (
            _first(children, _PORTS)
            or _first(_children(graph, application), _PORTS)
            or _first(_children(graph, domain), _PORTS)
        )
        if ports:
            options["ports"] = ports
        root = _first(children, _COMPOSITION_ROOTS)
        if root:
            options["composition_root"] = root
        yield f"{package} is a hexagon (ports and adapters)", "hexagonal", options
        inside = _children(graph, domain)
        models, services = _first(inside, _DOMAIN_MODELS), _first(inside, _DOMAIN_SERVICES)
        if models and services and len(named_adapters) >= 2:
            yield (
                f"{package} is an onion",
                "onion",
                {
                    "domain_models": [models],
                    "domain_services": [services],
                    "application_services": [application],
                    "adapters": dict(sorted(named_adapters.items())),
                },
            )
    entities, use_cases = _first(children, _ENTITIES), _first(children, _USE_CASES)
    if entities and use_cases:
        rings = [entities, use_cases]
        for names in (_INTERFACE_ADAPTERS, _FRAMEWORKS):
            ring = _first({k: v for k, v in children.items() if v not in rings}, names)
            if ring:
                rings.append(ring)
        if len(rings) >= 3:
            yield (
                f"{package} follows the clean architecture",
                "clean_architecture",
                {"rings": rings},
            )


def _cqrs(graph: ProjectGraph, package: str, children: Mapping[str, str]) -> Iterator[Candidate]:
    commands, queries = _first(children, _COMMANDS), _first(children, _QUERIES)
    if not (commands and queries):
        return
    options: dict[str, Any] = {"commands": [commands], "queries": [queries]}
    read_model, write_model = _first(children, _READ_MODEL), _first(children, _WRITE_MODEL)
    if read_model:
        options["read_model"] = read_model
    if write_model:
        options["write_model"] = write_model
    yield f"{package} separates commands from queries", "cqrs", options


def _components(
    graph: ProjectGraph, package: str, children: Mapping[str, str]
) -> Iterator[Candidate]:
    """Siblings of which at least two publish an ``api`` or ``events`` submodule: the
    modules of a modular monolith, or bounded contexts."""
    published = {
        child: [name for name in _PUBLISHED if name in _children(graph, child)]
        for child in children.values()
    }
    publishing = sorted(child for child, names in published.items() if names)
    if len(publishing) < 2:
        return
    shared = [children[name] for name in _SHARED if name in children]
    components = sorted({*publishing, *shared})
    uses = _uses(graph, package, components)
    modules = {}
    for component in components:
        spec: dict[str, Any] = {"depends_on": sorted(uses.get(component, ()))}
        if published[component]:
            spec["interface"] = published[component]
        modules[component] = spec
    yield f"The modules of {package}", "modular_monolith", {"modules": modules}
    contexts = [c for c in components if c not in shared]
    options: dict[str, Any] = {
        "contexts": contexts,
        "published": sorted({name for c in contexts for name in published[c]}),
    }
    if shared:
        options["shared_kernel"] = shared
    yield f"The bounded contexts of {package}", "bounded_contexts", options


def _uses(graph: ProjectGraph, package: str, components: list[str]) -> dict[str, set[str]]:
    """Which of ``components`` (children of ``package``) import which, directly."""
    depth = package.count(".") + 2
    chosen = set(components)
    uses: dict[str, set[str]] = {}
    for importer, imported in graph.direct_imports():
        if not (in_package(importer, package) and in_package(imported, package)):
            continue
        source, target = collapse(importer, depth), collapse(imported, depth)
        if source != target and source in chosen and target in chosen:
            uses.setdefault(source, set()).add(target)
    return uses
