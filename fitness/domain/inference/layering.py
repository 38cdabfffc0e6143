"""The layers a package's children form today, in the order they *reach* each other.

A package's children (``shop.domain``, ``shop.adapters``, ...) are ordered by
what they reach, through chains of imports as the rules follow them: a chain may
pass through modules that are no layer (the package's own ``__init__``, an
entry point such as ``__main__``, a test), so those stay in the graph as
stepping stones. Children that reach each other share a layer as
non-independent siblings (``a : b``); each layer is the length of the longest
path beneath it, so every chain goes down, and children on one level reach none
of each other (``a | b``). Entry points, tests and migrations are not layers
(:func:`.vocabulary.is_layer`).

Where a recognised style orders the children (ports and adapters: the adapters
outside the application, the application outside the domain), a layering in
which an inner child reaches an outer one is the wrong way round:
:func:`wrong_way` finds it, so that ``fitness init`` never proposes a layering
that locks in, say, the service layer importing the repository.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

import networkx as nx

from fitness.domain.graph import ProjectGraph, collapse, in_package
from fitness.domain.inference.vocabulary import is_layer


class Layering(NamedTuple):
    """The layers of a package's children, highest first, and which of them reach
    each other (``reaches``: an edge ``a -> b`` for every child ``b`` that ``a`` reaches)."""

    layers: list[str]
    cycles: list[list[str]]
    reaches: nx.DiGraph


def child_graph(graph: ProjectGraph, package: str) -> nx.DiGraph:
    """The direct dependencies between the children of ``package`` (each with its
    descendants)."""
    depth = package.count(".") + 2
    children = sorted(graph.grimp.find_children(package))
    result = nx.DiGraph()
    result.add_nodes_from(children)
    for importer, imported in graph.direct_imports():
        if not (in_package(importer, package) and in_package(imported, package)):
            continue
        if importer == package or imported == package:
            continue
        source, target = collapse(importer, depth), collapse(imported, depth)
        if source != target and source in result and target in result:
            result.add_edge(source, target)
    return result


def reach_graph(graph: ProjectGraph, package: str, layers: Iterable[str]) -> nx.DiGraph:
    """Which of ``layers`` (children of ``package``) reach which, through chains of
    imports that may pass through any other module (the package's ``__init__``, an
    entry point, a module outside the package): an edge ``a -> b`` for every ``b``
    that ``a`` can reach."""
    depth = package.count(".") + 2
    nodes = set(layers)

    def node(module: str) -> str:
        collapsed = collapse(module, depth)
        return collapsed if collapsed in nodes else module

    steps = nx.DiGraph()
    steps.add_nodes_from(nodes)
    for importer, imported in graph.direct_imports():
        source, target = node(importer), node(imported)
        if source != target:
            steps.add_edge(source, target)
    result = nx.DiGraph()
    result.add_nodes_from(sorted(nodes))
    for source in sorted(nodes):
        result.add_edges_from(
            (source, target) for target in sorted(nx.descendants(steps, source) & nodes)
        )
    return result


def infer_layers(dependencies: nx.DiGraph) -> list[str]:
    """Layers from highest to lowest, as ``layers`` rule entries (``"a | b"``, ``"a : b"``)."""
    condensed = nx.condensation(dependencies)
    height: dict[int, int] = {}
    for component in reversed(list(nx.topological_sort(condensed))):
        height[component] = max((height[s] + 1 for s in condensed.successors(component)), default=0)
    levels: dict[int, list[set[str]]] = {}
    for component, members in condensed.nodes(data="members"):
        levels.setdefault(height[component], []).append(set(members))
    layers = []
    for level in sorted(levels, reverse=True):
        components = levels[level]
        names = sorted(name for members in components for name in members)
        cyclic = any(len(members) > 1 for members in components)
        layers.append((" : " if cyclic else " | ").join(names))
    return layers


def layer_children(graph: ProjectGraph, package: str) -> list[str]:
    """The children of ``package`` that may be layers."""
    return [c for c in sorted(graph.grimp.find_children(package)) if is_layer(c.rpartition(".")[2])]


def layering(graph: ProjectGraph, package: str) -> Layering | None:
    """The layers of ``package``'s children, or ``None`` where a layering would say
    nothing (fewer than two layers)."""
    layers = layer_children(graph, package)
    if len(layers) < 2:
        return None
    reaches = reach_graph(graph, package, layers)
    order = infer_layers(reaches)
    if len(order) < 2:
        return None
    cycles = sorted(sorted(c) for c in nx.strongly_connected_components(reaches) if len(c) > 1)
    return Layering(order, cycles, reaches)


def wrong_way(reaches: nx.DiGraph, ranks: Mapping[str, int]) -> tuple[str, str] | None:
    """The first ``(inner, outer)`` pair in which a child the style puts further in
    (a higher rank) reaches one it puts further out: a layering of today's imports
    would place it above, the wrong way round."""
    found = [(a, b) for a, b in reaches.edges if a in ranks and b in ranks and ranks[a] > ranks[b]]
    return min(found) if found else None


def packages_below(graph: ProjectGraph, root: str, max_depth: int) -> list[str]:
    """Every package (a module with children) inside ``root``, shallow first, down to
    ``max_depth`` names (``root`` is one); none inside a test package or migrations."""
    internal = sorted(
        (
            m
            for m in graph.internal_modules
            if in_package(m, root)
            and m.count(".") < max_depth
            and all(is_layer(name) for name in m.split("."))
        ),
        key=lambda m: (m.count("."), m),
    )
    return [m for m in internal if graph.grimp.find_children(m)]
