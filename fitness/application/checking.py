"""Checking rules against a graph."""

from __future__ import annotations

from collections.abc import Iterable

from fitness.domain.errors import RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.rules.base import Rule
from fitness.domain.violations import RuleResult


def check_rule(rule: Rule, graph: ProjectGraph) -> RuleResult:
    """The verdict of one rule; a rule that cannot be checked gives an error result."""
    try:
        return rule.check(graph)
    except RuleError as error:
        return RuleResult(
            rule_name=rule.name,
            description=rule.description,
            errors=(str(error),),
            rule_type=rule.type_name,
        )


def check_rules(rules: Iterable[Rule], graph: ProjectGraph) -> list[RuleResult]:
    return [check_rule(rule, graph) for rule in rules]
