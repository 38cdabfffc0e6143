"""The ``usage`` part of the ``dependencies`` rule type: which packages may use which
third-party distributions (SQLAlchemy in the persistence adapter, nothing in the
domain), through other modules of the project or directly. A module follows the most
specific package ``usage`` names; modules under no package may use any."""

from __future__ import annotations

from collections.abc import Mapping

from fitness.domain.chain_search import reach
from fitness.domain.dependencies import Declarations, Environment, normalise
from fitness.domain.errors import RuleError, did_you_mean
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import require_in_graph, resolve
from fitness.domain.rules.base import join_names
from fitness.domain.rules.imports.third_party import (
    Site,
    distribution_label,
    normalised_keys,
)
from fitness.domain.violations import Chain, Violation


def usage_violations(
    graph: ProjectGraph,
    usage: Mapping[str, tuple[str, ...]],
    sites: list[Site],
    declared: Declarations,
    environment: Environment,
) -> list[Violation]:
    """The imports, direct or through other modules of the project, of a distribution a
    package may not use: ``usage`` maps each package (an expression) to the
    distributions (or import names) it may use."""
    entries: dict[str, tuple[str, ...]] = {}
    for expression, allowed in usage.items():
        packages = resolve(graph, expression, option=f"usage: '{expression}'")
        require_in_graph(graph, packages, option=f"usage: '{expression}'")
        for package in packages:
            if not graph.is_internal(package):
                raise RuleError(
                    f"usage: '{package}' is not inside the root packages "
                    f"({', '.join(graph.root_packages)})"
                )
            entries[package] = allowed
    known = (
        {d.key for d in declared.declarations}
        | set(environment.distributions)
        | {normalise(s.imported) for s in sites}
        | {key for s in sites for key in s.keys}
    )
    for package, allowed in sorted(entries.items()):
        for name in allowed:
            if normalise(name) not in known:
                hint = did_you_mean(
                    name,
                    sorted(
                        {d.name for d in declared.declarations}
                        | {d.name for d in environment.distributions.values()}
                        | {s.imported for s in sites}
                    ),
                )
                raise RuleError(
                    f"usage: '{package}' allows '{name}', which is neither declared, "
                    f"installed nor imported{hint}"
                )
    governing = _governing(graph, entries)
    by_imported: dict[str, set[str]] = {}
    for site in sites:
        by_imported.setdefault(site.imported, set()).update(site.keys)
    violations = []
    for package, allowed in sorted(entries.items()):
        allowed_keys = normalised_keys(allowed)
        sources = {m for m, entry in governing.items() if entry == package}
        excluded = frozenset(m for m, entry in governing.items() if entry != package)
        reachable = reach(graph, sources, excluded)
        for imported, keys in sorted(by_imported.items()):
            if imported not in reachable:
                continue
            if {
                normalise(imported),
                normalise(imported.partition(".")[0]),
                *keys,
            } & allowed_keys:
                continue
            chains = graph.shortest_chains(
                sources, {imported}, excluded=excluded, reachable=reachable
            )
            if not chains:
                continue
            distributions = tuple(
                sorted(
                    {d for s in sites if s.imported == imported for d in s.distributions},
                    key=normalise,
                )
            )
            label = distribution_label(imported, distributions)
            may = f"only {join_names(allowed)}" if allowed else "no third-party distribution"
            violations.append(
                Violation(
                    package,
                    imported,
                    f"{package} uses {label}; it may use {may}",
                    tuple(sorted(Chain.of(graph, chain) for chain in chains)),
                )
            )
    return violations


def _governing(graph: ProjectGraph, entries: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Each internal module governed by a usage entry, and the most specific entry's package."""
    governing: dict[str, str] = {}
    for package in sorted(entries, key=lambda p: p.count(".")):
        for module in graph.with_descendants(package):
            if graph.is_internal(module):
                governing[module] = package  # a deeper package, later, wins
    return governing
