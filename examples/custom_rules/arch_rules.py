"""A project-local pytest-fitness plugin: the ``max_fan_out`` rule type, and a ``csv``
report format (``fitness check --format csv``).

Declared in pyproject.toml with ``[tool.fitness] plugins = ["arch_rules"]``.
A rule type is a frozen dataclass deriving from ``fitness.Rule``: its fields
are its options (validated like the built-in ones), ``describe`` is the
sentence that starts the failure message, ``evaluate`` finds the violations in
the static import graph.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from fitness import (
    Chain,
    ConfigError,
    Findings,
    ProjectGraph,
    ReportFormat,
    Rule,
    RuleError,
    RuleResult,
    Violation,
    hookimpl,
    option,
)


@dataclass(frozen=True, kw_only=True)
class MaxFanOutRule(Rule):
    """A module may import at most `max_imports` internal modules (its fan-out)."""

    type_name = "max_fan_out"
    how_to_fix = (
        "Split the module along the concepts it mixes, or give it one collaborator that "
        "hides the others."
    )

    max_imports: int = option(doc="how many internal modules one module may import")
    packages: tuple[str, ...] = option(
        (), doc="check only the modules in these packages (default: every internal module)"
    )

    def __post_init__(self) -> None:
        if self.max_imports < 0:
            raise ConfigError("option 'max_imports' must be 0 or more", key=("max_imports",))

    def describe(self) -> str:
        where = f"in {', '.join(self.packages)} " if self.packages else ""
        return f"Modules {where}may import at most {self.max_imports} internal modules"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        for package in self.packages:
            if package not in graph:
                raise RuleError(f"packages: module '{package}' is not in the graph")
        violations = []
        for module in sorted(graph.internal_modules):
            if self.packages and not any(
                module == p or module.startswith(p + ".") for p in self.packages
            ):
                continue
            imported = sorted(
                m
                for m in graph.grimp.find_modules_directly_imported_by(module)
                if graph.is_internal(m)
            )
            if len(imported) > self.max_imports:
                violations.append(
                    Violation(
                        importer=module,
                        imported="",
                        summary=f"{module} imports {len(imported)} internal modules; "
                        f"at most {self.max_imports} allowed",
                        chains=tuple(Chain.of(graph, (module, m)) for m in imported),
                    )
                )
        return Findings.of(violations)


@hookimpl
def fitness_rule_types() -> Sequence[type[Rule]]:
    return [MaxFanOutRule]


def render_csv(results: Sequence[RuleResult], context: object) -> str:
    """One row per violation: the rule, the importer, the imported module, the summary."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rule", "importer", "imported", "summary"])
    for result in results:
        for violation in result.violations:
            writer.writerow(
                [result.rule_name, violation.importer, violation.imported, violation.summary]
            )
    return out.getvalue()


@hookimpl
def fitness_report_formats() -> Sequence[ReportFormat]:
    return [ReportFormat("csv", render_csv, help="a row per violation")]
