"""The searches for chains of imports that every rule shares: what a set of modules
reaches, and the shortest chains between two sets, each the lexicographically smallest
of its length, so that a verdict depends only on the imports, never on the order a
graph holds them in (:meth:`fitness.domain.graph.ProjectGraph.shortest_chains`).

They ask a graph three questions only (:class:`Imports`), so they do not depend on
the graph's module.
"""

from __future__ import annotations

from typing import Protocol


class Imports(Protocol):
    """What the searches ask of a graph: the direct imports of a module, each way."""

    def imported_by(self, module: str) -> frozenset[str]: ...

    def sorted_imported_by(self, module: str) -> tuple[str, ...]: ...

    def importers_of(self, module: str) -> frozenset[str]: ...


def reach(graph: Imports, starts: set[str], excluded: frozenset[str]) -> set[str]:
    """The modules reachable from ``starts`` (included) without entering ``excluded``."""
    seen = set(starts)
    frontier = list(starts)
    while frontier:
        following = []
        for module in frontier:
            for imported in graph.imported_by(module):
                if imported not in seen and imported not in excluded:
                    seen.add(imported)
                    following.append(imported)
        frontier = following
    return seen


def smallest_shortest_chain(
    graph: Imports,
    sources: set[str],
    targets: set[str],
    excluded: frozenset[str],
    used: set[tuple[str, str]],
    within: set[str] | None = None,
) -> tuple[str, ...] | None:
    """The lexicographically smallest of the shortest chains from a source to a target
    that enters no ``excluded`` module and takes no ``used`` import (None if there is
    none). Only modules ``within`` (default: all) are visited."""
    found = distances(graph, sources, targets, excluded, used, within)
    if found is None:
        return None
    distance, starts = found
    return walk(graph, starts[0], distance, used, set())


def distances(
    graph: Imports,
    sources: set[str],
    targets: set[str],
    excluded: frozenset[str],
    used: set[tuple[str, str]],
    within: set[str] | None = None,
    entries: list[tuple[str, str]] | None = None,
) -> tuple[dict[str, int], list[str]] | None:
    """How many imports each module is from the nearest target, up to the nearest
    sources (a breadth-first search backwards, through no ``excluded`` module and no
    ``used`` import); and those sources, sorted. None if no source reaches a target.

    ``entries``, the imports of a target by a module outside them (see
    :func:`entries_into`), spares a search that is repeated the imports inside the
    targets, which it never takes."""
    distance = dict.fromkeys(targets, 0)
    if entries is None:
        entries = entries_into(graph, targets, excluded, within)
    level = 1
    starts: list[str] = []
    frontier: list[str] = []
    for importer, module in entries:
        if importer in distance or (importer, module) in used:
            continue
        distance[importer] = level
        (starts if importer in sources else frontier).append(importer)
    while frontier and not starts:
        level += 1
        following = []
        for module in frontier:
            for importer in graph.importers_of(module):
                if (
                    importer in distance
                    or importer in excluded
                    or (within is not None and importer not in within)
                    or (importer, module) in used
                ):
                    continue
                distance[importer] = level
                if importer in sources:
                    starts.append(importer)
                else:
                    following.append(importer)
        frontier = following
    return (distance, sorted(starts)) if starts else None


def entries_into(
    graph: Imports, targets: set[str], excluded: frozenset[str], within: set[str] | None
) -> list[tuple[str, str]]:
    """The imports of a target by a module that is not a target, excluded, or outside
    ``within`` (if given): where every chain enters the targets."""
    return [
        (importer, target)
        for target in targets
        for importer in graph.importers_of(target)
        if importer not in targets
        and importer not in excluded
        and (within is None or importer in within)
    ]


def walk(
    graph: Imports,
    module: str,
    distance: dict[str, int],
    used: set[tuple[str, str]],
    dead: set[str],
) -> tuple[str, ...] | None:
    """The smallest chain from ``module`` to a target that steps one import nearer at a
    time (by ``distance``) and takes no ``used`` import, or None (``module`` is then
    added to ``dead``).

    Chains of one length compare name by name, so the smallest is the one that takes
    the smallest module at its first difference: a depth-first walk, smallest first."""
    step = distance[module]
    if step == 0:
        return (module,)
    for imported in graph.sorted_imported_by(module):
        if (
            distance.get(imported) == step - 1
            and imported not in dead
            and (module, imported) not in used
        ):
            rest = walk(graph, imported, distance, used, dead)
            if rest is not None:
                return (module, *rest)
    dead.add(module)
    return None
