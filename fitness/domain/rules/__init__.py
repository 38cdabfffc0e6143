"""The built-in rule types. One rule type, one module, one class.

The modules are imported on first use: a run imports only the rule types its
configuration names (see :class:`~fitness.domain.rules.base.RuleTypeRef`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fitness._lazy import lazy_exports
from fitness.domain.rules.base import Rule, RuleTypeRef

#: Class name -> (type name, module), in the order ``fitness rules`` lists them.
_BUILTIN = {
    "LayersRule": ("layers", "fitness.domain.rules.layers"),
    "ForbiddenRule": ("forbidden", "fitness.domain.rules.forbidden"),
    "IndependenceRule": ("independence", "fitness.domain.rules.independence"),
    "ProtectedRule": ("protected", "fitness.domain.rules.protected"),
    "PrivateModulesRule": ("private_modules", "fitness.domain.rules.private_modules"),
    "AcyclicSiblingsRule": ("acyclic_siblings", "fitness.domain.rules.acyclic_siblings"),
    "AcyclicRule": ("acyclic", "fitness.domain.rules.acyclic"),
    "HexagonalRule": ("hexagonal", "fitness.domain.rules.hexagonal"),
    "CleanArchitectureRule": ("clean_architecture", "fitness.domain.rules.clean_architecture"),
    "OnionRule": ("onion", "fitness.domain.rules.onion"),
    "EventDrivenRule": ("event_driven", "fitness.domain.rules.event_driven"),
    "ModularMonolithRule": ("modular_monolith", "fitness.domain.rules.modular_monolith"),
    "MetricsRule": ("metrics", "fitness.domain.rules.metric_thresholds"),
    "ModulesRule": ("modules", "fitness.domain.rules.modules"),
    "ClassesRule": ("classes", "fitness.domain.rules.classes"),
    "FunctionsRule": ("functions", "fitness.domain.rules.functions"),
    "StranglerFigRule": ("strangler_fig", "fitness.domain.rules.strangler_fig"),
    "BoundedContextsRule": ("bounded_contexts", "fitness.domain.rules.bounded_contexts"),
    "CqrsRule": ("cqrs", "fitness.domain.rules.cqrs"),
    "DependenciesRule": ("dependencies", "fitness.domain.rules.dependencies"),
}

BUILTIN_RULE_REFS: tuple[RuleTypeRef, ...] = tuple(
    RuleTypeRef(type_name, f"{module}:{class_name}")
    for class_name, (type_name, module) in _BUILTIN.items()
)


__getattr__, __dir__ = lazy_exports(
    __name__, {class_name: module for class_name, (_, module) in _BUILTIN.items()}
)


def builtin_rule_types() -> tuple[type[Rule], ...]:
    """Every built-in rule class (each module imported now)."""
    return tuple(__getattr__(class_name) for class_name in _BUILTIN)


if TYPE_CHECKING:
    from fitness.domain.rules.acyclic import AcyclicRule
    from fitness.domain.rules.acyclic_siblings import AcyclicSiblingsRule
    from fitness.domain.rules.bounded_contexts import BoundedContextsRule
    from fitness.domain.rules.classes import ClassesRule
    from fitness.domain.rules.clean_architecture import CleanArchitectureRule
    from fitness.domain.rules.cqrs import CqrsRule
    from fitness.domain.rules.dependencies import DependenciesRule
    from fitness.domain.rules.event_driven import EventDrivenRule
    from fitness.domain.rules.forbidden import ForbiddenRule
    from fitness.domain.rules.functions import FunctionsRule
    from fitness.domain.rules.hexagonal import HexagonalRule
    from fitness.domain.rules.independence import IndependenceRule
    from fitness.domain.rules.layers import LayersRule
    from fitness.domain.rules.metric_thresholds import MetricsRule
    from fitness.domain.rules.modular_monolith import ModularMonolithRule
    from fitness.domain.rules.modules import ModulesRule
    from fitness.domain.rules.onion import OnionRule
    from fitness.domain.rules.private_modules import PrivateModulesRule
    from fitness.domain.rules.protected import ProtectedRule
    from fitness.domain.rules.strangler_fig import StranglerFigRule

__all__ = [
    "BUILTIN_RULE_REFS",
    "AcyclicRule",
    "AcyclicSiblingsRule",
    "BoundedContextsRule",
    "ClassesRule",
    "CleanArchitectureRule",
    "CqrsRule",
    "DependenciesRule",
    "EventDrivenRule",
    "ForbiddenRule",
    "FunctionsRule",
    "HexagonalRule",
    "IndependenceRule",
    "LayersRule",
    "MetricsRule",
    "ModularMonolithRule",
    "ModulesRule",
    "OnionRule",
    "PrivateModulesRule",
    "ProtectedRule",
    "Rule",
    "RuleTypeRef",
    "StranglerFigRule",
    "builtin_rule_types",
]
