"""Recognising the architecture style a package is named after, for ``fitness init``.

Teams name the parts of a style after the style: ``domain``, ``application`` (or
``service_layer``) and ``adapters`` (or ``infrastructure``), with ``entrypoints``
as driving adapters and a ``bootstrap`` composition root, for ports and adapters
as in *Architecture Patterns with Python*; a domain ``model`` at the centre for an
onion; ``entities`` and ``use_cases`` for clean architecture; ``commands`` and
``queries``, or the book's ``domain/commands.py``, ``service_layer/handlers.py``
and ``views.py``, for CQRS; ``domain/events.py`` raised by the model and handled
by ``handlers`` through a ``messagebus`` for events. :func:`recognise_styles`
reads those names (and the imports, to find who publishes the events) and
returns what it recognised, with the rules of each style; the names are those of
:mod:`.vocabulary`.

Pure: names and imports of the graph in, recognitions out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.inference import vocabulary as names
from fitness.domain.inference.candidates import (
    Candidate,
    Recognition,
    children,
    first,
    independent,
    listing,
    short,
)


def recognise_styles(graph: ProjectGraph, package: str) -> Iterator[Recognition]:
    """The styles the children of ``package`` are named after."""
    found = children(graph, package)
    hexagon = _hexagon(graph, package, found)
    if hexagon is not None:
        yield hexagon
        onion = _onion(graph, package, found, hexagon)
        if onion is not None:
            yield onion
    clean = _clean(package, found)
    if clean is not None:
        yield clean
    yield from _cqrs(graph, package, found)
    events = _events(graph, package, found)
    if events is not None:
        yield events


def _parts(package: str, roles: Mapping[str, str | None]) -> str:
    """``domain, service_layer (the application) and adapters``: each part found, with
    its role where its name does not say it."""
    said = []
    for role, module in roles.items():
        if module is None:
            continue
        name = short(module, package)
        said.append(name if role.endswith(name.rpartition(".")[2]) else f"{name} ({role})")
    return "it has " + listing(said)


def _adapter_spec(graph: ProjectGraph, module: str) -> str:
    """Each adapter its own (they are then independent of each other) where no child
    imports another today, else the package as one adapter."""
    return f"{module}.*" if independent(graph, module) else module


def _hexagon(graph: ProjectGraph, package: str, found: Mapping[str, str]) -> Recognition | None:
    domain = first(found, names.DOMAIN)
    application = first(found, names.APPLICATION)
    adapters = first(found, names.ADAPTERS)
    taken = {domain, application, adapters}
    entrypoints = first({k: v for k, v in found.items() if v not in taken}, names.ENTRYPOINTS)
    if not (domain and application and (adapters or entrypoints)) or application == domain:
        return None
    specs = [_adapter_spec(graph, m) for m in (adapters, entrypoints) if m]
    options: dict[str, Any] = {"domain": domain, "application": application, "adapters": specs}
    ports = (
        first(found, names.PORTS)
        or first(children(graph, application), names.PORTS)
        or first(children(graph, domain), names.PORTS)
    )
    if ports:
        options["ports"] = ports
    taken |= {entrypoints, ports}
    root = first({k: v for k, v in found.items() if v not in taken}, names.COMPOSITION_ROOTS)
    if root:
        options["composition_root"] = root
    query_side = first(found, names.QUERY_SIDE)
    ranks = {m: rank for m, rank in ((root, 0), (entrypoints, 0), (adapters, 1)) if m}
    ranks |= {m: 2 for m in (application, query_side) if m}
    if ports and in_package(ports, package) and ports.count(".") == package.count(".") + 1:
        ranks[ports] = 3
    ranks[domain] = 4
    because = _parts(
        package,
        {
            "domain": domain,
            "the application": application,
            "adapters": adapters,
            "driving adapters": entrypoints,
            "ports": ports,
            "the composition root": root,
        },
    )
    return Recognition(
        "ports and adapters",
        package,
        because,
        (Candidate(f"{package} is a hexagon (ports and adapters)", "hexagonal", options),),
        ranks={package: ranks},
    )


def _onion(
    graph: ProjectGraph, package: str, found: Mapping[str, str], hexagon: Recognition
) -> Recognition | None:
    """The hexagon's domain has a model at its centre: an onion, rings around the model."""
    hexagonal = hexagon.candidates[0].options
    domain = hexagonal["domain"]
    inside = children(graph, domain)
    models = first(inside, names.DOMAIN_MODELS)
    if not models:
        return None
    services = first(inside, names.DOMAIN_SERVICES)
    options: dict[str, Any] = {"domain_models": [models if services else domain]}
    if services:
        options["domain_services"] = [services]
    options["application_services"] = [hexagonal["application"]]
    options["adapters"] = list(hexagonal["adapters"])
    if "composition_root" in hexagonal:
        options["composition_root"] = hexagonal["composition_root"]
    because = f"its domain has a model{' and services' if services else ''} at the centre"
    return Recognition(
        "an onion",
        package,
        because,
        (Candidate(f"{package} is an onion", "onion", options),),
    )


