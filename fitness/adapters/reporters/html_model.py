"""The data behind the HTML report's interactive parts, as compact JSON.

The dependency structure matrix needs every module and every import between them
(the page collapses them into packages as the reader expands and collapses the
tree); the graphs need, per view, their nodes and edges: the packages at the
report's depth, and for each rule the modules of its violations' chains.

Modules are written once, in the order the matrix shows them (the layers of the
``layers`` rules from the top down, then importers above what they import), and
referred to by their index everywhere else. Pure: the same input gives the same
text, and nothing from the analysed code can end the ``<script>`` element it sits in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fitness.adapters.reporters.diagram import Diagram, Edge, layered_rows
from fitness.domain.graph import collapse
from fitness.domain.violations import Chain, RuleResult, Violation

#: A rule's view shows at most this many chains (the first, in the rule's order).
MAX_CHAINS_PER_VIEW = 200
#: Edge flags: part of a reported violation's chain, or only of a baselined one.
NEW, KNOWN = 1, 2


def _chains(violations: Iterable[Violation]) -> list[Chain]:
    return [chain for violation in violations for chain in violation.chains]


def _links(chains: Iterable[Chain]) -> list[tuple[str, str]]:
    return [
        (link.importer, link.imported)
        for chain in chains
        for link in (*chain.links, *chain.extra_firsts, *chain.extra_lasts)
    ]


def module_order(modules: Diagram) -> list[str]:
    """Every module of a module-level diagram, top layer first (see :func:`layered_rows`)."""
    return [node for row in layered_rows(modules) for node in row]


def _package_view(diagram: Diagram, known: set[tuple[str, str]]) -> dict[str, Any]:
    parents: list[list[str]] = []
    parent_of: dict[str, str] = {}
    row_of = {node: r for r, row in enumerate(layered_rows(diagram)) for node in row}
    for i, cluster in enumerate(diagram.clusters):
        parents.append([f"layer:{i}", cluster.label, cluster.rule])
        for node in cluster.nodes:
            parent_of.setdefault(node, f"layer:{i}")
    return {
        "id": "packages",
        "title": f"Packages at depth {diagram.depth}",
        "parents": parents,
        "nodes": [
            [node, parent_of.get(node, ""), int(node in diagram.external), row_of[node]]
            for node in diagram.nodes
        ],
        "edges": [
            [edge.source, edge.target, edge.count, _flag(edge, known)] for edge in diagram.edges
        ],
    }


def _flag(edge: Edge, known: set[tuple[str, str]]) -> int:
    if edge.violating:
        return NEW
    return KNOWN if (edge.source, edge.target) in known else 0


def _rule_view(
    index: int, result: RuleResult, baselined: Sequence[Violation], depth: int | None
) -> dict[str, Any]:
    new, known = _chains(result.violations), _chains(baselined)
    total = len(new) + len(known)
    shown_new = new[:MAX_CHAINS_PER_VIEW]
    shown_known = known[: max(MAX_CHAINS_PER_VIEW - len(shown_new), 0)]
    flags: dict[tuple[str, str], int] = {}
    for pair in _links(shown_known):
        flags[pair] = KNOWN
    for pair in _links(shown_new):
        flags[pair] = NEW
    modules = sorted({m for pair in flags for m in pair})
    packages = sorted(
        {collapse(m, depth) for m in modules} - set(modules) - {""},
    )
    return {
        "id": f"rule:{index}",
        "title": result.rule_name,
        "rule": result.rule_name,
        "chains": total,
        "shown": len(shown_new) + len(shown_known),
        "parents": [[p, p, ""] for p in packages],
        "nodes": [
            [m, p if (p := collapse(m, depth)) in packages and p != m else "", 0] for m in modules
        ],
        "edges": [[a, b, 1, flag] for (a, b), flag in sorted(flags.items())],
    }


def report_model(
    modules: Diagram,
    packages: Diagram,
    results: Sequence[RuleResult],
    baselined: Mapping[str, Sequence[Violation]],
) -> dict[str, Any]:
    """The page's data: ``modules`` is the module-level diagram (``depth=None``, its
    edges marked where a reported violation's chain runs), ``packages`` the one at the
    report's depth; ``baselined`` each rule's forgiven violations."""
    order = module_order(modules)
    known_pairs = {pair for vs in baselined.values() for pair in _links(_chains(vs))}
    chain_modules = sorted(
        {
            module
            for result in results
            for pair in _links(_chains((*result.violations, *baselined.get(result.rule_name, ()))))
            for module in pair
        }
        - set(order)
    )
    names = order + chain_modules  # modules outside the graph (external) last
    index = {name: i for i, name in enumerate(names)}
    edges: list[int] = []
    flagged: list[int] = []
    for number, edge in enumerate(modules.edges):
        edges += [index[edge.source], index[edge.target]]
        if flag := _flag(edge, known_pairs):
            flagged += [number, flag]
    depth = packages.depth
    views = [
        _package_view(packages, {(collapse(a, depth), collapse(b, depth)) for a, b in known_pairs})
    ]
    for i, result in enumerate(results):
        forgiven = baselined.get(result.rule_name, ())
        if _chains(result.violations) or _chains(forgiven):
            views.append(_rule_view(i, result, forgiven, packages.depth))
    return {
        "depth": packages.depth,
        "modules": names,
        "internal": len(order),
        "edges": edges,
        "flags": flagged,
        "views": views,
    }


def to_script_json(model: Mapping[str, Any]) -> str:
    """JSON for a ``<script type="application/json">`` element: ASCII only, and no ``<``,
    ``>`` or ``&`` (so no ``</script>`` and no comment), whatever the names hold."""
    text = json.dumps(model, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\x7f", "\\u007f")):
        text = text.replace(raw, escaped)
    return text
