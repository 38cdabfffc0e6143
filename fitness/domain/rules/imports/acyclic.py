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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fitness._lazy import LazyModule
from fitness.domain.cycle_breakers import nominate_cycle_breakers
from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph, ancestors_and_self, collapse
from fitness.domain.modules import MODULES, governed_by, has_wildcard, require_in_graph, resolve
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.support import INTERNAL_CHILDREN, IgnoringRule, require_internal
from fitness.domain.violations import Chain, Link, Violation

if TYPE_CHECKING:
    import networkx as nx
else:  # (about 80 ms to import, and few runs need it: imported on first use)
    nx = LazyModule("networkx")

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
    ``guidance`` and are the findings' ``cycle_breakers``. The ``acyclic`` rule type
    and the fluent ``should_be_acyclic()`` both judge with this."""
    dependencies = _dependencies(graph, slices, as_packages)
    digraph = nx.DiGraph()
    digraph.add_nodes_from(sorted(slices))
    digraph.add_edges_from(sorted(dependencies))
    cycles, capped = shortest_cycles(digraph, max_cycles)
    if not cycles:
        return Findings.of((), warnings, cycle_breakers=())

    violations = [_violation(graph, cycle, dependencies) for cycle in cycles]
    if capped:
        knots = [sorted(c) for c in nx.strongly_connected_components(digraph) if len(c) > 1]
        warnings = (
            *warnings,
            f"there are more than {max_cycles} cycles; the {max_cycles} shortest "
            f"are shown (max_cycles = {max_cycles}). They run through "
            + "; ".join(join_names(knot) for knot in sorted(knots)),
        )
    breakers = sorted(_cycle_breakers(dependencies, slices))
    return Findings.of(
        violations,
        warnings,
        cycle_breakers=breakers,
        guidance=_breakers_guidance(graph, guidance, breakers, max_cycles),
    )


def _breakers_guidance(
    graph: ProjectGraph, guidance: str, breakers: list[Import], max_cycles: int
) -> str:
    """``guidance`` and the first ``max_cycles`` breakers, with their files and lines
    (only those: there may be tens of thousands)."""
    if not breakers:
        return guidance
    count = len(breakers)
    shown = [Link.of(graph, a, b) for a, b in breakers[:max_cycles]]
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


def _slices_of(modules: Iterable[str], slices: set[str], as_packages: bool) -> dict[str, str]:
    """The slice each module is in (modules in none left out): itself, or with
    ``as_packages`` its nearest ancestor that is a slice (each package looked up once)."""
    if not as_packages:
        return {module: module for module in modules if module in slices}
    nearest: dict[str, str | None] = {}

    def slice_of(module: str) -> str | None:
        unknown = []  # the module and its ancestors, up to one already looked up
        name = module
        while name and name not in nearest and name not in slices:
            unknown.append(name)
            name = name.rpartition(".")[0]
        if not name:
            found = None
        elif name in nearest:
            found = nearest[name]
        else:
            found = nearest[name] = name
        for name in unknown:
            nearest[name] = found
        return found

    pairs = ((module, slice_of(module)) for module in modules)
    return {module: the_slice for module, the_slice in pairs if the_slice is not None}


def _dependencies(
    graph: ProjectGraph, slices: set[str], as_packages: bool
) -> dict[Import, list[Import]]:
    """For each pair of slices with an import between them, the module-level imports, in
    no particular order (each module's imports read once)."""
    slice_of = _slices_of(graph.modules, slices, as_packages)
    dependencies: dict[Import, list[Import]] = defaultdict(list)
    for importer, source in slice_of.items():
        for imported in graph.grimp.find_modules_directly_imported_by(importer):
            target = slice_of.get(imported)
            if target is not None and target != source:
                dependencies[(source, target)].append((importer, imported))
    return dependencies


def _violation(
    graph: ProjectGraph, cycle: list[str], dependencies: dict[Import, list[Import]]
) -> Violation:
    steps = list(itertools.pairwise([*cycle, cycle[0]]))
    imports = [min(dependencies[step]) for step in steps]
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


def _cycle_breakers(dependencies: dict[Import, list[Import]], slices: set[str]) -> set[Import]:
    """The module-level imports that make up the dependencies grimp's method nominates
    (:mod:`fitness.domain.cycle_breakers`), weighing each by its number of imports."""
    weights = {edge: len(imports) for edge, imports in dependencies.items()}
    return {
        found for edge in nominate_cycle_breakers(slices, weights) for found in dependencies[edge]
    }


def shortest_cycles(digraph: nx.DiGraph, limit: int) -> tuple[list[list[str]], bool]:
    """Up to ``limit`` elementary cycles, shortest first, each starting at its smallest
    node; and whether there are more.

    When there are more, which ones are found depends on the order networkx visits the
    nodes in, which for names follows their hashes (``PYTHONHASHSEED``): the search
    runs on the nodes numbered in sorted order instead, whose hashes are the numbers,
    so the same graph gives the same cycles in every run."""
    names = sorted(digraph.nodes)
    number = {name: index for index, name in enumerate(names)}
    numbered = nx.DiGraph()
    numbered.add_nodes_from(range(len(names)))
    numbered.add_edges_from(sorted((number[a], number[b]) for a, b in digraph.edges))
    knots = [c for c in nx.strongly_connected_components(numbered) if len(c) > 1]
    if not knots:
        return [], False
    core = numbered.subgraph(sorted(set().union(*knots)))
    longest = max(len(k) for k in knots)
    found: set[tuple[str, ...]] = set()
    for bound in range(2, longest + 1):
        # Every cycle shorter than ``bound`` is in ``found`` already (the previous round
        # found at most ``limit`` of them, so it found them all).
        found |= {
            canonical([names[index] for index in cycle])
            for cycle in itertools.islice(nx.simple_cycles(core, length_bound=bound), limit + 1)
        }
        if len(found) > limit:
            break
    ordered = sorted(found, key=lambda c: (len(c), c))
    return [list(c) for c in ordered[:limit]], len(ordered) > limit


def canonical(cycle: list[str]) -> tuple[str, ...]:
    start = cycle.index(min(cycle))
    return tuple(cycle[start:] + cycle[:start])
