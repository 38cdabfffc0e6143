"""Inferring the architecture a codebase has today: what ``fitness init`` proposes.

For each root package, its children (``shop.domain``, ``shop.adapters``, ...)
are ordered by their dependencies: the strongly connected components of the
child-level graph are condensed, and each component's layer is the length of
the longest dependency path beneath it, so every import goes down. Children on
one level never import each other (``a | b``); children in one cycle can only
be non-independent siblings (``a : b``). Packages whose children already are
independent get an ``independence`` rule; where there are no cycles, an
``acyclic`` rule (if that rule type is available) keeps it so.

Pure: it reads the graph and returns a proposal, rendered as TOML text here
too; writing files is the command's job.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fitness.domain.graph import ProjectGraph, collapse, in_package

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class ProposedRule:
    name: str
    type: str
    options: dict[str, Any] = field(default_factory=dict)
    because: str = ""


@dataclass(frozen=True)
class Proposal:
    root_packages: tuple[str, ...]
    rules: tuple[ProposedRule, ...]
    notes: tuple[str, ...] = ()


def child_graph(graph: ProjectGraph, package: str) -> nx.DiGraph:
    """The dependencies between the children of ``package`` (each with its descendants)."""
    import networkx as nx  # here, not at the top: it costs ~70 ms to import

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


def infer_layers(dependencies: nx.DiGraph) -> list[str]:
    """Layers from highest to lowest, as ``layers`` rule entries (``"a | b"``, ``"a : b"``)."""
    import networkx as nx  # here, not at the top: it costs ~70 ms to import

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


def _all_independent(dependencies: nx.DiGraph) -> bool:
    return bool(dependencies.number_of_edges() == 0)


def _package_children(graph: ProjectGraph, package: str) -> list[str]:
    return sorted(graph.grimp.find_children(package))


def _packages_below(graph: ProjectGraph, root: str) -> Iterable[str]:
    """Every package (a module with children) inside ``root``, shallow first."""
    internal = sorted(
        (m for m in graph.internal_modules if in_package(m, root)),
        key=lambda m: (m.count("."), m),
    )
    return [m for m in internal if graph.grimp.find_children(m)]


def propose(
    graph: ProjectGraph,
    rule_types: Collection[str] = ("layers", "independence"),
    *,
    max_independence_depth: int = 3,
) -> Proposal:
    """A configuration that describes the code as it is (and so passes, but for
    imports that go through a package's own ``__init__``, which the baseline records)."""
    import networkx as nx  # here, not at the top: it costs ~70 ms to import

    rules: list[ProposedRule] = []
    notes: list[str] = []
    for root in graph.root_packages:
        dependencies = child_graph(graph, root)
        if dependencies.number_of_nodes() >= 2:
            layers = infer_layers(dependencies)
            if len(layers) >= 2 and "layers" in rule_types:
                rules.append(
                    ProposedRule(
                        name=f"{root} is layered",
                        type="layers",
                        options={"layers": layers},
                    )
                )
            cycles = [
                sorted(c) for c in nx.strongly_connected_components(dependencies) if len(c) > 1
            ]
            for cycle in sorted(cycles):
                notes.append(
                    f"{', '.join(cycle)} import each other (a cycle): they share a layer as "
                    "'a : b' siblings"
                )
            if not cycles and "acyclic" in rule_types:
                rules.append(
                    ProposedRule(
                        name=f"No cycles between the packages of {root}",
                        type="acyclic",
                        options={"modules": [root]},
                    )
                )
        for package in _packages_below(graph, root):
            if package == root or package.count(".") + 1 >= max_independence_depth:
                continue
            children = _package_children(graph, package)
            if len(children) < 2:
                continue
            if _all_independent(child_graph(graph, package)) and "independence" in rule_types:
                rules.append(
                    ProposedRule(
                        name=f"The children of {package} are independent",
                        type="independence",
                        options={"modules": [f"{package}.*"]},
                    )
                )
    if len(graph.root_packages) >= 2 and "independence" in rule_types:
        roots = sorted(graph.root_packages)
        crossing = any(
            not in_package(b, root) and any(in_package(b, other) for other in roots)
            for a, b in graph.direct_imports()
            for root in roots
            if in_package(a, root)
        )
        if not crossing:
            rules.append(
                ProposedRule(
                    name="The root packages are independent",
                    type="independence",
                    options={"modules": roots},
                )
            )
    return Proposal(tuple(graph.root_packages), tuple(rules), tuple(notes))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        items = [_toml_value(v) for v in value]
        one_line = f"[{', '.join(items)}]"
        if len(one_line) <= 80:
            return one_line
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def to_toml(proposal: Proposal, *, baseline: str | None = None, newline: str = "\n") -> str:
    """The ``[tool.fitness]`` block, ready to append to ``pyproject.toml``."""
    lines = [
        "[tool.fitness]",
        "# Proposed by `fitness init` from the code as it is today: tighten from here.",
        f"root_packages = {_toml_value(list(proposal.root_packages))}",
    ]
    if baseline:
        lines.append(f"baseline = {_toml_value(baseline)}")
    for note in proposal.notes:
        lines.append(f"# note: {note}")
    for rule in proposal.rules:
        lines += ["", "[[tool.fitness.rules]]", f"name = {_toml_value(rule.name)}"]
        lines.append(f"type = {_toml_value(rule.type)}")
        for key, value in rule.options.items():
            lines.append(f"{key} = {_toml_value(value)}")
        if rule.because:
            lines.append(f"because = {_toml_value(rule.because)}")
    return newline.join(lines) + newline
