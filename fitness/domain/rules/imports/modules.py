"""``modules``: a selection of modules and a condition, declared in ``pyproject.toml``.

The model of the fluent API too: ``modules(...).should_...(...)`` in Python makes
a :class:`SelectionRule` of the same selection and conditions, so a rule can move
between a test file and the configuration unchanged.
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import (
    MODULES,
    MODULES_OR_EXTERNAL,
    OWN_NAMES,
    OWN_SELECTION,
    SELECTED_MODULES,
)
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, Rule
from fitness.domain.rules.conditions import Condition
from fitness.domain.rules.imports.conditions import (
    Acyclic,
    Independent,
    NotImport,
    NotImportedBy,
    OnlyImport,
    OnlyImportedBy,
)
from fitness.domain.rules.selection import ModuleSelection, expand

_CONDITIONS = (
    "should_not_import",
    "should_only_import",
    "should_not_be_imported_by",
    "should_only_be_imported_by",
    "should_be_independent",
    "should_be_acyclic",
)


@dataclass(frozen=True, kw_only=True)
class SelectionRule(Rule):
    """``<selection> should <condition>``: the shape every fluent rule reduces to."""

    type_name = "fluent"

    selection: ModuleSelection = option(doc="the modules the rule is about", names=OWN_SELECTION)
    condition: Condition = option(doc="what they must do", names=OWN_NAMES)
    allow_empty: bool = option(False, doc="pass when the selection matches no module")

    def describe(self) -> str:
        return f"{self.selection.describe()} should {self.condition.description}"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        selected = self.selection.select(graph)
        if not selected:
            if self.allow_empty:
                return Findings()
            raise RuleError(self.selection.explain_empty(graph))
        findings = self.condition.evaluate(graph, selected)
        guidance = self.broken_contract_guidance or findings.guidance or self.condition.how_to_fix
        return dataclasses.replace(findings, guidance=guidance)


@dataclass(frozen=True, kw_only=True)
class ModulesRule(Rule):
    """``select`` (minus ``excluding``) should meet exactly one condition."""

    type_name = "modules"

    select: tuple[str, ...] = option(
        doc="patterns: a.b (and below), a.* (children), a.** (all)", names=SELECTED_MODULES
    )
    excluding: tuple[str, ...] = option((), doc="patterns to leave out", names=MODULES)
    should_not_import: tuple[str, ...] = option(
        (), doc="modules they must not import", names=MODULES_OR_EXTERNAL
    )
    should_only_import: tuple[str, ...] = option(
        (),
        doc="the only modules they may import (besides themselves and the standard library)",
        names=MODULES_OR_EXTERNAL,
    )
    should_not_be_imported_by: tuple[str, ...] = option(
        (), doc="modules that must not import them", names=MODULES_OR_EXTERNAL
    )
    should_only_be_imported_by: tuple[str, ...] = option(
        (),
        doc="the only modules that may import them",
        names=MODULES_OR_EXTERNAL,
    )
    should_be_independent: bool = option(False, doc="no selected module imports another")
    should_be_acyclic: bool = option(False, doc="no import cycle among the selected modules")
    directly: bool = option(False, doc="consider direct imports only")
    allow_empty: bool = option(False, doc="pass when the selection matches no module")

    def __post_init__(self) -> None:
        if not self.select:
            raise ConfigError("option 'select' must name at least one module", key=("select",))
        chosen = [name for name in _CONDITIONS if getattr(self, name)]
        if len(chosen) != 1:
            listed = ", ".join(_CONDITIONS)
            found = f" (found {', '.join(chosen)})" if chosen else ""
            raise ConfigError(f"give exactly one of {listed}{found}", key=())

    @property
    def condition(self) -> Condition:
        if self.should_not_import:
            return NotImport(self.should_not_import, directly=self.directly)
        if self.should_only_import:
            return OnlyImport(self.should_only_import, directly=self.directly)
        if self.should_not_be_imported_by:
            return NotImportedBy(self.should_not_be_imported_by, directly=self.directly)
        if self.should_only_be_imported_by:
            return OnlyImportedBy(self.should_only_be_imported_by, directly=self.directly)
        if self.should_be_independent:
            return Independent()
        return Acyclic()

    def as_selection_rule(self) -> SelectionRule:
        return SelectionRule(
            name=self.name,
            because=self.because,
            broken_contract_guidance=self.broken_contract_guidance,
            selection=ModuleSelection(self.select, self.excluding, names=("select", "excluding")),
            condition=self.condition,
            allow_empty=self.allow_empty,
        )

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        """The selected modules, each with what is under it (its conditions judge them
        as packages), less the exclusions; patterns that name nothing select nothing here."""

        def under(patterns: tuple[str, ...]) -> set[str]:
            found: set[str] = set()
            for pattern in patterns:
                with contextlib.suppress(RuleError):
                    for module in expand(graph, pattern):
                        found |= graph.with_descendants(module)
            return found

        return {m for m in under(self.select) - under(self.excluding) if graph.is_internal(m)}

    def describe(self) -> str:
        return self.as_selection_rule().describe()

    def evaluate(self, graph: ProjectGraph) -> Findings:
        return self.as_selection_rule().evaluate(graph)
