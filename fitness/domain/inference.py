"""Inferring the architecture a codebase has today: what ``fitness init`` proposes.

For each root package, its children (``shop.domain``, ``shop.adapters``, ...)
are ordered by what they *reach*, through chains of imports as the rules
follow them: a chain may pass through modules that are no layer (the
package's own ``__init__``, an entry point such as ``__main__``), so those stay
in the graph as stepping stones. Packages named after an architecture style
(``domain``/``application``/``adapters``, ``commands``/``queries``, siblings
publishing ``api`` or ``events``, ...) get that style's rule as well
(:mod:`fitness.domain.style_inference`). Children that reach each other share a layer
as non-independent siblings (``a : b``); each layer is the length of the
longest path beneath it, so every chain goes down, and children on one level
reach none of each other (``a | b``). Entry points are not layers.

Every candidate rule is then built with the real rule class and checked
against the graph, exactly as ``fitness check`` will check it; what does not
hold today is left out. A layering is proposed only where it says something:
at least two layers.

Pure: it reads the graph and returns a proposal, rendered as TOML text here
too; writing files is the command's job.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph, collapse, in_package
from fitness.domain.options import build_rule
from fitness.domain.style_inference import style_candidates

if TYPE_CHECKING:
    from fitness.domain.rules.base import Rule

#: Modules that start a program rather than belong to a layer of it.
ENTRY_POINTS = frozenset({"__main__"})


@dataclass(frozen=True)
class ProposedRule:
    name: str
    type: str
    options: dict[str, Any] = field(default_factory=dict)
    because: str = ""

    def raw(self) -> dict[str, Any]:
        """The rule as its ``[[tool.fitness.rules]]`` table."""
        table: dict[str, Any] = {"name": self.name, "type": self.type, **self.options}
        if self.because:
            table["because"] = self.because
        return table


@dataclass(frozen=True)
class Proposal:
    root_packages: tuple[str, ...]
    rules: tuple[ProposedRule, ...]
    notes: tuple[str, ...] = ()
    #: Candidates checked and left out because they do not hold today.
    dropped: tuple[str, ...] = ()


def is_entry_point(module: str) -> bool:
    return module.rpartition(".")[2] in ENTRY_POINTS


def child_graph(graph: ProjectGraph, package: str) -> nx.DiGraph:
    """The direct dependencies between the children of ``package`` (each with its
    descendants)."""
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


def reach_graph(graph: ProjectGraph, package: str, layers: Iterable[str]) -> nx.DiGraph:
    """Which of ``layers`` (children of ``package``) reach which, through chains of
    imports that may pass through any other module (the package's ``__init__``, an
    entry point, a module outside the package): an edge ``a -> b`` for every ``b``
    that ``a`` can reach."""
    depth = package.count(".") + 2
    nodes = set(layers)

    def node(module: str) -> str:
        collapsed = collapse(module, depth)
        return collapsed if collapsed in nodes else module

    steps = nx.DiGraph()
    steps.add_nodes_from(nodes)
    for importer, imported in graph.direct_imports():
        source, target = node(importer), node(imported)
        if source != target:
            steps.add_edge(source, target)
    result = nx.DiGraph()
    result.add_nodes_from(sorted(nodes))
    for source in sorted(nodes):
        result.add_edges_from(
            (source, target) for target in sorted(nx.descendants(steps, source) & nodes)
        )
    return result


def infer_layers(dependencies: nx.DiGraph) -> list[str]:
    """Layers from highest to lowest, as ``layers`` rule entries (``"a | b"``, ``"a : b"``)."""
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


def _packages_below(graph: ProjectGraph, root: str) -> list[str]:
    """Every package (a module with children) inside ``root``, shallow first."""
    internal = sorted(
        (m for m in graph.internal_modules if in_package(m, root)),
        key=lambda m: (m.count("."), m),
    )
    return [m for m in internal if graph.grimp.find_children(m)]


def _layering(graph: ProjectGraph, package: str) -> tuple[list[str], list[list[str]]] | None:
    """The layers of ``package``'s children and the groups of them that reach each other,
    or ``None`` where a layering would say nothing (fewer than two layers)."""
    layers = [c for c in sorted(graph.grimp.find_children(package)) if not is_entry_point(c)]
    if len(layers) < 2:
        return None
    reaches = reach_graph(graph, package, layers)
    order = infer_layers(reaches)
    if len(order) < 2:
        return None
    cycles = sorted(sorted(c) for c in nx.strongly_connected_components(reaches) if len(c) > 1)
    return order, cycles


def _cycle_note(cycle: list[str]) -> str:
    names = (
        ", ".join(cycle) if len(cycle) <= 6 else f"{', '.join(cycle[:3])} and {len(cycle) - 3} more"
    )
    return f"{names} reach each other through imports: they share a layer as 'a : b' siblings"


def holds(
    candidate: ProposedRule, rule_classes: Mapping[str, type[Rule]], graph: ProjectGraph
) -> bool:
    """Whether the rule, built by its real class as the configuration will build it,
    holds on ``graph`` today (no violation, no error, no warning)."""
    try:
        rule = build_rule(rule_classes[candidate.type], candidate.raw())
        result = rule.result(graph)
    except (ConfigError, RuleError):
        return False
    return result.passed and not result.warnings


def propose(
    graph: ProjectGraph,
    rule_classes: Mapping[str, type[Rule]],
    *,
    max_independence_depth: int = 3,
    max_layers_depth: int = 2,
) -> Proposal:
    """A configuration that describes the code as it is: every rule in it holds today,
    checked by the rule classes in ``rule_classes`` (by type name) that will check it."""
    rules: list[ProposedRule] = []
    notes: list[str] = []
    dropped: list[str] = []

    def consider(candidate: ProposedRule) -> bool:
        if candidate.type not in rule_classes:
            return False
        if holds(candidate, rule_classes, graph):
            rules.append(candidate)
            return True
        dropped.append(candidate.name)
        return False

    for root in graph.root_packages:
        for package in _packages_below(graph, root):
            if package.count(".") + 1 > max_layers_depth:
                break
            layering = _layering(graph, package)
            if layering is None:
                continue
            order, cycles = layering
            if consider(ProposedRule(f"{package} is layered", "layers", {"layers": order})):
                notes.extend(_cycle_note(cycle) for cycle in cycles)
        for package in _packages_below(graph, root):
            if package.count(".") + 1 > max_layers_depth:
                break
            for name, type_name, options in style_candidates(graph, package):
                consider(ProposedRule(name, type_name, options))
        if nx.is_directed_acyclic_graph(child_graph(graph, root)):
            consider(
                ProposedRule(
                    f"No cycles between the packages of {root}", "acyclic", {"modules": [root]}
                )
            )
        for package in _packages_below(graph, root):
            if package == root or package.count(".") + 1 >= max_independence_depth:
                continue
            if len(graph.grimp.find_children(package)) < 2:
                continue
            if child_graph(graph, package).number_of_edges():
                continue  # direct imports between them: not independent, no need to check
            consider(
                ProposedRule(
                    f"The children of {package} are independent",
                    "independence",
                    {"modules": [f"{package}.*"]},
                )
            )
    if len(graph.root_packages) >= 2:
        consider(
            ProposedRule(
                "The root packages are independent",
                "independence",
                {"modules": sorted(graph.root_packages)},
            )
        )
    return Proposal(tuple(graph.root_packages), tuple(rules), tuple(notes), tuple(dropped))


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
    if isinstance(value, Mapping):  # an inline table: one line, as TOML 1.0 wants it
        pairs = ", ".join(f"{_toml_key(k)} = {_inline(v)}" for k, v in value.items())
        return f"{{ {pairs} }}" if pairs else "{}"
    raise TypeError(f"cannot write {value!r} as TOML")


def _inline(value: Any) -> str:
    """A value inside an inline table: lists on one line too."""
    if isinstance(value, list | tuple):
        return f"[{', '.join(_inline(v) for v in value)}]"
    return _toml_value(value)


def _toml_key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key, ensure_ascii=False)


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
        lines += textwrap.wrap(
            note,
            width=88,
            initial_indent="# note: ",
            subsequent_indent="#   ",
            break_on_hyphens=False,
        )
    for rule in proposal.rules:
        lines += ["", "[[tool.fitness.rules]]"]
        raw = rule.raw()
        tables = {k: v for k, v in raw.items() if isinstance(v, Mapping)}
        lines += [f"{k} = {_toml_value(v)}" for k, v in raw.items() if k not in tables]
        for key, table in tables.items():  # as the docs write them: a table per rule option
            lines += ["", f"[tool.fitness.rules.{key}]"]
            lines += [f"{_toml_key(k)} = {_inline(v)}" for k, v in table.items()]
    return newline.join(lines) + newline
