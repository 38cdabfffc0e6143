"""The built-in rule types. One rule type, one module, one class.

They are listed once, in :mod:`fitness.domain.rule_types`. The modules are imported
on first use: a run imports only the rule types its configuration names (see
:class:`~fitness.domain.rules.base.RuleTypeRef`); ``from fitness.domain.rules import
LayersRule`` works too.
"""

from __future__ import annotations

from fitness._lazy import lazy_exports
from fitness.domain.rule_types import BUILTIN_RULE_CLASSES, BUILTIN_RULE_TYPES
from fitness.domain.rules.base import Rule, RuleTypeRef

BUILTIN_RULE_REFS: tuple[RuleTypeRef, ...] = tuple(
    RuleTypeRef(rule_type.type_name, rule_type.target) for rule_type in BUILTIN_RULE_TYPES
)


__getattr__, __dir__ = lazy_exports(__name__, BUILTIN_RULE_CLASSES)


def builtin_rule_types() -> tuple[type[Rule], ...]:
    """Every built-in rule class (each module imported now)."""
    classes: tuple[type[Rule], ...] = tuple(map(__getattr__, BUILTIN_RULE_CLASSES))
    return classes


__all__ = ["BUILTIN_RULE_REFS", "Rule", "RuleTypeRef", "builtin_rule_types"]
