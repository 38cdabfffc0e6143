"""Use case: what the HTML report shows: every rule's verdict (the baseline applied),
the graph they were checked against, and the metrics at a depth."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from fitness.application.check import verdict
from fitness.application.checking import check_rules
from fitness.application.ports import Project
from fitness.domain.baseline import Baseline
from fitness.domain.coverage import Coverage, measure_coverage
from fitness.domain.graph import ProjectGraph
from fitness.domain.metrics.report import MetricsReport, measure
from fitness.domain.new_since import KnownAt
from fitness.domain.rules.base import Rule
from fitness.domain.violations import RuleResult, Violation


@dataclass(frozen=True)
class ReportData:
    title: str
    rules: tuple[Rule, ...]
    #: What the rules found, and what is reported once the baseline is applied.
    found: list[RuleResult]
    results: list[RuleResult]
    graph: ProjectGraph
    metrics: MetricsReport
    #: The baseline applied (``None``: none, or ``--no-baseline``).
    baseline: Baseline | None = None
    #: What the rules govern of the root packages (``fitness coverage``).
    coverage: Coverage | None = None

    def progress(self) -> tuple[Progress, ...]:
        """How far each rule with a baseline has come: a ratchet only tightens."""
        if self.baseline is None:
            return ()
        rows = []
        for found, result in zip(self.found, self.results, strict=True):
            recorded = len(self.baseline.for_rule(found.rule_name))
            fixed = len(result.baseline.fixed) if result.baseline else 0
            measured = found.measurements.by_name() if found.measurements else {}
            metrics = tuple(
                MetricRatchet(name, was, measured[name].value, measured[name].higher_is_better)
                for name, was in sorted(self.baseline.metrics.get(found.rule_name, {}).items())
                if name in measured
            )
            if recorded or metrics:
                rows.append(Progress(found.rule_name, recorded, fixed, metrics))
        return tuple(rows)

    def baselined(self) -> dict[str, tuple[Violation, ...]]:
        """Each rule's violations (or chains of violations) that the baseline forgave."""
        return {
            found.rule_name: forgiven(found, result)
            for found, result in zip(self.found, self.results, strict=True)
        }


@dataclass(frozen=True)
class MetricRatchet:
    """A measured value the baseline recorded, and what it is now."""

    name: str
    recorded: float
    now: float
    higher_is_better: bool

    @property
    def change(self) -> str:
        """``better``, ``same`` or ``worse`` than recorded."""
        if self.now == self.recorded:
            return "same"
        return "better" if (self.now > self.recorded) == self.higher_is_better else "worse"


@dataclass(frozen=True)
class Progress:
    """One rule's ratchet: the baseline's entries for it (``recorded``) and how many of
    them no longer match anything (``fixed``); its recorded metrics against today's."""

    rule: str
    recorded: int
    fixed: int
    metrics: tuple[MetricRatchet, ...] = ()


def forgiven(found: RuleResult, reported: RuleResult) -> tuple[Violation, ...]:
    """What ``found`` has that ``reported`` (the same rule, the baseline applied) does not:
    whole violations, or the chains of a violation that the baseline knows."""
    kept = {(v.importer, v.imported, v.summary): v for v in reported.violations}
    result = []
    for violation in found.violations:
        new = kept.get((violation.importer, violation.imported, violation.summary))
        if new is None:
            result.append(violation)
            continue
        still = set(new.chains)
        chains = tuple(chain for chain in violation.chains if chain not in still)
        if chains:
            result.append(dataclasses.replace(violation, chains=chains))
    return tuple(result)


def build_report(
    project: Project, *, depth: int, use_baseline: bool = True, known_at: KnownAt | None = None
) -> ReportData:
    """Check every rule (a project without rules has a report too) and measure; with
    ``known_at``, only what is new since that revision fails."""
    config = project.config()
    baseline = project.baseline() if use_baseline else None
    graph = project.graph()
    found = check_rules(config.rules, graph)
    results = [verdict(r, baseline, known_at=known_at) for r in found]
    return ReportData(
        title=f"Architecture of {', '.join(config.graph.root_packages)}",
        rules=config.rules,
        found=found,
        results=results,
        graph=graph,
        metrics=measure(graph, graph.class_facts(), depth=depth),
        baseline=baseline,
        coverage=measure_coverage(graph, config.rules),
    )
