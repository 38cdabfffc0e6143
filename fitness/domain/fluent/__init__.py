"""The fluent rule API: ``modules("x").should_not_import("y").because("...").check(graph)``.

Sugar over the same model as the rule types of ``pyproject.toml``: a selection
of modules (patterns, exclusions, described predicates) and a described
condition make a :class:`SelectionRule`, which is a :class:`~fitness.Rule` like
any other; its description is generated from its parts and is the failure
message.
"""

from fitness.domain.fluent.conditions import Condition, condition
from fitness.domain.fluent.patterns import Predicate, predicate
from fitness.domain.fluent.rule import RuleBuilder, RuleViolated, SelectionRule
from fitness.domain.fluent.selection import Selection, modules

__all__ = [
    "Condition",
    "Predicate",
    "RuleBuilder",
    "RuleViolated",
    "Selection",
    "SelectionRule",
    "condition",
    "modules",
    "predicate",
]
