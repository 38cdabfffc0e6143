"""Every metric of a project at once: per package, per class and for the system.

This is what the ``metrics`` rule gates and what ``fitness metrics`` prints.
Pure: it takes the project graph and the class facts already parsed.

- Packages are the internal nodes of ``ProjectGraph.to_networkx(depth=depth)``
  (``depth=2``: ``shop.domain``, ``shop.adapters``, ...), with the classes of
  every module inside them.
- System figures are measured on the module-level graph of the internal
  modules (the "source files" of MacCormack et al. and Lakos); modularity is
  that of the partition of the modules into the packages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import networkx as nx

from fitness.domain.code.classfacts import ClassFacts, ModuleFacts
from fitness.domain.graph import ProjectGraph, collapse
from fitness.domain.metrics.cohesion import class_graph, lcom4, relational_cohesion
from fitness.domain.metrics.martin import (
    abstractness_of,
    afferent_coupling,
    distance,
    efferent_coupling,
    instability_of,
)
from fitness.domain.metrics.system import dependency_figures, modularity, partition_by

DEFAULT_DEPTH = 2

#: External "packages" that are not dependencies.
IGNORED_EXTERNALS = ("__future__",)


@dataclass(frozen=True)
class PackageMetrics:
    """Every metric of one package; ``None`` where a value is undefined."""

    package: str
    modules: int
    classes: int
    abstract_classes: int
    afferent: int
    efferent: int
    instability: float | None
    abstractness: float | None
    distance: float | None
    relational_cohesion: float | None
    max_lcom4: int | None


@dataclass(frozen=True)
class ClassMetrics:
    name: str
    package: str
    abstract: bool
    methods: int
    lcom4: int | None
    line: int = 0


@dataclass(frozen=True)
class SystemMetrics:
    modules: int
    packages: int
    propagation_cost: float | None
    propagation_cost_counts_self: bool
    cumulative_component_dependency: int
    average_component_dependency: float | None
    normalized_cumulative_component_dependency: float | None
    largest_cycle_group: int
    modularity: float | None


@dataclass(frozen=True)
class MetricsReport:
    depth: int
    include_external: bool
    packages: tuple[PackageMetrics, ...]
    classes: tuple[ClassMetrics, ...]
    system: SystemMetrics
    #: The package graph the coupling was measured on (internal and external nodes).
    package_graph: nx.DiGraph = field(repr=False, compare=False)

    def package(self, name: str) -> PackageMetrics:
        for item in self.packages:
            if item.package == name:
                return item
        raise KeyError(name)

    def to_data(self) -> dict[str, Any]:
        """Plain data (for JSON): undefined values are ``None``."""
        return {
            "depth": self.depth,
            "include_external": self.include_external,
            "packages": [asdict(p) for p in self.packages],
            "classes": [asdict(c) for c in self.classes],
            "system": asdict(self.system),
        }


def measure(
    graph: ProjectGraph,
    facts: Mapping[str, ModuleFacts] | None = None,
    *,
    depth: int = DEFAULT_DEPTH,
    include_external: bool = False,
    propagation_cost_counts_self: bool = False,
    not_implemented_is_abstract: bool = True,
) -> MetricsReport:
    """Measure everything; ``facts`` defaults to ``graph.class_facts()``.

    ``not_implemented_is_abstract=False`` counts as abstract only Protocols, ABCs
    and classes with abstract methods, not those whose public methods only raise
    ``NotImplementedError`` (:func:`fitness.domain.code.vocabulary.class_is_abstract`)."""
    if facts is None:
        facts = graph.class_facts()
    package_graph = graph.to_networkx(depth=depth, external=True)
    # ``from __future__ import ...`` is a compiler directive, not a dependency.
    package_graph.remove_nodes_from([n for n in IGNORED_EXTERNALS if n in package_graph])
    internal_modules = sorted(graph.internal_modules)
    package_of = {m: collapse(m, depth) for m in internal_modules}
    packages = sorted(n for n in package_graph.nodes if not package_graph.nodes[n]["external"])

    module_counts: dict[str, int] = {}
    for module in internal_modules:
        module_counts[package_of[module]] = module_counts.get(package_of[module], 0) + 1

    classes_in: dict[str, list[ClassFacts]] = {p: [] for p in packages}
    for module in internal_modules:
        module_facts = facts.get(module)
        if module_facts is not None:
            found = module_facts.classes
            if not not_implemented_is_abstract:
                found = tuple(
                    c if c.abstract == c.declared_abstract else replace(c, abstract=False)
                    for c in found
                )
            classes_in.setdefault(package_of[module], []).extend(found)

    classes = _class_metrics(classes_in)
    worst: dict[str, int] = {}
    for item in classes:
        if item.lcom4 is not None and not item.abstract:
            worst[item.package] = max(worst.get(item.package, 0), item.lcom4)

    package_rows = []
    for package in packages:
        members = classes_in.get(package, [])
        ca = afferent_coupling(package_graph, package, include_external=include_external)
        ce = efferent_coupling(package_graph, package, include_external=include_external)
        i = instability_of(ca, ce)
        abstract = sum(1 for c in members if c.abstract)
        a = abstractness_of(abstract, len(members))
        cohesion_graph = class_graph([ModuleFacts(module=package, classes=tuple(members))])
        package_rows.append(
            PackageMetrics(
                package=package,
                modules=module_counts.get(package, 0),
                classes=len(members),
                abstract_classes=abstract,
                afferent=ca,
                efferent=ce,
                instability=i,
                abstractness=a,
                distance=distance(a, i),
                relational_cohesion=relational_cohesion(cohesion_graph),
                max_lcom4=worst.get(package),
            )
        )

    module_graph = graph.to_networkx(external=False)
    figures = dependency_figures(module_graph, include_self=propagation_cost_counts_self)
    system = SystemMetrics(
        modules=module_graph.number_of_nodes(),
        packages=len(packages),
        propagation_cost=figures.propagation_cost,
        propagation_cost_counts_self=propagation_cost_counts_self,
        cumulative_component_dependency=figures.cumulative_component_dependency,
        average_component_dependency=figures.average_component_dependency,
        normalized_cumulative_component_dependency=(
            figures.normalized_cumulative_component_dependency
        ),
        largest_cycle_group=figures.largest_cycle_group,
        modularity=modularity(module_graph, partition_by(module_graph.nodes, package_of)),
    )
    return MetricsReport(
        depth=depth,
        include_external=include_external,
        packages=tuple(package_rows),
        classes=classes,
        system=system,
        package_graph=package_graph,
    )


def _class_metrics(classes_in: Mapping[str, list[ClassFacts]]) -> tuple[ClassMetrics, ...]:
    rows = []
    for package, members in classes_in.items():
        for cls in members:
            rows.append(
                ClassMetrics(
                    name=cls.qualified_name,
                    package=package,
                    abstract=cls.abstract,
                    methods=len(cls.methods),
                    lcom4=lcom4(cls),
                    line=cls.line,
                )
            )
    return tuple(sorted(rows, key=lambda r: r.name))
