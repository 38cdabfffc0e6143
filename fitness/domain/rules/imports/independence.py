"""``independence``: modules that must not depend on each other, directly or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import MODULES, governed_by, require_in_graph, resolve_all
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.support import (
    IgnoringRule,
    Level,
    illegal_dependencies_for_layers,
    violations_from_dependencies,
)


@dataclass(frozen=True, kw_only=True)
class IndependenceRule(IgnoringRule):
    """None of the modules may import another of them, even through a chain."""

    type_name = "independence"
    #: import-linter keeps a contract of one module (it checks nothing); fitness refuses it,
    #: except in an import-linter configuration (:class:`ImportLinterIndependenceRule`).
    single_allowed: ClassVar[bool] = False
    how_to_fix = (
        "Independent modules must not know each other. Move what they share into a "
        "lower module both may import, or let a third module (a composition root) wire "
        "them together."
    )

    modules: tuple[str, ...] = option(
        doc="modules that must be independent of each other", names=MODULES
    )

    def __post_init__(self) -> None:
        if not self.modules:
            raise ConfigError("option 'modules' must name at least one module", key=("modules",))
        if len(self.modules) == 1 and "*" not in self.modules[0] and not self.single_allowed:
            raise ConfigError(
                f"option 'modules' names one module ({self.modules[0]!r}); independence needs "
                "at least two (or a pattern such as 'pkg.*'): one module alone checks nothing",
                key=("modules",),
            )

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return governed_by(graph, self.modules)

    def describe(self) -> str:
        return f"Modules {join_names(self.modules)} must be independent of each other"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        modules = resolve_all(graph, self.modules, option="modules")
        require_in_graph(graph, modules, option="modules")
        _require_disjoint(modules)
        dependencies = illegal_dependencies_for_layers(graph, [Level(tuple(sorted(modules)))])
        return Findings.of(violations_from_dependencies(graph, dependencies), warnings)


def _require_disjoint(modules: set[str]) -> None:
    """A package counts with everything under it: modules nested in one another
    cannot be independent of each other."""
    for module in sorted(modules):
        inside = sorted(m for m in modules if m.startswith(f"{module}."))
        if inside:
            raise RuleError(
                f"modules: '{inside[0]}' is inside '{module}', and a package counts with "
                "everything under it; name modules that do not contain each other "
                f"(for example '{module}.*' for the modules directly inside '{module}')"
            )


# A plain subclass (no fields of its own, only a class variable): no dataclass
# processing, which would cost an import a millisecond for nothing.
class ImportLinterIndependenceRule(IndependenceRule):
    """An ``independence`` contract read from an import-linter configuration: one module is
    kept (it checks nothing), as import-linter keeps it."""

    single_allowed: ClassVar[bool] = True
