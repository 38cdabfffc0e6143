"""``acyclic``: no import cycles among the modules or packages a pattern selects.

Like ArchUnit's ``slices().matching("..shop.(*)..").should().beFreeOfCycles()``:
the selected modules are the *slices*; with ``as_packages`` (the default)
each slice stands for itself and its descendants, and an import from inside
one slice into another is a dependency between the two. Each elementary
cycle of those dependencies is a violation, shown with one real import (file
and line) for each step, shortest cycles first, at most ``max_cycles`` of
them. grimp nominates the imports whose removal would break every cycle; they
are listed after the violations.

Selecting the slices:

- a plain name (``"shop"``) selects the package's descendants, sliced at its
  children (or at ``depth``);
- a wildcard expression (``"shop.adapters.*"``, ``"shop.**"``) selects what it
  matches;
- ``depth`` (a number of name parts: ``shop.domain`` is at depth 2) turns
  every selected module into its ancestor at that depth; shallower ones are
  left out.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import grimp

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph, ancestors_and_self, collapse
from fitness.domain.modules import MODULES, governed_by, has_wildcard, require_in_graph, resolve
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.support import INTERNAL_CHILDREN, IgnoringRule, require_internal
from fitness.domain.violations import Chain, Link, Violation

if TYPE_CHECKING:
    import networkx as nx

DEFAULT_MAX_CYCLES = 20

Import = tuple[str, str]


@dataclass(frozen=True, kw_only=True)
class AcyclicRule(IgnoringRule):
    """The selected modules (slices) must not depend on each other in a cycle."""

    type_name = "acyclic"
    how_to_fix = (
        "Break each cycle: move the code both sides need into a lower module, or invert one "
        "dependency (the lower side declares an interface, the higher side implements it)."
    )

    modules: tuple[str, ...] = option(
        doc="the slices: a package name (its children), or wildcard expressions (* and **)",
        names=MODULES,
    )
    depth: int | None = option(
        None, doc="slice at this depth (number of name parts; shop.domain is 2)"
    )
    as_packages: bool = option(
        True, doc="each slice stands for its descendants too (else: single modules)"
    )
    max_cycles: int = option(DEFAULT_MAX_CYCLES, doc="report at most this many cycles")

    def __post_init__(self) -> None:
        if not self.modules:
            raise ConfigError("option 'modules' must select at least one module", key=("modules",))
        if self.depth is not None and self.depth < 1:
            raise ConfigError("option 'depth' must be 1 or more", key=("depth",))
        if self.max_cycles < 1:
            raise ConfigError("option 'max_cycles' must be 1 or more", key=("max_cycles",))

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return governed_by(graph, self.modules)

    def describe(self) -> str:
        at = f" (at depth {self.depth})" if self.depth is not None else ""
        return f"Modules in {join_names(self.modules)}{at} must not import each other in a cycle"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        return find_cycles(
            graph,
            self.slices(graph),
            as_packages=self.as_packages,
            max_cycles=self.max_cycles,
            guidance=self.broken_contract_guidance or self.how_to_fix,
            warnings=warnings,
        )

    def slices(self, graph: ProjectGraph) -> set[str]:
        """The modules whose cycles the rule looks for."""
        selected: set[str] = set()
        for expression in self.modules:
            if has_wildcard(expression):
                modules = resolve(graph, expression, option="modules")
                natural: int | None = None
            else:
                require_in_graph(graph, [expression], option="modules")
                require_internal(graph, [expression], option="modules", needs=INTERNAL_CHILDREN)
                modules = graph.grimp.find_descendants(expression)
                natural = expression.count(".") + 2
            depth = self.depth if self.depth is not None else natural
            if depth is not None:
                modules = {collapse(m, depth) for m in modules if m.count(".") + 1 >= depth}
            selected |= modules
        if self.as_packages:
            # A slice inside another one is part of it.
            selected = {
                m for m in selected if not any(a in selected for a in ancestors_and_self(m)[1:])
            }
        if len(selected) < 2:
            raise RuleError(
                f"modules: {join_names(self.modules)} select"
                f"{'s' if len(self.modules) == 1 else ''} {len(selected)} "
                f"module{'' if len(selected) == 1 else 's'} "
                f"({join_names(sorted(selected)) or 'none'}); a cycle needs at least two",
            )
        return selected


def find_cycles(
    graph: ProjectGraph,
    slices: set[str],
    *,
    as_packages: bool = True,
    max_cycles: int = DEFAULT_MAX_CYCLES,
    guidance: str = AcyclicRule.how_to_fix,
    warnings: tuple[str, ...] = (),
) -> Findings:
    """The cycles among ``slices``: one violation per elementary cycle, shortest first,
    at most ``max_cycles``; the imports grimp nominates to break them all follow
    ``guidance`` and are in ``details["cycle_breakers"]``. The ``acyclic`` rule type
    and the fluent ``should_be_acyclic()`` both judge with this."""
    import networkx as nx  # here, not at the top: it costs ~70 ms to import

    dependencies = _dependencies(graph, slices, as_packages)
    digraph = nx.DiGraph()
    digraph.add_nodes_from(sorted(slices))
    digraph.add_edges_from(sorted(dependencies))
    cycles, capped = shortest_cycles(digraph, max_cycles)
    if not cycles:
        return Findings.of((), warnings, details={"cycle_breakers": []})

    violations = [_violation(graph, cycle, dependencies) for cycle in cycles]
    if capped:
        knots = [sorted(c) for c in nx.strongly_connected_components(digraph) if len(c) > 1]
        warnings = (
            *warnings,
            f"there are more than {max_cycles} cycles; the {max_cycles} shortest "
            f"are shown (max_cycles = {max_cycles}). They run through "
            + "; ".join(join_names(knot) for knot in sorted(knots)),
        )
    breakers = [
        Link.of(graph, a, b)
        for a, b in sorted(_cycle_breakers(graph, slices, dependencies, as_packages))
    ]
    return Findings.of(
        violations,
        warnings,
        details={"cycle_breakers": [(b.importer, b.imported) for b in breakers]},
        guidance=_breakers_guidance(guidance, breakers, max_cycles),
    )


def _breakers_guidance(guidance: str, breakers: list[Link], max_cycles: int) -> str:
    if not breakers:
        return guidance
    count = len(breakers)
    shown = breakers[:max_cycles]
    lines = [
        f"{guidance}",
        f"Removing {'this import' if count == 1 else f'these {count} imports'} would "
        "break every cycle (nominated by grimp):",
        *(f"  {b.importer} -> {b.imported}  ({b.location})" for b in shown),
    ]
    if len(shown) < count:
        rest = count - len(shown)
        lines.append(
            f"  ... and {rest} more (at most max_cycles = {max_cycles} are listed; "
            "the JSON report has them all)"
        )
    return "\n".join(lines)


def _slice_of(module: str, slices: set[str], as_packages: bool) -> str | None:
    if not as_packages:
        return module if module in slices else None
    for ancestor in ancestors_and_self(module):
        if ancestor in slices:
            return ancestor
    return None


def _dependencies(
    graph: ProjectGraph, slices: set[str], as_packages: bool
) -> dict[Import, list[Import]]:
    """For each pair of slices with an import between them, the module-level imports."""
    found: dict[Import, list[Import]] = defaultdict(list)
    slice_of: dict[str, str | None] = {}  # each module is in many imports: look it up once
    for importer, imported in graph.direct_imports():
        source = slice_of.get(importer, "")
        if source == "":
            source = slice_of[importer] = _slice_of(importer, slices, as_packages)
        target = slice_of.get(imported, "")
        if target == "":
            target = slice_of[imported] = _slice_of(imported, slices, as_packages)
        if source and target and source != target:
            found[(source, target)].append((importer, imported))
    return {edge: sorted(imports) for edge, imports in found.items()}


def _violation(
    graph: ProjectGraph, cycle: list[str], dependencies: dict[Import, list[Import]]
) -> Violation:
    steps = list(itertools.pairwise([*cycle, cycle[0]]))
    imports = [dependencies[step][0] for step in steps]
    joined = all(a[1] == b[0] for a, b in itertools.pairwise([*imports, imports[0]]))
    if joined:
        chains: tuple[Chain, ...] = (Chain.of(graph, [*(i[0] for i in imports), imports[0][0]]),)
    else:
        chains = tuple(Chain.of(graph, step) for step in imports)
    return Violation(
        importer=cycle[0],
        imported=" -> ".join(cycle[1:]),
        summary=f"import cycle: {' -> '.join([*cycle, cycle[0]])}",
        chains=chains,
    )


def _cycle_breakers(
    graph: ProjectGraph,
    slices: set[str],
    dependencies: dict[Import, list[Import]],
    as_packages: bool,
) -> set[Import]:
    if as_packages:
        return set(graph.grimp.nominate_cycle_breakers(*sorted(slices)))
    # Single modules may contain each other, which grimp's nomination does not allow:
    # nominate on a graph of the module-level imports between the slices only.
    names = {module: f"slices.m{i}" for i, module in enumerate(sorted(slices))}
    modules = {name: module for module, name in names.items()}
    flat = grimp.ImportGraph()
    flat.add_module("slices")
    for name in sorted(modules):
        flat.add_module(name)
    for importer, imported in dependencies:
        flat.add_import(importer=names[importer], imported=names[imported])
    return {(modules[a], modules[b]) for a, b in flat.nominate_cycle_breakers("slices")}


def shortest_cycles(digraph: nx.DiGraph, limit: int) -> tuple[list[list[str]], bool]:
    """Up to ``limit`` elementary cycles, shortest first, each starting at its smallest
    node; and whether there are more."""
    import networkx as nx  # here, not at the top: it costs ~70 ms to import

    knots = [c for c in nx.strongly_connected_components(digraph) if len(c) > 1]
    if not knots:
        return [], False
    core = digraph.subgraph(set().union(*knots))
    longest = max(len(k) for k in knots)
    found: set[tuple[str, ...]] = set()
    for bound in range(2, longest + 1):
        # Every cycle shorter than ``bound`` is in ``found`` already (the previous round
        # found at most ``limit`` of them, so it found them all).
        found |= {
            canonical(cycle)
            for cycle in itertools.islice(nx.simple_cycles(core, length_bound=bound), limit + 1)
        }
        if len(found) > limit:
            break
    ordered = sorted(found, key=lambda c: (len(c), c))
    return [list(c) for c in ordered[:limit]], len(ordered) > limit


def canonical(cycle: list[str]) -> tuple[str, ...]:
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])
