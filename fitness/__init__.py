"""pytest-fitness: architecture fitness functions for Python, run as pytest tests.

The public names are imported on first use (:mod:`fitness._lazy`), so that ``fitness check``
and the pytest plugin load only the parts of the package a run needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fitness._lazy import lazy_exports
from fitness._version import __version__

#: Public name -> the module that defines it.
_EXPORTS = {
    "AcyclicRule": "fitness.domain.rules.imports.acyclic",
    "AcyclicSiblingsRule": "fitness.domain.rules.imports.acyclic_siblings",
    "BoundedContextsRule": "fitness.domain.rules.styles.bounded_contexts",
    "Chain": "fitness.domain.violations",
    "ClassesRule": "fitness.domain.rules.code.classes",
    "CleanArchitectureRule": "fitness.domain.rules.styles.clean_architecture",
    "Condition": "fitness.domain.fluent",
    "ConfigError": "fitness.domain.errors",
    "EventDrivenRule": "fitness.domain.rules.styles.event_driven",
    "CqrsRule": "fitness.domain.rules.styles.cqrs",
    "DependenciesRule": "fitness.domain.rules.imports.dependencies",
    "Findings": "fitness.domain.rules.base",
    "FitnessError": "fitness.domain.errors",
    "ForbiddenRule": "fitness.domain.rules.imports.forbidden",
    "FunctionsRule": "fitness.domain.rules.code.functions",
    "HexagonalRule": "fitness.domain.rules.styles.hexagonal",
    "IndependenceRule": "fitness.domain.rules.imports.independence",
    "LayersRule": "fitness.domain.rules.imports.layers",
    "Link": "fitness.domain.violations",
    "Measurements": "fitness.domain.measurements",
    "MetricRegression": "fitness.domain.violations",
    "MetricsRule": "fitness.domain.rules.metrics.thresholds",
    "ModularMonolithRule": "fitness.domain.rules.styles.modular_monolith",
    "ModulesRule": "fitness.domain.rules.imports.modules",
    "OnionRule": "fitness.domain.rules.styles.onion",
    "Predicate": "fitness.domain.fluent",
    "PrivateModulesRule": "fitness.domain.rules.imports.private_modules",
    "ProjectGraph": "fitness.domain.graph",
    "ProtectedRule": "fitness.domain.rules.imports.protected",
    "Rule": "fitness.domain.rules.base",
    "RuleError": "fitness.domain.errors",
    "RuleResult": "fitness.domain.violations",
    "RuleTypeRef": "fitness.domain.rules.base",
    "RuleViolated": "fitness.domain.rules.base",
    "RuleWarning": "fitness.domain.rules.base",
    "StranglerFigRule": "fitness.domain.rules.styles.strangler_fig",
    "Violation": "fitness.domain.violations",
    "classes": "fitness.domain.fluent.code",
    "condition": "fitness.domain.fluent",
    "functions": "fitness.domain.fluent.code",
    "hookimpl": "fitness.application.plugins",
    "modules": "fitness.domain.fluent",
    "option": "fitness.domain.options",
    "predicate": "fitness.domain.fluent",
}

__all__ = [
    "AcyclicRule",
    "AcyclicSiblingsRule",
    "BoundedContextsRule",
    "Chain",
    "ClassesRule",
    "CleanArchitectureRule",
    "Condition",
    "ConfigError",
    "CqrsRule",
    "DependenciesRule",
    "EventDrivenRule",
    "Findings",
    "FitnessError",
    "ForbiddenRule",
    "FunctionsRule",
    "HexagonalRule",
    "IndependenceRule",
    "LayersRule",
    "Link",
    "Measurements",
    "MetricRegression",
    "MetricsRule",
    "ModularMonolithRule",
    "ModulesRule",
    "OnionRule",
    "Predicate",
    "PrivateModulesRule",
    "ProjectGraph",
    "ProtectedRule",
    "Rule",
    "RuleError",
    "RuleResult",
    "RuleTypeRef",
    "RuleViolated",
    "RuleWarning",
    "StranglerFigRule",
    "Violation",
    "__version__",
    "classes",
    "condition",
    "functions",
    "hookimpl",
    "modules",
    "option",
    "predicate",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)


if TYPE_CHECKING:
    from fitness.application.plugins import hookimpl
    from fitness.domain.errors import ConfigError, FitnessError, RuleError
    from fitness.domain.fluent import (
        Condition,
        Predicate,
        RuleViolated,
        condition,
        modules,
        predicate,
    )
    from fitness.domain.fluent.code import classes, functions
    from fitness.domain.graph import ProjectGraph
    from fitness.domain.measurements import Measurements
    from fitness.domain.options import option
    from fitness.domain.rules.base import Findings, Rule, RuleTypeRef, RuleWarning
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
    from fitness.domain.violations import Chain, Link, MetricRegression, RuleResult, Violation
