"""``require_coverage``: every module (or a minimum share of them) must be governed by
a rule. Not a rule type of its own: the configuration adds it after the rules when
``require_coverage`` is set, named ``coverage``, so that it is checked, reported and
recorded in the baseline as every rule is (a baseline holding today's ungoverned
packages lets only new ones fail)."""

from __future__ import annotations

from dataclasses import dataclass

from fitness.domain.coverage import COVERAGE_TYPE, format_share, measure_coverage
from fitness.domain.graph import ProjectGraph
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, Rule
from fitness.domain.violations import Violation

#: The name of the check ``require_coverage`` adds (``pyproject.toml::coverage`` in pytest).
COVERAGE_RULE_NAME = "coverage"


@dataclass(frozen=True, kw_only=True)
class CoverageRule(Rule):
    """The modules of the root packages must be governed by the other rules: all of
    them (``required = 1.0``), or at least the ``required`` share."""

    type_name = COVERAGE_TYPE
    how_to_fix = (
        "Place each of these modules in the architecture: name it, or a package above it, "
        "in a rule (a layer, a forbidden rule's source_modules, a bounded context...); "
        "`fitness coverage` shows what the rules govern. To adopt the requirement on a "
        "codebase that has such modules today, record them in the baseline (`fitness "
        "baseline`): only new ones then fail. Or lower require_coverage."
    )

    rules: tuple[Rule, ...] = option((), doc="the rules whose scopes must cover the modules")
    required: float = option(1.0, doc="the least share of the modules they must govern")

    def describe(self) -> str:
        if self.required >= 1:
            return "Every module of the root packages must be governed by at least one rule"
        return (
            f"At least {format_share(self.required)} of the modules of the root packages "
            "must be governed by a rule"
        )

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return set()

    def evaluate(self, graph: ProjectGraph) -> Findings:
        coverage = measure_coverage(graph, self.rules)
        warnings = [
            f"rule '{name}' (type {type_name}) does not say which modules it governs; it "
            "counts as governing nothing"
            for name, type_name in coverage.silent_rules
        ]
        details = {
            "share": coverage.share,
            "modules": len(coverage.modules),
            "governed": coverage.governed_count,
            "required": self.required,
        }
        measured = (
            f"The rules govern {format_share(coverage.share)} of the modules "
            f"({coverage.governed_count} of {len(coverage.modules)})"
        )
        if not coverage.ungoverned or (self.required < 1 and coverage.share >= self.required):
            return Findings.of((), warnings, details=details)
        violations = [
            Violation(
                importer=spot.name,
                imported="",
                summary=spot.summary(),
            )
            for spot in coverage.spots()
        ]
        asked = (
            "require_coverage asks for all of them"
            if self.required >= 1
            else f"require_coverage asks for at least {format_share(self.required)}"
        )
        return Findings.of(
            violations,
            warnings,
            details=details,
            guidance=f"{measured}; {asked}.\n{self.how_to_fix}",
        )
