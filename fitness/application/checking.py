"""Checking rules against a graph."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from fitness.domain.errors import RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.rules.base import Rule, error_result, found_by, unusable_result
from fitness.domain.source_facts import Suppression
from fitness.domain.suppressions import (
    by_rule,
    missing_reasons,
    silenced_imports,
    unknown_rule_names,
)
from fitness.domain.violations import RuleResult


def check_rule(rule: Rule, graph: ProjectGraph) -> RuleResult:
    """What one rule finds; a rule that cannot be checked gives an error result.

    Imports silenced for this rule by ``# fitness: ignore[<rule name>] <reason>``
    are left out of its graph; suppressions without a reason are errors, and those
    that silence nothing (no import of the graph is written on their line) are
    reported as warnings. The rule is evaluated once.
    """
    suppressions = by_rule(graph.suppressions, rule.name)
    if not suppressions:
        return found_by(rule, graph)
    try:
        return _check_with_suppressions(rule, graph, suppressions)
    except RuleError as error:
        return unusable_result(rule, error)


def _check_with_suppressions(
    rule: Rule, graph: ProjectGraph, suppressions: list[Suppression]
) -> RuleResult:
    unexplained = missing_reasons(suppressions)
    if unexplained:
        return error_result(rule, "\n".join(unexplained))
    silenced = silenced_imports(graph, suppressions)
    imports = set().union(*silenced.values())
    result = rule.result(graph.without_imports(imports) if imports else graph)
    warnings = tuple(
        f"{s.location}: '# fitness: ignore[{rule.name}]' silences nothing; remove it"
        for s in sorted(suppressions)
        if not silenced[s]
    )
    return dataclasses.replace(
        result,
        warnings=result.warnings + warnings,
        suppressed_imports=tuple(sorted(imports)),
    )


def unknown_suppressions(rules: Iterable[Rule], graph: ProjectGraph) -> list[str]:
    """Suppressions in the analysed code that name no rule of this configuration."""
    return unknown_rule_names(graph.suppressions, (rule.name for rule in rules))


def check_rules(rules: Iterable[Rule], graph: ProjectGraph) -> list[RuleResult]:
    return [check_rule(rule, graph) for rule in rules]
