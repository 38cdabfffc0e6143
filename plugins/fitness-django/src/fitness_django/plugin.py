"""The plugin pytest-fitness loads from the ``fitness`` entry-point group."""

from __future__ import annotations

from collections.abc import Sequence

from fitness import Rule, hookimpl
from fitness_django import RULE_TYPES


@hookimpl
def fitness_rule_types() -> Sequence[type[Rule]]:
    return RULE_TYPES
