"""Which modules of a ``modular_monolith`` use which: each internal module's module (the
nearest declared one it is in), and for each pair of modules the ways the first uses the
second (its direct imports, and the chains through code outside every module)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from fitness.domain.graph import ProjectGraph, ancestors_and_self

Pair = tuple[str, str]


class Dependency(NamedTuple):
    """One way a module uses another: a direct import, or a chain through code outside
    every module."""

    modules: tuple[str, ...]

    @property
    def direct(self) -> bool:
        return len(self.modules) == 2


def owners_of(graph: ProjectGraph, declared: Iterable[str]) -> dict[str, str | None]:
    """Each internal module's module: the nearest declared one it is in (None: outside
    every module)."""
    names = set(declared)
    owners: dict[str, str | None] = {}
    for module in graph.internal_modules:
        owners[module] = next((a for a in ancestors_and_self(module) if a in names), None)
    return owners


def indirect_chains(
    graph: ProjectGraph, owners: Mapping[str, str | None]
) -> dict[Pair, list[tuple[str, ...]]]:
    """Chains from one module to another whose steps in between are all outside every
    module (and none of them a package that contains modules): for each pair, the canonical
    shortest chains (:meth:`ProjectGraph.shortest_chains`) that are not direct imports."""
    members: dict[str, set[str]] = defaultdict(set)
    for module, owner in owners.items():
        if owner is not None:
            members[owner].add(module)
    # The packages that contain modules are left out: their __init__ runs whenever anything
    # inside them is imported, and an ``import django`` in every corner of Django would
    # otherwise make each module depend on all that django/__init__.py imports.
    containers = {a for module in members for a in ancestors_and_self(module)[1:]}
    outside = {m for m, owner in owners.items() if owner is None and m not in containers}
    found: dict[Pair, list[tuple[str, ...]]] = {}
    for source in sorted(members):
        # The modules outside every module that the source reaches through such modules.
        frontier = sorted(
            {m for member in members[source] for m in graph.imported_by(member)} & outside
        )
        seen = set(frontier)
        targets: set[str] = set()
        while frontier:
            following = []
            for module in frontier:
                for imported in graph.sorted_imported_by(module):
                    owner = owners.get(imported)
                    if imported in outside and imported not in seen:
                        seen.add(imported)
                        following.append(imported)
                    elif owner is not None and owner != source:
                        targets.add(owner)
            frontier = following
        for target in sorted(targets):
            # The search stays within ``within``: the source, what it reaches outside every
            # module, and the target.
            within = seen | members[source] | members[target]
            chains = [
                chain
                for chain in graph.shortest_chains(
                    members[source], members[target], reachable=within
                )
                if len(chain) > 2
            ]
            if chains:
                found[source, target] = chains
    return found


def dependencies_between(
    graph: ProjectGraph, owners: Mapping[str, str | None], *, indirect: bool
) -> dict[Pair, list[Dependency]]:
    """For each pair of modules where the first uses the second, how: its direct
    imports, then (``indirect``) the chains through code outside every module."""
    found: dict[Pair, list[Dependency]] = defaultdict(list)
    for importer in sorted(owners):
        source = owners[importer]
        if source is None:
            continue
        for imported in graph.sorted_imported_by(importer):
            target = owners.get(imported)
            if target is not None and target != source:
                found[source, target].append(Dependency((importer, imported)))
    if indirect:
        for (source, target), chains in sorted(indirect_chains(graph, owners).items()):
            found[source, target].extend(Dependency(chain) for chain in chains)
    return dict(found)
