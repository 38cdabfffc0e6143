"""The fluent rule API: ``modules("x").should_not_import("y").because("...").check(graph)``.

Sugar over the same model as the rule types of ``pyproject.toml``: a selection
of modules (patterns, exclusions, described predicates) and a described
condition make a :class:`SelectionRule` (in :mod:`fitness.domain.rules.imports.modules`,
with the ``modules`` rule type), which is a :class:`~fitness.Rule` like any
other; its description is generated from its parts and is the failure message.
"""

from fitness.domain.fluent.rule import RuleBuilder, RuleViolated
from fitness.domain.fluent.selection import Selection, modules
from fitness.domain.rules.conditions import Condition, condition
from fitness.domain.rules.imports.modules import SelectionRule
from fitness.domain.rules.selection import Predicate, predicate

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
