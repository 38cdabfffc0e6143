"""The ``metrics`` rule type: thresholds on coupling and cohesion metrics that gate merges.

Thresholds apply to every package at ``depth`` (or those ``packages`` selects),
with per-package ``overrides``. Each breach is a violation whose importer is
the package (or class) and whose imported is the metric's name, or, for the
stable-dependencies and stable-abstractions principles, the package depended
upon, so a baseline keys on it. What can get worse is in the result's ``measurements``
(the baseline ratchets it); the measured values are in its ``details``, for the JSON report.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fitness.domain.code.detail import Detail
from fitness.domain.errors import ConfigError, RuleError, did_you_mean
from fitness.domain.graph import ProjectGraph, collapse
from fitness.domain.measurements import Measurements
from fitness.domain.metrics.cohesion import lcom4_components
from fitness.domain.metrics.principles import (
    stable_abstractions_breaches,
    stable_dependencies_breaches,
)
from fitness.domain.metrics.report import measure
from fitness.domain.modules import CheckedBy
from fitness.domain.options import option
from fitness.domain.rendering import format_value
from fitness.domain.rules.base import Findings, Rule, join_names
from fitness.domain.violations import Chain, Link, Violation

if TYPE_CHECKING:
    from fitness.domain.metrics.report import MetricsReport, PackageMetrics

# The metrics modules (and networkx under them, ~70 ms) are imported where a
# metrics rule is checked, not here: `fitness rules` and the configuration's
# validation import this module without measuring anything.

#: The thresholds that ``overrides`` may set for a package.
PACKAGE_THRESHOLDS = ("max_instability", "max_distance", "min_relational_cohesion", "max_lcom4")


@dataclass(frozen=True)
class Thresholds:
    """The package thresholds in force for one package."""

    max_instability: float | None = None
    max_distance: float | None = None
    min_relational_cohesion: float | None = None
    max_lcom4: float | None = None


@dataclass(frozen=True, order=True)
class Breach:
    """One threshold breached: by whom, which metric, the value and the limit."""

    subject: str
    metric: str
    value: float
    threshold: float


class PackagePattern:
    """A package expression: ``*`` stands for any characters within one name, ``**`` for
    one or more whole names (``shop.*``, ``shop.**.api``, ``*_service``).

    Matched without backtracking (a regular expression of ``[^.]*`` runs, such as
    ``fnmatch`` makes, takes minutes on a pattern like ``*a*a*a*...b``): within a
    name, the pieces between stars are found leftmost-first with ``str.find``;
    across names, the runs of names between ``**`` likewise. Leftmost is always
    right when a wildcard may take any number of characters (or names, at least
    one), so each piece is looked for once.
    """

    __slots__ = ("_groups", "expression")

    def __init__(self, expression: str) -> None:
        self.expression = expression
        groups: list[list[str]] = [[]]
        for segment in expression.split("."):
            if segment == "**":
                groups.append([])
            else:
                groups[-1].append(segment)
        self._groups = groups

    def match(self, name: str) -> bool:
        parts = name.split(".")
        groups = self._groups
        if len(groups) == 1:
            (only,) = groups
            return len(only) == len(parts) and _run_matches(only, parts, 0)
        first, middle, last = groups[0], groups[1:-1], groups[-1]
        minimum = len(first) + len(last) + len(groups) - 1 + sum(len(g) for g in middle)
        if minimum > len(parts):
            return False
        end = len(parts) - len(last)
        if not (_run_matches(first, parts, 0) and _run_matches(last, parts, end)):
            return False
        position = len(first)
        for group in middle:
            position += 1  # the ** before this run takes at least one name
            # ...and the ** after it at least one more: the run must end before `end`
            for start in range(position, end - len(group)):
                if _run_matches(group, parts, start):
                    position = start + len(group)
                    break
            else:
                return False
        return end - position >= 1

    def __repr__(self) -> str:
        return f"PackagePattern({self.expression!r})"


def _run_matches(segments: list[str], parts: list[str], start: int) -> bool:
    """Whether ``segments`` match ``parts[start:start + len(segments)]`` name by name."""
    return all(_name_matches(segment, parts[start + i]) for i, segment in enumerate(segments))


def _name_matches(glob: str, name: str) -> bool:
    """``glob`` (``*`` any characters) against one name, in one left-to-right pass."""
    if "*" not in glob:
        return glob == name
    first, *middle, last = glob.split("*")
    if len(first) + len(last) > len(name) or not name.startswith(first):
        return False
    if not name.endswith(last):
        return False
    position, end = len(first), len(name) - len(last)
    for piece in middle:
        if piece:
            found = name.find(piece, position, end)
            if found < 0:
                return False
            position = found + len(piece)
    return True


def package_pattern(expression: str) -> PackagePattern:
    """A package expression (see :class:`PackagePattern`); ``.match(name)`` tests a name."""
    return PackagePattern(expression)


@dataclass(frozen=True, kw_only=True)
class MetricsRule(Rule):
    """Coupling and cohesion thresholds, per package and for the whole system."""

    type_name = "metrics"
    how_to_fix = (
        "Split a package or class that does too much; move code so that dependencies point "
        "to stable, abstract packages (declare an interface where the stable side needs one); "
        "or, if the number is acceptable here, relax the threshold for this package in "
        "overrides."
    )

    depth: int = option(2, doc="packages are the modules at this depth (2: shop.domain)")
    packages: tuple[str, ...] = option(
        (),
        doc="packages to judge (wildcards * and **); default: every package at depth",
        names=CheckedBy(method="package_mistakes"),
    )
    include_external: bool = option(
        False, doc="count external packages in Ca and Ce (needs include_external_packages)"
    )
    max_instability: float | None = option(None, doc="highest instability I = Ce/(Ca+Ce)")
    max_distance: float | None = option(
        None, doc="highest distance from the main sequence D = |A+I-1|"
    )
    min_relational_cohesion: float | None = option(
        None, doc="lowest relational cohesion H = (R+1)/N"
    )
    max_lcom4: int | None = option(None, doc="highest LCOM4 of any concrete class")
    max_propagation_cost: float | None = option(
        None, doc="highest propagation cost of the system (0 to 1)"
    )
    propagation_cost_counts_self: bool = option(
        False, doc="count each module as reaching itself (MacCormack et al.'s variant)"
    )
    not_implemented_is_abstract: bool = option(
        True,
        doc="a class whose public methods only raise NotImplementedError counts as abstract",
    )
    stable_dependencies: bool = option(
        False, doc="flag a package that depends on a less stable one"
    )
    stable_abstractions: bool = option(
        False, doc="flag a package that depends on a less abstract one"
    )
    overrides: Mapping[str, Mapping[str, float]] | None = option(
        None,
        doc="per package (or pattern): thresholds that replace the global ones",
        names=CheckedBy(method="override_mistakes"),
    )

    def __post_init__(self) -> None:
        if self.depth < 1:
            raise ConfigError("option 'depth' must be 1 or more", key=("depth",))
        for name in ("max_instability", "max_distance", "max_propagation_cost"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 1:
                raise ConfigError(f"option '{name}' must be between 0 and 1", key=(name,))
        for package, values in (self.overrides or {}).items():
            for key in values:
                if key not in PACKAGE_THRESHOLDS:
                    hint = did_you_mean(key, PACKAGE_THRESHOLDS)
                    raise ConfigError(
                        f"overrides.{package}: unknown threshold '{key}'{hint} "
                        f"(one of {', '.join(PACKAGE_THRESHOLDS)})",
                        key=("overrides", package, key),
                    )
        if not self._checks():
            raise ConfigError(
                "a metrics rule needs at least one threshold (max_instability, max_distance, "
                "min_relational_cohesion, max_lcom4, max_propagation_cost, "
                "stable_dependencies or stable_abstractions); it checks nothing",
                key=(),
            )

    def _checks(self) -> list[str]:
        names = [*PACKAGE_THRESHOLDS, "max_propagation_cost"]
        checks = [n for n in names if getattr(self, n) is not None]
        checks += [n for n in ("stable_dependencies", "stable_abstractions") if getattr(self, n)]
        if self.overrides and any(self.overrides.values()):
            checks.append("overrides")
        return checks

    # The sentence -------------------------------------------------------------------

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        """The modules of the packages the thresholds judge (every one by default)."""
        judged = {
            p
            for p in self._packages(graph)
            if not self.packages or any(package_pattern(e).match(p) for e in self.packages)
        }
        return {m for m in graph.internal_modules if collapse(m, self.depth) in judged}

    def describe(self) -> str:
        scope = f"Packages at depth {self.depth}"
        if self.packages:
            scope += f" matching {join_names(self.packages, 'or')}"
        clauses = []
        if self.max_instability is not None:
            clauses.append(f"instability I <= {format_value(self.max_instability)}")
        if self.max_distance is not None:
            clauses.append(
                f"distance from the main sequence D <= {format_value(self.max_distance)}"
            )
        if self.min_relational_cohesion is not None:
            clauses.append(f"relational cohesion H >= {format_value(self.min_relational_cohesion)}")
        if self.max_lcom4 is not None:
            clauses.append(f"LCOM4 <= {self.max_lcom4} for every concrete class")
        if self.stable_dependencies:
            clauses.append("dependencies only on packages at least as stable (SDP)")
        if self.stable_abstractions:
            clauses.append("dependencies only on packages at least as abstract (SAP)")
        text = f"{scope} must keep {join_names(clauses)}" if clauses else ""
        if self.overrides:
            text += f" (other limits for {join_names(sorted(self.overrides))})"
        if self.max_propagation_cost is not None:
            limit = format_value(self.max_propagation_cost)
            system = f"the propagation cost of the system must be at most {limit}"
            text = f"{text}, and {system}" if text else system[0].upper() + system[1:]
        return text

    # Checking --------------------------------------------------------------------------

    def code_detail(self) -> Detail:
        return Detail.COHESION  # the metrics read every class: abstractness, LCOM4, H

    def measure(self, graph: ProjectGraph) -> MetricsReport:
        needs_classes = (
            any(
                getattr(self, n) is not None
                for n in ("max_distance", "min_relational_cohesion", "max_lcom4")
            )
            or self.stable_abstractions
            or bool(self.overrides)
        )
        if needs_classes and not graph.has_code_model:
            raise RuleError(
                "this graph carries no code model (classes: abstractness, cohesion); build it "
                "through fitness (pytest, `fitness check`) or attach one with "
                "ProjectGraph.attach_code_model()"
            )

        return measure(
            graph,
            depth=self.depth,
            include_external=self.include_external,
            propagation_cost_counts_self=self.propagation_cost_counts_self,
            not_implemented_is_abstract=self.not_implemented_is_abstract,
        )

    def evaluate(self, graph: ProjectGraph) -> Findings:
        """The breaches; what can get worse as ``measurements`` (the baseline's ratchet), and
        the measured values in ``details`` (for the JSON report)."""
        report = self.measure(graph)
        findings, breaches, selected = self._findings(graph, report)
        packages = [dataclasses.asdict(p) for p in report.packages if p.package in selected]
        system = dataclasses.asdict(report.system)
        details: dict[str, Any] = {
            "depth": report.depth,
            "include_external": report.include_external,
            "packages": packages,
            "system": system,
            "breaches": [dataclasses.asdict(b) for b in sorted(breaches)],
        }
        measurements = Measurements.of_metrics(packages, system)
        return dataclasses.replace(findings, details=details, measurements=measurements)

    def _findings(
        self, graph: ProjectGraph, report: MetricsReport
    ) -> tuple[Findings, list[Breach], set[str]]:
        all_packages = [p.package for p in report.packages]
        selected = self._select(all_packages)
        overrides = self._resolve_overrides(all_packages)
        warnings = []
        if self.include_external and not graph.include_external_packages:
            warnings.append(
                "include_external: the graph has no external packages; set "
                "include_external_packages = true in [tool.fitness]"
            )
        violations: list[Violation] = []
        breaches: list[Breach] = []
        for row in report.packages:
            if row.package not in selected:
                continue
            limits = overrides.get(row.package, self._global_thresholds())
            for violation, breach in self._package_breaches(row, limits):
                violations.append(violation)
                breaches.append(breach)
        for cls in report.classes:
            if cls.package not in selected or cls.abstract or cls.lcom4 is None:
                continue
            limit = overrides.get(cls.package, self._global_thresholds()).max_lcom4
            if limit is not None and cls.lcom4 > limit:
                violations.append(self._lcom4_violation(graph, cls.name, cls.lcom4, limit))
                breaches.append(Breach(cls.name, "lcom4", cls.lcom4, limit))
        violations += self._principle_violations(graph, report, selected, breaches)
        cost = report.system.propagation_cost
        limit = self.max_propagation_cost
        if limit is not None and cost is not None and cost > limit:
            subject = ", ".join(graph.root_packages)
            violations.append(
                Violation(
                    importer=subject,
                    imported="propagation_cost",
                    summary=f"{subject}: propagation cost = {format_value(cost)} "
                    f"({cost:.1%} of module pairs) is above max_propagation_cost = "
                    f"{format_value(limit)}",
                )
            )
            breaches.append(Breach(subject, "propagation_cost", cost, limit))
        return Findings.of(violations, warnings), breaches, selected

    def _global_thresholds(self) -> Thresholds:
        return Thresholds(
            max_instability=self.max_instability,
            max_distance=self.max_distance,
            min_relational_cohesion=self.min_relational_cohesion,
            max_lcom4=self.max_lcom4,
        )

    def _packages(self, graph: ProjectGraph) -> list[str]:
        """The packages at the rule's depth (as :func:`measure` finds them)."""
        return sorted({collapse(m, self.depth) for m in graph.internal_modules})

    def package_mistakes(self, graph: ProjectGraph) -> list[str]:
        """Each expression of ``packages`` that matches no package at the rule's depth."""
        packages = self._packages(graph)
        return [
            f"packages: '{expression}' matches no package at depth {self.depth}"
            f"{did_you_mean(expression, packages)}"
            for expression in self.packages
            if not any(package_pattern(expression).match(p) for p in packages)
        ]

    def override_mistakes(self, graph: ProjectGraph) -> list[str]:
        """Each package (or pattern) of ``overrides`` that matches no package at the depth."""
        packages = self._packages(graph)
        return [
            f"overrides: '{expression}' matches no package at depth {self.depth}"
            f"{did_you_mean(expression, packages)}"
            for expression in sorted(self.overrides or {})
            if not any(package_pattern(expression).match(p) for p in packages)
        ]

    def _select(self, packages: list[str]) -> set[str]:
        if not self.packages:
            return set(packages)
        selected: set[str] = set()
        for expression in self.packages:
            matches = {p for p in packages if package_pattern(expression).match(p)}
            if not matches:
                raise RuleError(
                    f"packages: '{expression}' matches no package at depth {self.depth}"
                    f"{did_you_mean(expression, packages)}"
                )
            selected |= matches
        return selected

    def _resolve_overrides(self, packages: list[str]) -> dict[str, Thresholds]:
        """The thresholds of each overridden package: exact names win over patterns,
        and an override only replaces the thresholds it names."""
        resolved: dict[str, Thresholds] = {}
        items = sorted((self.overrides or {}).items(), key=lambda kv: ("*" in kv[0], kv[0]))
        for expression, values in items:
            matches = [p for p in packages if package_pattern(expression).match(p)]
            if not matches:
                raise RuleError(
                    f"overrides: '{expression}' matches no package at depth {self.depth}"
                    f"{did_you_mean(expression, packages)}"
                )
            for package in matches:
                if package not in resolved:
                    resolved[package] = dataclasses.replace(self._global_thresholds(), **values)
        return resolved

    def _package_breaches(
        self, row: PackageMetrics, limits: Thresholds
    ) -> Iterable[tuple[Violation, Breach]]:
        checks: list[tuple[str, str, float | None, float | None, bool, str]] = [
            (
                "instability",
                "instability I",
                row.instability,
                limits.max_instability,
                True,
                f"Ca = {row.afferent}, Ce = {row.efferent}",
            ),
            (
                "distance",
                "distance from the main sequence D",
                row.distance,
                limits.max_distance,
                True,
                f"A = {format_value(row.abstractness)}, I = {format_value(row.instability)}",
            ),
            (
                "relational_cohesion",
                "relational cohesion H",
                row.relational_cohesion,
                limits.min_relational_cohesion,
                False,
                f"{row.classes} classes",
            ),
        ]
        option_names = {
            "instability": "max_instability",
            "distance": "max_distance",
            "relational_cohesion": "min_relational_cohesion",
        }
        for metric, label, value, limit, is_max, context in checks:
            if value is None or limit is None:
                continue
            if (value > limit) if is_max else (value < limit):
                relation = "above" if is_max else "below"
                summary = (
                    f"{row.package}: {label} = {format_value(value)} is {relation} "
                    f"{option_names[metric]} = {format_value(limit)} ({context})"
                )
                yield (
                    Violation(importer=row.package, imported=metric, summary=summary),
                    Breach(row.package, metric, value, limit),
                )

    def _lcom4_violation(
        self, graph: ProjectGraph, name: str, value: int, limit: float
    ) -> Violation:
        module, _, class_name = name.rpartition(".")
        facts = graph.class_facts().get(module)
        groups = ""
        where = ""
        if facts is not None:
            for cls in facts.classes:
                if cls.name == class_name:
                    parts = [", ".join(g) for g in lcom4_components(cls)]
                    groups = "; unconnected methods: " + " | ".join(f"{{{p}}}" for p in parts)
                    file = graph.file_of(module)
                    where = f" ({file}:{cls.line})" if file else ""
        return Violation(
            importer=name,
            imported="lcom4",
            summary=f"{name}: LCOM4 = {value} is above max_lcom4 = {format_value(limit)}"
            f"{where}{groups}",
        )

    def _principle_violations(
        self,
        graph: ProjectGraph,
        report: MetricsReport,
        selected: set[str],
        breaches: list[Breach],
    ) -> list[Violation]:

        found: list[tuple[str, str, str, Iterable[Any]]] = []
        if self.stable_dependencies:
            instabilities = {p.package: p.instability for p in report.packages}
            found.append(
                (
                    "stable_dependencies",
                    "I",
                    "less stable",
                    stable_dependencies_breaches(
                        report.package_graph,
                        include_external=self.include_external,
                        instabilities=instabilities,
                    ),
                )
            )
        if self.stable_abstractions:
            abstractness = {p.package: p.abstractness for p in report.packages}
            found.append(
                (
                    "stable_abstractions",
                    "A",
                    "less abstract",
                    stable_abstractions_breaches(report.package_graph, abstractness),
                )
            )
        violations = []
        for principle, symbol, comparison, principle_breaches in found:
            for b in principle_breaches:
                if b.importer not in selected:
                    continue
                violations.append(
                    Violation(
                        importer=b.importer,
                        imported=b.imported,
                        summary=f"{b.importer} ({symbol} = {format_value(b.importer_value)}) "
                        f"depends on {b.imported}, which is {comparison} ({symbol} = "
                        f"{format_value(b.imported_value)})",
                        chains=self._example_chain(graph, b.importer, b.imported),
                    )
                )
                breaches.append(
                    Breach(
                        f"{b.importer} -> {b.imported}",
                        principle,
                        b.imported_value,
                        b.importer_value,
                    )
                )
        return violations

    def _example_chain(
        self, graph: ProjectGraph, importer: str, imported: str
    ) -> tuple[Chain, ...]:
        """The first direct import (by name) that makes the package dependency."""
        pairs = sorted(
            (a, b)
            for a in graph.modules
            if collapse(a, self.depth) == importer
            for b in graph.grimp.find_modules_directly_imported_by(a)
            if collapse(b, self.depth) == imported
        )
        if not pairs:
            return ()
        a, b = pairs[0]
        return (Chain((Link.of(graph, a, b),)),)
