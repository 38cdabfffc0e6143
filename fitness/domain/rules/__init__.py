"""The built-in rule types. One rule type, one module, one class."""

from fitness.domain.rules.acyclic import AcyclicRule
from fitness.domain.rules.acyclic_siblings import AcyclicSiblingsRule
from fitness.domain.rules.base import Rule
from fitness.domain.rules.forbidden import ForbiddenRule
from fitness.domain.rules.hexagonal import HexagonalRule
from fitness.domain.rules.independence import IndependenceRule
from fitness.domain.rules.layers import LayersRule
from fitness.domain.rules.metrics import MetricsRule
from fitness.domain.rules.private_modules import PrivateModulesRule
from fitness.domain.rules.protected import ProtectedRule

BUILTIN_RULE_TYPES: tuple[type[Rule], ...] = (
    LayersRule,
    ForbiddenRule,
    IndependenceRule,
    ProtectedRule,
    PrivateModulesRule,
    AcyclicSiblingsRule,
    AcyclicRule,
    HexagonalRule,
    MetricsRule,
)

__all__ = [
    "BUILTIN_RULE_TYPES",
    "AcyclicRule",
    "AcyclicSiblingsRule",
    "ForbiddenRule",
    "HexagonalRule",
    "IndependenceRule",
    "LayersRule",
    "MetricsRule",
    "PrivateModulesRule",
    "ProtectedRule",
    "Rule",
]
