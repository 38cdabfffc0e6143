"""A baseline of known violations, so that only new ones fail.

Like ArchUnit's frozen rules: an entry is the rule's name and the dependency
the rule forbids (importer, imported), never a line number or a message, so
moving code around keeps it matched. Entries of violations that are gone are
*stale*: reported until the baseline is updated, and failures in strict mode,
so that a baseline can only shrink.

For rules that measure (``details["metrics"]``, a mapping of metric name to
value), the baseline records the values, and a value that gets worse than
recorded is a violation (a ratchet). Pure: reading and writing the file is
:mod:`fitness.adapters.baseline`'s job.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fitness.domain.errors import ConfigError
from fitness.domain.violations import RuleResult, Violation

FORMAT_VERSION = 1

#: ``RuleResult.details`` keys: the measured values (``{name: number}``) of a
#: measuring rule, and which way is better (``{name: "lower" | "higher"}``,
#: default lower).
METRICS_KEY = "metrics"
STALE_GUIDANCE = (
    "The baseline lists violations that are fixed: update it (`fitness baseline` or "
    "`pytest --fitness-update-baseline`) so that it can only shrink."
)
BETTER_KEY = "better"
#: What the ``metrics`` rule type measures that the baseline ratchets (``details``
#: of its results: ``packages`` rows and ``system``).
PACKAGE_RATCHETS = ("distance", "relational_cohesion", "max_lcom4")
SYSTEM_RATCHETS = (
    "propagation_cost",
    "normalized_cumulative_component_dependency",
    "largest_cycle_group",
    "modularity",
)
HIGHER_IS_BETTER = frozenset({"relational_cohesion", "modularity"})


@dataclass(frozen=True, order=True)
class BaselineEntry:
    """One known violation: which rule, which dependency."""

    rule: str
    importer: str
    imported: str

    def __str__(self) -> str:
        if not self.imported:
            return self.importer
        return f"{self.importer} -> {self.imported}"


@dataclass(frozen=True)
class Baseline:
    """The known violations (and recorded metric values) of a project."""

    entries: frozenset[BaselineEntry] = frozenset()
    metrics: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    @classmethod
    def from_results(cls, results: Iterable[RuleResult]) -> Baseline:
        """Every current violation (and metric value) of these results."""
        entries: set[BaselineEntry] = set()
        metrics: dict[str, dict[str, float]] = {}
        for result in results:
            entries.update(entries_of(result))
            values = metric_values(result)
            if values:
                metrics[result.rule_name] = values
        return cls(frozenset(entries), metrics)

    def for_rule(self, rule: str) -> frozenset[BaselineEntry]:
        return frozenset(e for e in self.entries if e.rule == rule)

    @property
    def rules(self) -> set[str]:
        return {e.rule for e in self.entries} | set(self.metrics)

    def updated(self, results: Iterable[RuleResult], rule_names: Iterable[str]) -> Baseline:
        """This baseline with the rules just checked replaced by what they found now.

        Rules that were not checked this time keep their entries (a run that
        selected a few rules must not forget the others); rules that no longer
        exist (not in ``rule_names``) are dropped.
        """
        fresh = Baseline.from_results(results := list(results))
        checked = {r.rule_name for r in results}
        existing = set(rule_names) | checked
        keep = {e for e in self.entries if e.rule not in checked and e.rule in existing}
        metrics = {
            rule: dict(values)
            for rule, values in self.metrics.items()
            if rule not in checked and rule in existing
        }
        metrics.update({k: dict(v) for k, v in fresh.metrics.items()})
        return Baseline(frozenset(keep | fresh.entries), metrics)

    def merged(self, other: Baseline) -> Baseline:
        """The union of two baselines (the other's metric values win)."""
        metrics = {k: dict(v) for k, v in self.metrics.items()}
        for rule, values in other.metrics.items():
            metrics.setdefault(rule, {}).update(values)
        return Baseline(self.entries | other.entries, metrics)

    # The file's content ------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON, sorted so that the file is stable and diff-friendly."""
        rules: dict[str, dict[str, Any]] = {}
        for entry in sorted(self.entries):
            rule = rules.setdefault(entry.rule, {})
            rule.setdefault("violations", []).append(
                {"importer": entry.importer, "imported": entry.imported}
            )
        for rule_name, values in self.metrics.items():
            rules.setdefault(rule_name, {})["metrics"] = {k: values[k] for k in sorted(values)}
        return {
            "version": FORMAT_VERSION,
            "tool": "pytest-fitness",
            "rules": {name: rules[name] for name in sorted(rules)},
        }

    @classmethod
    def from_data(cls, data: Any) -> Baseline:
        """Validate what the file holds; :class:`ConfigError` says what is wrong."""
        if not isinstance(data, dict):
            raise ConfigError("a baseline must be a JSON object")
        version = data.get("version")
        if version != FORMAT_VERSION:
            raise ConfigError(
                f"unsupported baseline version {version!r} (expected {FORMAT_VERSION}); "
                "regenerate it with `fitness baseline`"
            )
        rules = data.get("rules")
        if not isinstance(rules, dict):
            raise ConfigError("'rules' must be an object mapping rule names to their entries")
        entries: set[BaselineEntry] = set()
        metrics: dict[str, dict[str, float]] = {}
        for name, body in rules.items():
            if not isinstance(body, dict):
                raise ConfigError(f"rules.{name}: must be an object")
            for i, item in enumerate(body.get("violations", [])):
                if not (
                    isinstance(item, dict)
                    and isinstance(item.get("importer"), str)
                    and isinstance(item.get("imported", ""), str)
                ):
                    raise ConfigError(
                        f"rules.{name}.violations[{i}]: must be an object with string "
                        "'importer' and 'imported'"
                    )
                entries.add(BaselineEntry(name, item["importer"], item.get("imported", "")))
            values = body.get("metrics", {})
            if not isinstance(values, dict) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in values.values()
            ):
                raise ConfigError(f"rules.{name}.metrics: must map metric names to numbers")
            if values:
                metrics[name] = {k: float(v) for k, v in values.items()}
        return cls(frozenset(entries), metrics)


