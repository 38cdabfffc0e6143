"""Robert C. Martin's package metrics: Ca, Ce, I, A and D.

Each function works on any networkx ``DiGraph`` whose edge ``x -> y`` means
"x depends on y" (for a project, ``ProjectGraph.to_networkx(depth=...)``).
Coupling counts distinct packages, as JDepend does: three imports from ``a``
into ``b`` add one to ``Ce(a)`` and one to ``Ca(b)``. A node whose attribute
``external`` is true (a third-party or standard-library package) is counted
only with ``include_external=True``.

A value that is not defined is ``None``, never 0: instability without any
coupling, abstractness of a package without classes, and so the distance of
either.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

from fitness.domain.code.classfacts import ClassFacts


def _counted(graph: nx.DiGraph, node: Hashable, include_external: bool) -> bool:
    return include_external or not graph.nodes[node].get("external", False)


def afferent_coupling(graph: nx.DiGraph, node: Hashable, *, include_external: bool = False) -> int:
    """Ca: how many other packages depend on ``node``."""
    return sum(
        1
        for other in graph.predecessors(node)
        if other != node and _counted(graph, other, include_external)
    )


def efferent_coupling(graph: nx.DiGraph, node: Hashable, *, include_external: bool = False) -> int:
    """Ce: how many other packages ``node`` depends on."""
    return sum(
        1
        for other in graph.successors(node)
        if other != node and _counted(graph, other, include_external)
    )


def instability_of(afferent: int, efferent: int) -> float | None:
    """I = Ce / (Ca + Ce); ``None`` when the package has no coupling at all."""
    total = afferent + efferent
    return efferent / total if total else None


def instability(
    graph: nx.DiGraph, node: Hashable, *, include_external: bool = False
) -> float | None:
    """I = Ce / (Ca + Ce), from 0 (maximally stable) to 1 (maximally unstable);
    ``None`` (undefined) for a package that neither depends nor is depended on."""
    return instability_of(
        afferent_coupling(graph, node, include_external=include_external),
        efferent_coupling(graph, node, include_external=include_external),
    )


def abstractness_of(abstract_classes: int, classes: int) -> float | None:
    """A = abstract classes / classes; ``None`` for a package without classes."""
    if abstract_classes < 0 or abstract_classes > classes:
        raise ValueError(f"{abstract_classes} abstract classes out of {classes}")
    return abstract_classes / classes if classes else None


def abstractness(classes: Iterable[ClassFacts]) -> float | None:
    """A = abstract classes / classes of a package; ``None`` if it has no class.

    A class is abstract when it is a ``Protocol`` or an ABC, has an abstract
    method, or has a public method that only raises ``NotImplementedError``
    (:func:`fitness.domain.code.vocabulary.class_is_abstract`).
    """
    items = list(classes)
    return abstractness_of(sum(1 for c in items if c.abstract), len(items))


def distance(abstractness: float | None, instability: float | None) -> float | None:
    """D = |A + I - 1|, the normalised distance from the main sequence;
    ``None`` when A or I is undefined."""
    if abstractness is None or instability is None:
        return None
    return abs(abstractness + instability - 1)


#: The name Martin gives it.
distance_from_main_sequence = distance