def _clean(package: str, found: Mapping[str, str]) -> Recognition | None:
    entities, use_cases = first(found, names.ENTITIES), first(found, names.USE_CASES)
    if not (entities and use_cases):
        return None
    rings = [entities, use_cases]
    for ring_names in (names.INTERFACE_ADAPTERS, names.FRAMEWORKS):
        ring = first({k: v for k, v in found.items() if v not in rings}, ring_names)
        if ring:
            rings.append(ring)
    if len(rings) < 3:
        return None
    options: dict[str, Any] = {"rings": rings}
    root = first({k: v for k, v in found.items() if v not in rings}, names.COMPOSITION_ROOTS)
    if root:
        options["composition_root"] = root
    return Recognition(
        "the clean architecture",
        package,
        f"it has {listing(short(r, package) for r in rings)} (its rings, from the centre)",
        (Candidate(f"{package} follows the clean architecture", "clean_architecture", options),),
        ranks={package: {ring: len(rings) - i for i, ring in enumerate(rings)}},
    )


def _cqrs(graph: ProjectGraph, package: str, found: Mapping[str, str]) -> Iterator[Recognition]:
    commands, queries = first(found, names.COMMANDS), first(found, names.QUERIES)
    if commands and queries:
        options: dict[str, Any] = {"commands": [commands], "queries": [queries]}
        read_model, write_model = first(found, names.READ_MODEL), first(found, names.WRITE_MODEL)
        if read_model:
            options["read_model"] = [read_model]
        if write_model:
            options["write_model"] = [write_model]
        said = [short(m, package) for m in (commands, queries, read_model, write_model) if m]
        yield Recognition(
            "CQRS",
            package,
            f"it has {listing(said)}",
            (Candidate(f"{package} separates commands from queries", "cqrs", options),),
        )
        return
    # As in the book: commands in the domain, their handlers in the service layer, and
    # a query side beside them that reads without the domain model.
    domain, application = first(found, names.DOMAIN), first(found, names.APPLICATION)
    query_side = first(found, names.QUERY_SIDE)
    if not (domain and application and query_side):
        return
    command_messages = first(children(graph, domain), names.COMMANDS) or first(
        children(graph, application), names.COMMANDS
    )
    handlers = first(children(graph, application), names.HANDLERS)
    if not command_messages:
        return
    command_side = [m for m in (command_messages, handlers) if m]
    options = {"commands": command_side, "queries": [query_side]}
    model = first(children(graph, domain), names.DOMAIN_MODELS)
    tight = {**options, "write_model": [model]} if model else options
    looser = [options] if model else []
    if handlers and len(command_side) > 1:  # the domain model may use the command messages
        looser.append({"commands": [handlers], "queries": [query_side]})
    yield Recognition(
        "CQRS",
        package,
        f"{listing(short(m, package) for m in command_side)} "
        f"{'are' if len(command_side) > 1 else 'is'} the command side, "
        f"{short(query_side, package)} the query side",
        (
            Candidate(
                f"{package} separates commands from queries",
                "cqrs",
                tight,
                looser=tuple(looser),
            ),
        ),
    )


def _events(graph: ProjectGraph, package: str, found: Mapping[str, str]) -> Recognition | None:
    """Events in the domain, raised by the domain's modules and handled by the service
    layer's handlers (through a message bus)."""
    domain, application = first(found, names.DOMAIN), first(found, names.APPLICATION)
    if not (domain and application):
        return None
    events = first(children(graph, domain), names.EVENTS)
    in_application = children(graph, application)
    handlers = first(in_application, names.HANDLERS)
    bus = first(in_application, names.MESSAGE_BUS)
    if not (events and handlers):
        return None
    publishers = sorted(
        m
        for m in graph.with_descendants(domain)
        if m != domain and not in_package(m, events) and events in graph.imported_by(m)
    )
    if not publishers:
        return None
    options: dict[str, Any] = {
        "publishers": publishers,
        "subscribers": [handlers],
        "events": [events],
    }
    through = f" through {short(bus, package)}" if bus else ""
    return Recognition(
        "events",
        package,
        f"{short(events, package)} are raised by {listing(short(p, package) for p in publishers)} "
        f"and handled by {short(handlers, package)}{through}",
        (
            Candidate(
                f"{package} publishes events its handlers subscribe to",
                "event_driven",
                options,
                looser=(
                    {**options, "events_may_import": [domain]},
                    {k: v for k, v in options.items() if k != "events"},
                ),
            ),
        ),
    )
