"""The imports whose removal would break every cycle: grimp's method, in linear time.

grimp's ``nominate_cycle_breakers`` (which import-linter's acyclic siblings
contract reports) orders the nodes of a dependency graph with a variant of the
greedy heuristic of Eades, Lin and Smyth for the feedback arc set ("A fast and
effective heuristic for the feedback arc set problem", 1993), then nominates
every dependency that points backwards in that order:

1. the *sources* first: nodes nothing depends on, removed round after round
   until none is left (each round's removal can make new sources);
2. then the *sinks* last: nodes that depend on nothing left, removed the same
   way, each round placed before the sinks already found;
3. then, in the middle, the rest one by one: each time the node whose weighted
   out-degree minus weighted in-degree (among the nodes left) is highest, the
   alphabetically first on a tie; a dependency's weight is the number of
   imports it is made of.

Removing the nominated dependencies leaves a graph ordered left to right, so
acyclic; the heuristic favours keeping heavy dependencies and cutting light
ones (the least effort), but it is a heuristic: the set is small, not
guaranteed smallest. grimp's implementation rescans the whole graph at every
step and compares every pair of nodes to weigh them, which is quadratic (59 s
for 5,000 slices of 100,000 modules); this one keeps the degrees up to date in
a heap, ``O((V + E) log V)``, and nominates the same dependencies (checked
against grimp's on generated graphs and real packages in the tests).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping

Dependency = tuple[str, str]


def nominate_cycle_breakers(
    nodes: Iterable[str], weights: Mapping[Dependency, int]
) -> set[Dependency]:
    """The dependencies (``(importer, imported)`` pairs of ``nodes``) that point backwards
    in grimp's order of ``nodes`` (see the module's docstring). ``weights`` gives the
    number of imports each dependency is made of; pairs with a weight of 0, and a node's
    dependency on itself, are no dependency."""
    successors: dict[str, dict[str, int]] = {node: {} for node in nodes}
    predecessors: dict[str, dict[str, int]] = {node: {} for node in successors}
    for (importer, imported), weight in weights.items():
        if weight > 0 and importer != imported:
            successors[importer][imported] = weight
            predecessors[imported][importer] = weight

    left = set(successors)
    first = _peel(left, predecessors, successors)  # sources, in removal order
    last = _peel(left, successors, predecessors)  # sinks, in removal order
    middle = _by_degree_difference(left, successors, predecessors)
    position = {node: index for index, node in enumerate([*first, *middle, *reversed(last)])}
    return {
        (importer, imported)
        for importer, targets in successors.items()
        for imported in targets
        if position[imported] < position[importer]
    }


def _peel(
    left: set[str],
    incoming: Mapping[str, Mapping[str, int]],
    outgoing: Mapping[str, Mapping[str, int]],
) -> list[str]:
    """Remove from ``left``, round after round, the nodes with no ``incoming`` edge from a
    node still left; return them in removal order (a round's nodes have no edge between
    them, so their order within the round does not matter)."""
    count = {node: sum(1 for other in incoming[node] if other in left) for node in left}
    ready = sorted(node for node, n in count.items() if n == 0)
    removed: list[str] = []
    while ready:
        node = ready.pop()
        left.discard(node)
        removed.append(node)
        for other in outgoing[node]:
            if other in left:
                count[other] -= 1
                if count[other] == 0:
                    ready.append(other)
    return removed


def _by_degree_difference(
    left: set[str],
    successors: Mapping[str, Mapping[str, int]],
    predecessors: Mapping[str, Mapping[str, int]],
) -> list[str]:
    """Remove the nodes of ``left`` one by one, each time the one with the highest weighted
    out-degree minus in-degree among those left (the first by name on a tie)."""
    difference = {
        node: sum(w for other, w in successors[node].items() if other in left)
        - sum(w for other, w in predecessors[node].items() if other in left)
        for node in left
    }
    heap = [(-d, node) for node, d in difference.items()]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        negative, node = heapq.heappop(heap)
        if node not in left or -negative != difference[node]:
            continue  # removed already, or an outdated entry
        left.discard(node)
        order.append(node)
        for other, weight in predecessors[node].items():
            if other in left:  # loses an outgoing edge
                difference[other] -= weight
                heapq.heappush(heap, (-difference[other], other))
        for other, weight in successors[node].items():
            if other in left:  # loses an incoming edge
                difference[other] += weight
                heapq.heappush(heap, (-difference[other], other))
    return order


def sibling_weights(
    imports: Iterable[Dependency], packages: Iterable[str]
) -> dict[str, dict[Dependency, list[Dependency]]]:
    """For each of ``packages``, the imports between its children (each child taken with
    its descendants), by pair of children: one pass over ``imports``, each import being
    between children of exactly one package, the deepest that holds both ends."""
    wanted = set(packages)
    found: dict[str, dict[Dependency, list[Dependency]]] = defaultdict(lambda: defaultdict(list))
    for importer, imported in imports:
        a = importer.split(".")
        b = imported.split(".")
        shared = 0
        for x, y in zip(a, b, strict=False):
            if x != y:
                break
            shared += 1
        if shared == 0 or shared == len(a) or shared == len(b):
            continue  # different top-level packages, or one contains the other
        package = ".".join(a[:shared])
        if package in wanted:
            pair = (f"{package}.{a[shared]}", f"{package}.{b[shared]}")
            found[package][pair].append((importer, imported))
    return {package: dict(pairs) for package, pairs in found.items()}
