"""Coupling and cohesion metrics, each under its own name.

Every function works on any networkx ``DiGraph`` (edge ``x -> y``: x depends on
y), or on class facts parsed from source text; none does I/O. Undefined
values are ``None``, never 0. For a project::

    from fitness.metrics import instability, propagation_cost
    packages = fitness_graph.to_networkx(depth=2)
    instability(packages, "shop.domain")
    propagation_cost(fitness_graph.to_networkx(external=False))

This is the public import path (documented in ``docs/metrics.md``); the
functions are defined in :mod:`fitness.domain.metrics`, the ``metrics`` rule
type is :mod:`fitness.domain.rules.metrics.thresholds` and ``fitness metrics`` is
:mod:`fitness.cli.metrics`.
"""

from fitness.domain.code.classfacts import ClassFacts, MethodFacts, ModuleFacts, module_facts
from fitness.domain.metrics.cohesion import (
    class_graph,
    lcom4,
    lcom4_components,
    method_graph,
    relational_cohesion,
)
from fitness.domain.metrics.martin import (
    abstractness,
    abstractness_of,
    afferent_coupling,
    distance,
    distance_from_main_sequence,
    efferent_coupling,
    instability,
    instability_of,
)
from fitness.domain.metrics.principles import (
    PrincipleBreach,
    stable_abstractions_breaches,
    stable_dependencies_breaches,
)
from fitness.domain.metrics.report import (
    ClassMetrics,
    MetricsReport,
    PackageMetrics,
    SystemMetrics,
    measure,
)
from fitness.domain.metrics.system import (
    DependencyFigures,
    average_component_dependency,
    balanced_binary_tree_ccd,
    cumulative_component_dependency,
    cycle_groups,
    dependency_figures,
    depends_upon,
    largest_cycle_group,
    modularity,
    normalized_cumulative_component_dependency,
    partition_by,
    propagation_cost,
    visibility_counts,
)

#: Short names, as the literature writes them.
ccd = cumulative_component_dependency
acd = average_component_dependency
nccd = normalized_cumulative_component_dependency

__all__ = [
    "ClassFacts",
    "ClassMetrics",
    "DependencyFigures",
    "MethodFacts",
    "MetricsReport",
    "ModuleFacts",
    "PackageMetrics",
    "PrincipleBreach",
    "SystemMetrics",
    "abstractness",
    "abstractness_of",
    "acd",
    "afferent_coupling",
    "average_component_dependency",
    "balanced_binary_tree_ccd",
    "ccd",
    "class_graph",
    "cumulative_component_dependency",
    "cycle_groups",
    "dependency_figures",
    "depends_upon",
    "distance",
    "distance_from_main_sequence",
    "efferent_coupling",
    "instability",
    "instability_of",
    "largest_cycle_group",
    "lcom4",
    "lcom4_components",
    "measure",
    "method_graph",
    "modularity",
    "module_facts",
    "nccd",
    "normalized_cumulative_component_dependency",
    "partition_by",
    "propagation_cost",
    "relational_cohesion",
    "stable_abstractions_breaches",
    "stable_dependencies_breaches",
    "visibility_counts",
]
