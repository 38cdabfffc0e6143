"""Django rule types for pytest-fitness (registered through the ``fitness`` entry point)."""

from fitness_django.rules.app_dependencies import DjangoAppDependenciesRule
from fitness_django.rules.models_isolation import DjangoModelsIsolationRule
from fitness_django.rules.settings_access import DjangoSettingsAccessRule

__version__ = "0.1.0"

RULE_TYPES = (DjangoAppDependenciesRule, DjangoModelsIsolationRule, DjangoSettingsAccessRule)

__all__ = [
    "RULE_TYPES",
    "DjangoAppDependenciesRule",
    "DjangoModelsIsolationRule",
    "DjangoSettingsAccessRule",
    "__version__",
]
