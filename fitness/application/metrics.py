"""Use case: measure a project's coupling and cohesion."""

from __future__ import annotations

from collections.abc import Callable

from fitness.application.ports import Project
from fitness.domain.errors import FitnessError
from fitness.domain.metrics.report import DEFAULT_DEPTH, MetricsReport, measure


def compute_metrics(
    project: Project,
    *,
    depth: int | None = None,
    include_external: bool = False,
    count_self: bool = False,
    not_implemented_is_abstract: bool = True,
    say: Callable[[str], None] = lambda _step: None,
) -> MetricsReport:
    """Every metric, per package at ``depth`` and for the system; ``say`` is told each
    step as it starts. No package at that depth is an error."""
    depth = DEFAULT_DEPTH if depth is None else depth
    say("building the import graph")
    graph = project.graph()
    say("reading classes")
    facts = graph.class_facts()
    say("measuring")
    report = measure(
        graph,
        facts,
        depth=depth,
        include_external=include_external,
        propagation_cost_counts_self=count_self,
        not_implemented_is_abstract=not_implemented_is_abstract,
    )
    if not report.packages:
        raise FitnessError(f"no package at depth {depth}")
    return report