def entry_of(rule: str, violation: Violation) -> BaselineEntry:
    return BaselineEntry(rule, violation.importer, violation.imported)


def entries_of(result: RuleResult) -> set[BaselineEntry]:
    return {entry_of(result.rule_name, v) for v in result.violations}


def metric_values(result: RuleResult) -> dict[str, float]:
    """The measured values of a rule: ``details["metrics"]`` (``{name: number}``), or,
    for the ``metrics`` rule type, the figures that can get worse (per package: distance
    from the main sequence, relational cohesion, worst LCOM4; for the system: propagation
    cost, NCCD, largest cycle group, modularity). Numbers only."""
    raw = result.details.get(METRICS_KEY)
    values: dict[str, Any] = dict(raw) if isinstance(raw, Mapping) else {}
    packages = result.details.get("packages")
    if isinstance(packages, list):
        for row in packages:
            if isinstance(row, Mapping) and isinstance(row.get("package"), str):
                for metric in PACKAGE_RATCHETS:
                    values[f"{row['package']}: {metric}"] = row.get(metric)
    system = result.details.get("system")
    if isinstance(system, Mapping):
        for metric in SYSTEM_RATCHETS:
            values[f"system: {metric}"] = system.get(metric)
    return {
        str(k): float(v)
        for k, v in values.items()
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    }


def higher_is_better(result: RuleResult, name: str) -> bool:
    better = result.details.get(BETTER_KEY, {})
    if isinstance(better, Mapping) and name in better:
        return bool(better[name] == "higher")
    return name.rpartition(": ")[2] in HIGHER_IS_BETTER


@dataclass(frozen=True)
class BaselineOutcome:
    """How a baseline changed one rule's verdict."""

    result: RuleResult
    known: tuple[Violation, ...] = ()
    stale: tuple[BaselineEntry, ...] = ()
    regressions: tuple[str, ...] = ()


def apply_baseline(
    result: RuleResult, baseline: Baseline, *, strict: bool = False
) -> BaselineOutcome:
    """The rule's result with its known violations forgiven.

    Known violations are left out of ``violations`` (counted in
    ``details["baseline"]``); stale entries are warnings, or violations when
    ``strict``; a metric worse than recorded is a violation.
    """
    known_entries = baseline.for_rule(result.rule_name)
    new: list[Violation] = []
    known: list[Violation] = []
    for violation in result.violations:
        (known if entry_of(result.rule_name, violation) in known_entries else new).append(violation)
    current = entries_of(result)
    stale = tuple(sorted(known_entries - current)) if not result.errors else ()
    regressions = _regressions(result, baseline.metrics.get(result.rule_name, {}))
    warnings = list(result.warnings)
    for entry in stale:
        message = (
            f"{entry} is no longer a violation but is still in the baseline; "
            "update the baseline to drop it"
        )
        if strict:
            new.append(
                Violation(
                    importer=entry.importer, imported=entry.imported, summary=f"stale: {message}"
                )
            )
        else:
            warnings.append(f"stale baseline entry: {message}")
    for text in regressions:
        new.append(Violation(importer=result.rule_name, imported="", summary=text))
    details = dict(result.details)
    details["baseline"] = {
        "known": len(known),
        "stale": [dataclasses.asdict(e) for e in stale],
        "strict": strict,
    }
    guidance = result.guidance
    if strict and stale and len(new) == len(stale):
        guidance = STALE_GUIDANCE
    filtered = dataclasses.replace(
        result, violations=tuple(new), warnings=tuple(warnings), details=details, guidance=guidance
    )
    return BaselineOutcome(filtered, tuple(known), stale, tuple(regressions))


def _regressions(result: RuleResult, recorded: Mapping[str, float]) -> list[str]:
    if not recorded:
        return []
    current = metric_values(result)
    messages = []
    for name in sorted(set(recorded) & set(current)):
        was, now = recorded[name], current[name]
        worse = now < was if higher_is_better(result, name) else now > was
        if worse and not math.isclose(now, was, rel_tol=1e-9, abs_tol=1e-9):
            messages.append(
                f"{name} got worse than the baseline: {_number(now)} (recorded {_number(was)})"
            )
    return messages


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def stale_rules(baseline: Baseline, rule_names: Iterable[str]) -> list[str]:
    """Rules the baseline has entries for that the configuration no longer declares."""
    return sorted(baseline.rules - set(rule_names))
