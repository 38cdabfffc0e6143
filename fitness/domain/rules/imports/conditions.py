"""What the selected modules of a ``modules`` rule (or a fluent one) must do about
imports. Each condition carries its own description (what a condition is:
:mod:`fitness.domain.rules.conditions`).

The import conditions reuse the rule types of ``pyproject.toml`` (``forbidden``,
``independence``, ``acyclic``), so the fluent API and the configuration give the same
verdicts on the same code.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from fitness.domain.errors import MissingModuleError
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import MODULES_OR_EXTERNAL
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.conditions import Condition
from fitness.domain.rules.imports.acyclic import find_cycles
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from fitness.domain.rules.imports.independence import IndependenceRule
from fitness.domain.rules.selection import expand
from fitness.domain.violations import Chain, Violation


def _resolve_targets(graph: ProjectGraph, names: Sequence[str], option: str) -> set[str]:
    """Internal names expand to their descendants; external ones stay as they are."""
    targets: set[str] = set()
    for name in names:
        found = expand(graph, name, option)
        if found:
            targets |= found
        elif graph.is_internal(name) or "*" in name:
            hint = graph.missing_hint(name)
            raise MissingModuleError(f"{option}: '{name}' matches no module{hint}", module=name)
        else:
            targets.add(name)  # an external package nothing imports (or not in the graph)
    return targets


def _modules_text(names: Sequence[str]) -> str:
    return join_names(names, "or")


def _is_stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names


def _topmost(selected: set[str]) -> set[str]:
    """The selected modules that have no selected ancestor."""
    return {m for m in selected if not any(in_package(m, o) for o in selected if o != m)}


@dataclass(frozen=True)
class NotImport(Condition):
    targets: tuple[str, ...]
    directly: bool = False
    how_to_fix = ForbiddenRule.how_to_fix

    @property
    def description(self) -> str:
        how = "directly import" if self.directly else "import"
        return f"not {how} {_modules_text(self.targets)}"

    def name_mistakes(self, graph: ProjectGraph, *, empty_ok: bool = False) -> list[str]:
        return MODULES_OR_EXTERNAL.mistakes(self, graph, "should_not_import", self.targets)

    def evaluate(self, graph: ProjectGraph, selected: set[str]) -> Findings:
        targets = _resolve_targets(graph, self.targets, "should_not_import")
        return ForbiddenRule(
            name=self.description,
            source_modules=tuple(sorted(selected)),
            forbidden_modules=tuple(sorted(targets)),
            as_packages=False,
            allow_indirect_imports=self.directly,
        ).evaluate(graph)


@dataclass(frozen=True)
class NotImportedBy(Condition):
    importers: tuple[str, ...]
    directly: bool = False
    how_to_fix = ForbiddenRule.how_to_fix

    @property
    def description(self) -> str:
        how = "directly imported" if self.directly else "imported"
        return f"not be {how} by {_modules_text(self.importers)}"

    def name_mistakes(self, graph: ProjectGraph, *, empty_ok: bool = False) -> list[str]:
        return MODULES_OR_EXTERNAL.mistakes(
            self, graph, "should_not_be_imported_by", self.importers
        )

    def evaluate(self, graph: ProjectGraph, selected: set[str]) -> Findings:
        importers = _resolve_targets(graph, self.importers, "should_not_be_imported_by")
        if not importers & graph.modules:
            return Findings()  # external packages that import nothing of ours
        return ForbiddenRule(
            name=self.description,
            source_modules=tuple(sorted(importers & graph.modules)),
            forbidden_modules=tuple(sorted(selected)),
            as_packages=False,
            allow_indirect_imports=self.directly,
        ).evaluate(graph)


@dataclass(frozen=True)
class OnlyImport(Condition):
    allowed: tuple[str, ...]
    directly: bool = False
    how_to_fix = (
        "Import only what the rule allows: move the code that needs more, or depend on "
        "an abstraction among the allowed modules."
    )

    @property
    def description(self) -> str:
        how = "directly import" if self.directly else "import"
        return f"only {how} {join_names(self.allowed)} (and the standard library)"

    def name_mistakes(self, graph: ProjectGraph, *, empty_ok: bool = False) -> list[str]:
        return MODULES_OR_EXTERNAL.mistakes(self, graph, "should_only_import", self.allowed)

    def evaluate(self, graph: ProjectGraph, selected: set[str]) -> Findings:
        allowed = _resolve_targets(graph, self.allowed, "should_only_import") | selected
        violations = []
        for module in sorted(selected):
            if self.directly:
                reached = graph.grimp.find_modules_directly_imported_by(module)
            else:
                reached = graph.grimp.find_upstream_modules(module)
            for target in sorted(reached):
                if target in allowed or _is_stdlib(target):
                    continue
                path = _path(graph, module, target, self.directly)
                violations.append(
                    Violation(
                        module,
                        target,
                        f"{module} imports {target}, which is not allowed",
                        (Chain.of(graph, path),),
                    )
                )
        return Findings.of(violations)


@dataclass(frozen=True)
class OnlyImportedBy(Condition):
    allowed: tuple[str, ...]
    directly: bool = False
    how_to_fix = "Only the allowed modules may use these: route the other callers through them."

    @property
    def description(self) -> str:
        how = "directly imported" if self.directly else "imported"
        return f"only be {how} by {join_names(self.allowed)}"

    def name_mistakes(self, graph: ProjectGraph, *, empty_ok: bool = False) -> list[str]:
        return MODULES_OR_EXTERNAL.mistakes(self, graph, "should_only_be_imported_by", self.allowed)

    def evaluate(self, graph: ProjectGraph, selected: set[str]) -> Findings:
        allowed = _resolve_targets(graph, self.allowed, "should_only_be_imported_by") | selected
        violations = []
        for module in sorted(selected):
            if self.directly:
                importers = graph.grimp.find_modules_that_directly_import(module)
            else:
                importers = graph.grimp.find_downstream_modules(module)
            for importer in sorted(importers - allowed):
                path = _path(graph, importer, module, self.directly)
                violations.append(
                    Violation(
                        importer,
                        module,
                        f"{module} is imported by {importer}, which is not allowed",
                        (Chain.of(graph, path),),
                    )
                )
        return Findings.of(violations)


@dataclass(frozen=True)
class Independent(Condition):
    description = "be independent of each other"
    how_to_fix = IndependenceRule.how_to_fix

    def evaluate(self, graph: ProjectGraph, selected: set[str]) -> Findings:
        units = _topmost(selected)
        if len(units) < 2:
            return Findings()
        return IndependenceRule(name=self.description, modules=tuple(sorted(units))).evaluate(graph)


@dataclass(frozen=True)
class Acyclic(Condition):
    """No cycle among the selected modules, each standing for what is under it."""

    description = "be free of import cycles"
    how_to_fix = (
        "Break each cycle: move what both sides need into a lower module, or invert one "
        "dependency with an interface."
    )
    max_cycles: int = 20

    def evaluate(self, graph: ProjectGraph, selected: set[str]) -> Findings:
        units = _topmost(selected)
        if len(units) < 2:
            return Findings()
        return find_cycles(graph, units, max_cycles=self.max_cycles, guidance=self.how_to_fix)


def _path(graph: ProjectGraph, importer: str, imported: str, directly: bool) -> tuple[str, ...]:
    if directly:
        return (importer, imported)
    chain = graph.shortest_chain(importer, imported)
    return tuple(chain) if chain else (importer, imported)
