"""The built-in rule types. One rule type, one module, one class."""

from fitness.domain.rules.base import Rule
from fitness.domain.rules.forbidden import ForbiddenRule
from fitness.domain.rules.independence import IndependenceRule
from fitness.domain.rules.layers import LayersRule

BUILTIN_RULE_TYPES: tuple[type[Rule], ...] = (LayersRule, ForbiddenRule, IndependenceRule)

__all__ = ["BUILTIN_RULE_TYPES", "ForbiddenRule", "IndependenceRule", "LayersRule", "Rule"]
