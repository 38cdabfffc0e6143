"""pytest-fitness: architecture fitness functions for Python, run as pytest tests."""

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
from fitness.domain.graph import ProjectGraph
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, Rule
from fitness.domain.violations import Chain, Link, RuleResult, Violation

__version__ = "0.1.0"

__all__ = [
    "Chain",
    "Condition",
    "ConfigError",
    "Findings",
    "FitnessError",
    "Link",
    "Predicate",
    "ProjectGraph",
    "Rule",
    "RuleError",
    "RuleResult",
    "RuleViolated",
    "Violation",
    "__version__",
    "condition",
    "hookimpl",
    "modules",
    "option",
    "predicate",
]
