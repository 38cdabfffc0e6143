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
    "LayersRule": ("layers", "fitness.domain.rules.imports.layers"),
    "ForbiddenRule": ("forbidden", "fitness.domain.rules.imports.forbidden"),
    "IndependenceRule": ("independence", "fitness.domain.rules.imports.independence"),
    "ProtectedRule": ("protected", "fitness.domain.rules.imports.protected"),
    "PrivateModulesRule": ("private_modules", "fitness.domain.rules.imports.private_modules"),
    "AcyclicSiblingsRule": ("acyclic_siblings", "fitness.domain.rules.imports.acyclic_siblings"),
    "AcyclicRule": ("acyclic", "fitness.domain.rules.imports.acyclic"),
    "HexagonalRule": ("hexagonal", "fitness.domain.rules.styles.hexagonal"),
    "CleanArchitectureRule": (
        "clean_architecture",
        "fitness.domain.rules.styles.clean_architecture",
    ),
    "OnionRule": ("onion", "fitness.domain.rules.styles.onion"),
    "EventDrivenRule": ("event_driven", "fitness.domain.rules.styles.event_driven"),
    "ModularMonolithRule": ("modular_monolith", "fitness.domain.rules.styles.modular_monolith"),
    "MetricsRule": ("metrics", "fitness.domain.rules.metrics.thresholds"),
    "ModulesRule": ("modules", "fitness.domain.rules.imports.modules"),
    "ClassesRule": ("classes", "fitness.domain.rules.code.classes"),
    "FunctionsRule": ("functions", "fitness.domain.rules.code.functions"),
    "StranglerFigRule": ("strangler_fig", "fitness.domain.rules.styles.strangler_fig"),
    "BoundedContextsRule": ("bounded_contexts", "fitness.domain.rules.styles.bounded_contexts"),
    "CqrsRule": ("cqrs", "fitness.domain.rules.styles.cqrs"),
    "DependenciesRule": ("dependencies", "fitness.domain.rules.imports.dependencies"),
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
    from fitness.domain.rules.code.classes import ClassesRule
    from fitness.domain.rules.code.functions import FunctionsRule
    from fitness.domain.rules.imports.acyclic import AcyclicRule
    from fitness.domain.rules.imports.acyclic_siblings import AcyclicSiblingsRule
    from fitness.domain.rules.imports.dependencies import DependenciesRule
    from fitness.domain.rules.imports.forbidden import ForbiddenRule
    from fitness.domain.rules.imports.independence import IndependenceRule
    from fitness.domain.rules.imports.layers import LayersRule
    from fitness.domain.rules.imports.modules import ModulesRule
    from fitness.domain.rules.imports.private_modules import PrivateModulesRule
    from fitness.domain.rules.imports.protected import ProtectedRule
    from fitness.domain.rules.metrics.thresholds import MetricsRule
    from fitness.domain.rules.styles.bounded_contexts import BoundedContextsRule
    from fitness.domain.rules.styles.clean_architecture import CleanArchitectureRule
    from fitness.domain.rules.styles.cqrs import CqrsRule
    from fitness.domain.rules.styles.event_driven import EventDrivenRule
    from fitness.domain.rules.styles.hexagonal import HexagonalRule
    from fitness.domain.rules.styles.modular_monolith import ModularMonolithRule
    from fitness.domain.rules.styles.onion import OnionRule
    from fitness.domain.rules.styles.strangler_fig import StranglerFigRule

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
