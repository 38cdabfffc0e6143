"""A rule that cannot be checked where it is read, because the code of its type
was not loaded: ``fitness history`` never imports a commit's own plugins. It keeps
its place among the rules, and checking it says why (never a pass)."""

from __future__ import annotations

from dataclasses import dataclass

from fitness.domain.errors import RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, Rule


@dataclass(frozen=True, kw_only=True)
class NotCheckedRule(Rule):
    """A configured rule whose type is not available here."""

    type_name = "not loaded"

    rule_type: str = option(doc="the type the configuration gives the rule")
    reason: str = option(doc="why it cannot be checked")

    def describe(self) -> str:
        return f"a rule of type '{self.rule_type}', not checked here"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        raise RuleError(self.reason)


def not_loaded_plugins(type_name: str, plugins: tuple[str, ...]) -> str:
    """Why a rule of ``type_name`` is not checked: its plugin (one of ``plugins``, a
    commit's own) was not imported."""
    named = ", ".join(plugins)
    return (
        f"not checked: its type '{type_name}' is neither built in nor installed; it may come "
        f"from the commit's own plugins ({named}), which fitness history does not import"
    )
