"""Martin's package principles, checked on a dependency graph.

**Stable Dependencies Principle**: depend in the direction of stability. A
dependency ``x -> y`` breaks it when ``y`` is less stable than ``x``
(``I(y) > I(x)``).

**Stable Abstractions Principle**: a package should be as abstract as it is
stable. With the SDP it means dependencies run in the direction of
abstraction: a dependency ``x -> y`` breaks it when ``y`` is less abstract
than ``x`` (``A(y) < A(x)``). The per-package form of the principle is the
distance from the main sequence (``max_distance`` in the ``metrics`` rule).

A dependency whose ends have an undefined value is not judged.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from fitness.domain.metrics.martin import instability


@dataclass(frozen=True, order=True)
class PrincipleBreach:
    """A dependency ``importer -> imported`` that runs against a principle, with
    the values compared (instabilities for the SDP, abstractness for the SAP)."""

    importer: str
    imported: str
    importer_value: float
    imported_value: float


def stable_dependencies_breaches(
    graph: nx.DiGraph,
    *,
    include_external: bool = False,
    instabilities: Mapping[Any, float | None] | None = None,
) -> list[PrincipleBreach]:
    """Dependencies ``x -> y`` where ``y`` is less stable than ``x``.

    ``instabilities`` may give the values already measured; by default they are
    computed from ``graph``. External nodes are judged only with ``include_external``.
    """
    values = dict(instabilities) if instabilities is not None else {}
    for node in graph.nodes:
        if node not in values:
            values[node] = instability(graph, node, include_external=include_external)
    breaches = []
    for importer, imported in graph.edges:
        if importer == imported or not _judged(graph, importer, imported, include_external):
            continue
        a, b = values.get(importer), values.get(imported)
        if a is not None and b is not None and b > a:
            breaches.append(PrincipleBreach(str(importer), str(imported), a, b))
    return sorted(breaches)


def stable_abstractions_breaches(
    graph: nx.DiGraph, abstractness: Mapping[Any, float | None]
) -> list[PrincipleBreach]:
    """Dependencies ``x -> y`` where ``y`` is less abstract than ``x``."""
    breaches = []
    for importer, imported in graph.edges:
        if importer == imported:
            continue
        a, b = abstractness.get(importer), abstractness.get(imported)
        if a is not None and b is not None and b < a:
            breaches.append(PrincipleBreach(str(importer), str(imported), a, b))
    return sorted(breaches)


def _judged(graph: nx.DiGraph, a: Hashable, b: Hashable, include_external: bool) -> bool:
    if include_external:
        return True
    return not (graph.nodes[a].get("external", False) or graph.nodes[b].get("external", False))
