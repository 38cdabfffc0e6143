"""pytest-fitness: architecture fitness functions for Python, run as pytest tests.

The public names are imported on first use (:mod:`fitness._lazy`), so that ``fitness check``
and the pytest plugin load only the parts of the package a run needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fitness._lazy import lazy_exports
from fitness._version import __version__
from fitness.domain.rule_types import BUILTIN_RULE_CLASSES

#: Public name -> the module that defines it (and each built-in rule class, from the
#: one list of them: :mod:`fitness.domain.rule_types`). ``__all__`` and the imports for
#: type checkers below are generated from it: ``python scripts/gen_docs.py``.
_EXPORTS = {
    **BUILTIN_RULE_CLASSES,
    "Chain": "fitness.domain.violations",
    "Condition": "fitness.domain.fluent",
    "ConfigError": "fitness.domain.errors",
    "Findings": "fitness.domain.rules.base",
    "FitnessError": "fitness.domain.errors",
    "Link": "fitness.domain.violations",
    "Measurements": "fitness.domain.measurements",
    "MetricRegression": "fitness.domain.violations",
    "Predicate": "fitness.domain.fluent",
    "ProjectGraph": "fitness.domain.graph",
    "ReportFormat": "fitness.domain.report_format",
    "Rule": "fitness.domain.rules.base",
    "RuleError": "fitness.domain.errors",
    "RuleResult": "fitness.domain.violations",
    "RuleTypeRef": "fitness.domain.rules.base",
    "RuleViolated": "fitness.domain.rules.base",
    "RuleWarning": "fitness.domain.rules.base",
    "Violation": "fitness.domain.violations",
    "classes": "fitness.domain.fluent.code",
    "condition": "fitness.domain.fluent",
    "functions": "fitness.domain.fluent.code",
    "hookimpl": "fitness.application.plugins",
    "modules": "fitness.domain.fluent",
    "option": "fitness.domain.options",
    "predicate": "fitness.domain.fluent",
}

# generated: public-names
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
    "ReportFormat",
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
# end


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)


# generated: typing-imports
if TYPE_CHECKING:
    from fitness.application.plugins import hookimpl
    from fitness.domain.errors import ConfigError, FitnessError, RuleError
    from fitness.domain.fluent import Condition, Predicate, condition, modules, predicate
    from fitness.domain.fluent.code import classes, functions
    from fitness.domain.graph import ProjectGraph
    from fitness.domain.measurements import Measurements
    from fitness.domain.options import option
    from fitness.domain.report_format import ReportFormat
    from fitness.domain.rules.base import Findings, Rule, RuleTypeRef, RuleViolated, RuleWarning
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
# end
