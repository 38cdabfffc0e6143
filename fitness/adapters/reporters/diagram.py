"""The import graph as a diagram: nodes at a chosen depth, layers as clusters, violations marked.

Pure: built from the project graph, the rules and their results; rendered by
:mod:`~fitness.adapters.reporters.dot`, :mod:`~fitness.adapters.reporters.mermaid`
and the HTML report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fitness._lazy import LazyModule
from fitness.domain.graph import ProjectGraph, collapse, in_package
from fitness.domain.rules.base import Rule
from fitness.domain.rules.imports.layers import LayersRule
from fitness.domain.violations import RuleResult

if TYPE_CHECKING:
    import networkx as nx
else:  # (about 80 ms to import, and few runs need it: imported on first use)
    nx = LazyModule("networkx")


@dataclass(frozen=True)
class Cluster:
    """One layer of a ``layers`` rule: the nodes inside its modules."""

    label: str
    rule: str
    level: int
    nodes: tuple[str, ...]


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    count: int
    violating: bool = False


@dataclass(frozen=True)
class Diagram:
    depth: int | None
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]
    clusters: tuple[Cluster, ...]
    external: frozenset[str] = frozenset()

    def cluster_of(self, node: str) -> Cluster | None:
        return next((c for c in self.clusters if node in c.nodes), None)

    @property
    def violating_edges(self) -> tuple[Edge, ...]:
        return tuple(e for e in self.edges if e.violating)


def layer_modules(rule: LayersRule) -> list[tuple[int, str]]:
    """(level, module) of each layer of a ``layers`` rule, containers expanded literally."""
    modules = []
    for level, layer in enumerate(rule.parsed_layers):
        for name in layer.names:
            if rule.containers:
                modules += [(level, f"{c}.{name}") for c in rule.containers if "*" not in c]
            else:
                modules.append((level, name))
    return modules


def violating_pairs(results: Iterable[RuleResult], depth: int | None) -> set[tuple[str, str]]:
    """Every direct import in the chain of a violation, collapsed to ``depth``."""
    pairs = set()
    for result in results:
        for violation in result.violations:
            for chain in violation.chains:
                for link in (*chain.links, *chain.extra_firsts, *chain.extra_lasts):
                    pairs.add((collapse(link.importer, depth), collapse(link.imported, depth)))
    return pairs


def build_diagram(
    graph: ProjectGraph,
    rules: Sequence[Rule] = (),
    results: Sequence[RuleResult] = (),
    *,
    depth: int | None = 2,
    external: bool = False,
) -> Diagram:
    network = graph.to_networkx(depth=depth, external=external)
    # A package's own __init__ with no imports of its own (``shop`` above ``shop.domain``)
    # is noise in a picture of its subpackages.
    network.remove_nodes_from(
        [
            n
            for n in list(network.nodes)
            if network.degree(n) == 0 and any(o != n and in_package(o, n) for o in network.nodes)
        ]
    )
    nodes = sorted(network.nodes)
    bad = violating_pairs(results, depth)
    edges = tuple(
        Edge(a, b, int(data.get("count", 1)), (a, b) in bad)
        for a, b, data in sorted(network.edges(data=True))
    )
    clusters: list[Cluster] = []
    placed: set[str] = set()
    for rule in rules:
        if not isinstance(rule, LayersRule):
            continue
        for level, module in layer_modules(rule):
            members = tuple(n for n in nodes if n not in placed and in_package(n, module))
            if members:
                clusters.append(Cluster(module, rule.name, level, members))
                placed.update(members)
    return Diagram(
        depth=depth,
        nodes=tuple(nodes),
        edges=edges,
        clusters=tuple(clusters),
        external=frozenset(n for n in nodes if network.nodes[n].get("external")),
    )


def layered_rows(diagram: Diagram) -> list[list[str]]:
    """Nodes in rows from top to bottom, for drawing: declared layers in their order, the
    other nodes by the longest dependency path beneath them (importers above imported)."""
    network = nx.DiGraph()
    network.add_nodes_from(diagram.nodes)
    network.add_edges_from((e.source, e.target) for e in diagram.edges)
    condensed = nx.condensation(network)
    height: dict[int, int] = {}
    for component in reversed(list(nx.topological_sort(condensed))):
        below = [height[s] + 1 for s in condensed.successors(component)]
        height[component] = max(below, default=0)
    mapping = condensed.graph["mapping"]
    rank = {node: height[mapping[node]] for node in diagram.nodes}
    top = max(rank.values(), default=0)
    row_of = {node: top - rank[node] for node in diagram.nodes}
    levels = sorted({c.level for c in diagram.clusters})
    if levels:
        # Declared layers first, in their order; other nodes below, by dependency order.
        for cluster in diagram.clusters:
            for node in cluster.nodes:
                row_of[node] = levels.index(cluster.level)
        base = len(levels)
        clustered = {node for cluster in diagram.clusters for node in cluster.nodes}
        unplaced = [n for n in diagram.nodes if n not in clustered]
        if unplaced:
            first = min(row_of[n] for n in unplaced)
            for node in unplaced:
                row_of[node] = base + row_of[node] - first
    rows: dict[int, list[str]] = {}
    for node in diagram.nodes:
        rows.setdefault(row_of[node], []).append(node)
    return [sorted(rows[r]) for r in sorted(rows)]
