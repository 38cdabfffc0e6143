"""Use case: what the HTML report shows: every rule's verdict (the baseline applied),
the graph they were checked against, and the metrics at a depth."""

from __future__ import annotations

from dataclasses import dataclass

from fitness.application.check import verdict
from fitness.application.checking import check_rules
from fitness.application.ports import Project
from fitness.domain.graph import ProjectGraph
from fitness.domain.metrics.report import MetricsReport, measure
from fitness.domain.rules.base import Rule
from fitness.domain.violations import RuleResult


@dataclass(frozen=True)
class ReportData:
    title: str
    rules: tuple[Rule, ...]
    #: What the rules found, and what is reported once the baseline is applied.
    found: list[RuleResult]
    results: list[RuleResult]
    graph: ProjectGraph
    metrics: MetricsReport


def build_report(project: Project, *, depth: int, use_baseline: bool = True) -> ReportData:
    """Check every rule (a project without rules has a report too) and measure."""
    config = project.config()
    baseline = project.baseline() if use_baseline else None
    graph = project.graph()
    found = check_rules(config.rules, graph)
    results = [verdict(r, baseline) for r in found]
    return ReportData(
        title=f"Architecture of {', '.join(config.graph.root_packages)}",
        rules=config.rules,
        found=found,
        results=results,
        graph=graph,
        metrics=measure(graph, graph.class_facts(), depth=depth),
    )
