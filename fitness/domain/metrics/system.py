"""System-level figures: propagation cost, Lakos's CCD/ACD/NCCD, cycle groups, modularity.

Each works on any networkx ``DiGraph`` whose edge ``x -> y`` means "x depends
on y". Undefined values (an empty graph; modularity of a graph without edges)
are ``None``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
from networkx.algorithms.community import modularity as nx_modularity


def _reach(graph: nx.DiGraph) -> tuple[dict[Hashable, int], set[Hashable], int]:
    """For each node, how many nodes it reaches by a path of one or more edges
    (itself included only if it lies on a cycle); the nodes on cycles; and the
    size of the largest cycle group. Linear in the size of the condensation,
    with Python integers as bit sets."""
    condensed = nx.condensation(graph)
    mapping: dict[Hashable, int] = condensed.graph["mapping"]
    members: dict[int, list[Hashable]] = {}
    for node, component in mapping.items():
        members.setdefault(component, []).append(node)
    index = {node: i for i, node in enumerate(graph.nodes)}
    bits = {c: sum(1 << index[n] for n in nodes) for c, nodes in members.items()}
    reach: dict[int, int] = {}
    cyclic: set[Hashable] = set()
    largest = 0
    for component in reversed(list(nx.topological_sort(condensed))):
        mask = 0
        for successor in condensed.successors(component):
            mask |= bits[successor] | reach[successor]
        nodes = members[component]
        if len(nodes) > 1 or graph.has_edge(nodes[0], nodes[0]):
            mask |= bits[component]
            cyclic.update(nodes)
            if len(nodes) > 1:
                largest = max(largest, len(nodes))
        reach[component] = mask
    counts = {node: reach[mapping[node]].bit_count() for node in graph.nodes}
    return counts, cyclic, largest


def visibility_counts(graph: nx.DiGraph, *, include_self: bool = False) -> dict[Hashable, int]:
    """How many nodes each node can reach (its row sum in the visibility matrix).

    By default a node reaches itself only through a cycle; with
    ``include_self=True`` every node reaches itself (MacCormack et al. add the
    identity matrix, "path length zero").
    """
    counts, cyclic, _ = _reach(graph)
    if include_self:
        return {n: c + (0 if n in cyclic else 1) for n, c in counts.items()}
    return counts


@dataclass(frozen=True)
class DependencyFigures:
    """The system figures that derive from reachability, computed in one pass."""

    propagation_cost: float | None
    cumulative_component_dependency: int
    average_component_dependency: float | None
    normalized_cumulative_component_dependency: float | None
    largest_cycle_group: int


def dependency_figures(graph: nx.DiGraph, *, include_self: bool = False) -> DependencyFigures:
    """Propagation cost, CCD, ACD, NCCD and the largest cycle group at once, each as
    its own function defines it, from one reachability pass (for large graphs)."""
    n: int = graph.number_of_nodes()
    if n == 0:
        return DependencyFigures(None, 0, None, None, 0)
    counts, cyclic, largest = _reach(graph)
    reached = sum(counts.values())
    ccd = reached + (n - len(cyclic))
    return DependencyFigures(
        propagation_cost=(ccd if include_self else reached) / (n * n),
        cumulative_component_dependency=ccd,
        average_component_dependency=ccd / n,
        normalized_cumulative_component_dependency=ccd / balanced_binary_tree_ccd(n),
        largest_cycle_group=largest,
    )


def propagation_cost(graph: nx.DiGraph, *, include_self: bool = False) -> float | None:
    """The density of the visibility matrix (MacCormack, Rusnak and Baldwin, 2006):
    the share of (a, b) pairs where a change to b can reach a, directly or not.

    ``include_self=False`` (the default) counts a node as reaching itself only
    through a cycle, so an acyclic graph without edges costs 0.
    ``include_self=True`` is the paper's variant, which adds the identity
    matrix (so it is at least 1/n). ``None`` for an empty graph.
    """
    n: int = graph.number_of_nodes()
    if n == 0:
        return None
    return sum(visibility_counts(graph, include_self=include_self).values()) / (n * n)


def depends_upon(graph: nx.DiGraph) -> dict[Hashable, int]:
    """Lakos's "depends upon" of each component: the components it needs to be
    tested, itself included."""
    return visibility_counts(graph, include_self=True)


def cumulative_component_dependency(graph: nx.DiGraph) -> int:
    """CCD (Lakos, 1996): the sum over all components of how many components each
    depends upon, itself included. 0 for an empty graph."""
    return sum(depends_upon(graph).values())


def average_component_dependency(graph: nx.DiGraph) -> float | None:
    """ACD = CCD / n; ``None`` for an empty graph."""
    n = graph.number_of_nodes()
    return cumulative_component_dependency(graph) / n if n else None


def balanced_binary_tree_ccd(n: int) -> int:
    """The CCD of a balanced binary tree of ``n`` components (each level filled
    before the next): the node at depth d (root 0) is depended upon by d + 1."""
    total, level, width, placed = 0, 1, 1, 0
    while placed < n:
        count = min(width, n - placed)
        total += count * level
        placed += count
        level += 1
        width *= 2
    return total


def normalized_cumulative_component_dependency(graph: nx.DiGraph) -> float | None:
    """NCCD = CCD / CCD of a balanced binary tree with as many components.
    Around 1 for a tree-like design, above it with deep chains or cycles.
    ``None`` for an empty graph."""
    n = graph.number_of_nodes()
    if n == 0:
        return None
    return cumulative_component_dependency(graph) / balanced_binary_tree_ccd(n)


def cycle_groups(graph: nx.DiGraph) -> list[set[Hashable]]:
    """The groups of nodes that depend on each other in a cycle (strongly
    connected components of two or more nodes), largest first."""
    groups = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    return sorted(groups, key=lambda g: (-len(g), sorted(map(str, g))))


def largest_cycle_group(graph: nx.DiGraph) -> int:
    """The number of nodes in the largest cycle group; 0 when there is no cycle."""
    groups = cycle_groups(graph)
    return len(groups[0]) if groups else 0


def modularity(graph: nx.DiGraph, communities: Iterable[Iterable[Hashable]]) -> float | None:
    """Newman's modularity Q of a partition of the nodes (directed, as networkx
    computes it): the share of edges inside communities minus the share expected
    at random. ``None`` for a graph without edges, where it is undefined.
    """
    parts = [set(c) for c in communities]
    parts = [p for p in parts if p]
    if graph.number_of_edges() == 0:
        return None
    return float(nx_modularity(graph, parts))


def partition_by(nodes: Iterable[Hashable], key: Mapping[Any, Hashable]) -> list[set[Hashable]]:
    """Group nodes by ``key[node]`` (for example each module by its package)."""
    groups: dict[Hashable, set[Hashable]] = {}
    for node in nodes:
        groups.setdefault(key[node], set()).add(node)
    return [groups[k] for k in sorted(groups, key=str)]
