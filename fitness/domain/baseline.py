"""A baseline of known violations, so that only new ones fail.

Like ArchUnit's frozen rules, the baseline holds each known violation import by
import and never by line number: for every chain that makes a violation, its
first and last module and whether it is a direct import. A new import that
creates a chain between two modules that had none fails, even between layers
or packages that already have known violations; moving code (line shifts) or a
known chain that reroutes through other modules while its ends stay the same
still matches, and so does a direct import that becomes indirect (the reverse,
a new direct import where only an indirect chain was known, is new). Entries
of violations that are gone are *fixed*: reported until the baseline is
updated, and failures in strict mode, so that a baseline can only shrink.

A rule may name violations no baseline records or forgives (``RuleResult.not_baselined``:
the ``strangler_fig`` replacement importing the legacy code), and a rule that reports a
migration's progress (``RuleResult.progress``) gets the baseline's figures added to it:
recorded, fixed since, new.

For rules that measure (``RuleResult.measurements``), the baseline records the values,
and a value that gets worse than recorded is a violation (a ratchet,
:class:`~fitness.domain.violations.MetricRegression`). Pure: reading and writing the
file is :mod:`fitness.adapters.baseline`'s job.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fitness.domain.baseline_summary import BaselineEntry, BaselineSummary
from fitness.domain.errors import ConfigError
from fitness.domain.progress import against_baseline
from fitness.domain.violations import Chain, MetricRegression, Pair, RuleResult, Violation

FORMAT_VERSION = 2
#: Format 1 keyed an entry on the rule and the pair of layers or packages only, so one
#: known import between two layers let every new one through.
LEGACY_VERSIONS = (1,)

STALE_GUIDANCE = (
    "The baseline lists violations that are fixed: update it (`fitness baseline` or "
    "`pytest --fitness-update-baseline`) so that it can only shrink."
)
LEGACY_MESSAGE = (
    "this baseline was written by an earlier version of pytest-fitness (format {version}), "
    "which recorded violations only by their pair of layers or packages and so let new "
    "imports between them pass; regenerate it with `fitness baseline` (or `pytest "
    "--fitness-update-baseline`) and review the diff"
)


def chain_ends(chain: Chain) -> list[tuple[str, str, bool]]:
    """``(first, last, direct)`` of every chain one :class:`Chain` stands for (its main
    route and the extra heads and tails that make the same route)."""
    if not chain.links:
        return []
    firsts = [chain.links[0].importer, *(link.importer for link in chain.extra_firsts)]
    lasts = [chain.links[-1].imported, *(link.imported for link in chain.extra_lasts)]
    direct = len(chain.links) == 1
    return [(first, last, direct) for first in firsts for last in lasts]


def entries_of_violation(rule: str, violation: Violation) -> list[BaselineEntry]:
    """The entries that record one violation: one per chain end pair, or one for the
    dependency itself when the violation has no chain."""
    ends = [end for chain in violation.chains for end in chain_ends(chain)]
    if not ends:
        return [BaselineEntry(rule, violation.importer, violation.imported)]
    return [
        BaselineEntry(rule, violation.importer, violation.imported, first, last, direct)
        for first, last, direct in ends
    ]


def not_baselined(result: RuleResult) -> frozenset[Pair]:
    """The (importer, imported) dependencies of a result that no baseline may forgive."""
    return result.not_baselined or frozenset()


def entries_of(result: RuleResult) -> set[BaselineEntry]:
    """The entries that record a result's violations (none for those no baseline forgives)."""
    never = not_baselined(result)
    return {
        e
        for v in result.violations
        if (v.importer, v.imported) not in never
        for e in entries_of_violation(result.rule_name, v)
    }


def metric_values(result: RuleResult) -> dict[str, float]:
    """What a result measured that a baseline records: ``{name: value}``."""
    if result.measurements is None:
        return {}
    return {name: m.value for name, m in result.measurements.by_name().items()}


@dataclass(frozen=True)
class Baseline:
    """The known violations (and recorded metric values) of a project."""

    entries: frozenset[BaselineEntry] = frozenset()
    metrics: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: Rules checked in test code (the fluent API under pytest), not declared in the
    #: configuration: only a pytest run that checks them updates their entries.
    fluent: frozenset[str] = frozenset()

    @classmethod
    def from_results(cls, results: Iterable[RuleResult], fluent: Iterable[str] = ()) -> Baseline:
        """Every current violation (and metric value) of these results; ``fluent`` names
        the results that come from rules checked in test code."""
        entries: set[BaselineEntry] = set()
        metrics: dict[str, dict[str, float]] = {}
        names = set()
        for result in results:
            names.add(result.rule_name)
            entries.update(entries_of(result))
            values = metric_values(result)
            if values:
                metrics[result.rule_name] = values
        return cls(frozenset(entries), metrics, frozenset(fluent) & names)

    def fluent_only(self) -> Baseline:
        """The entries of the rules checked in test code (which `fitness baseline`, running
        the configuration's rules only, must keep)."""
        return Baseline(
            frozenset(e for e in self.entries if e.rule in self.fluent),
            {k: v for k, v in self.metrics.items() if k in self.fluent},
            self.fluent,
        )

    def for_rule(self, rule: str) -> frozenset[BaselineEntry]:
        return frozenset(e for e in self.entries if e.rule == rule)

    @property
    def rules(self) -> set[str]:
        return {e.rule for e in self.entries} | set(self.metrics)

    @property
    def violation_count(self) -> int:
        """How many violations (dependencies of a rule) the entries record."""
        return len({(e.rule, e.importer, e.imported) for e in self.entries})

    def updated(
        self, results: Iterable[RuleResult], rule_names: Iterable[str], fluent: Iterable[str] = ()
    ) -> Baseline:
        """This baseline with the rules just checked replaced by what they found now.

        Rules that were not checked this time keep their entries (a run that
        selected a few rules must not forget the others); rules that no longer
        exist (not in ``rule_names``, and not checked in test code) are dropped.
        """
        fresh = Baseline.from_results(results := list(results), fluent)
        checked = {r.rule_name for r in results}
        existing = set(rule_names) | checked | self.fluent
        keep = {e for e in self.entries if e.rule not in checked and e.rule in existing}
        metrics = {
            rule: dict(values)
            for rule, values in self.metrics.items()
            if rule not in checked and rule in existing
        }
        metrics.update({k: dict(v) for k, v in fresh.metrics.items()})
        fluent = (self.fluent - checked) | fresh.fluent
        return Baseline(frozenset(keep | fresh.entries), metrics, fluent)

    def merged(self, other: Baseline) -> Baseline:
        """The union of two baselines (the other's metric values win)."""
        metrics = {k: dict(v) for k, v in self.metrics.items()}
        for rule, values in other.metrics.items():
            metrics.setdefault(rule, {}).update(values)
        return Baseline(self.entries | other.entries, metrics, self.fluent | other.fluent)

    # The file's content ------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON, sorted so that the file is stable and diff-friendly: per
        rule, per violation (importer, imported), its chains (first, last, direct)."""
        rules: dict[str, dict[str, Any]] = {}
        violations: dict[tuple[str, str, str], dict[str, Any]] = {}
        for entry in sorted(self.entries):
            key = (entry.rule, entry.importer, entry.imported)
            item = violations.get(key)
            if item is None:
                item = violations[key] = {"importer": entry.importer, "imported": entry.imported}
                rules.setdefault(entry.rule, {}).setdefault("violations", []).append(item)
            if entry.first:
                item.setdefault("chains", []).append(
                    {"first": entry.first, "last": entry.last, "direct": entry.direct}
                )
        for rule_name, values in self.metrics.items():
            rules.setdefault(rule_name, {})["metrics"] = {k: values[k] for k in sorted(values)}
        for rule_name in self.fluent & set(rules):
            rules[rule_name]["fluent"] = True
        return {
            "version": FORMAT_VERSION,
            "tool": "pytest-fitness",
            "rules": {name: rules[name] for name in sorted(rules)},
        }

    @classmethod
    def from_data(cls, data: Any, *, legacy_ok: bool = False) -> Baseline:
        """Validate what the file holds; :class:`ConfigError` says what is wrong.

        A file of an earlier format is an error (it would forgive too much), unless
        ``legacy_ok``: its metric values are then kept and its entries dropped, for a
        run that is about to write the baseline anew.
        """
        if not isinstance(data, dict):
            raise ConfigError("a baseline must be a JSON object")
        version = data.get("version")
        legacy = version in LEGACY_VERSIONS and not isinstance(version, bool)
        if legacy and not legacy_ok:
            raise ConfigError(LEGACY_MESSAGE.format(version=version))
        if version != FORMAT_VERSION and not legacy:
            raise ConfigError(
                f"unsupported baseline version {version!r} (expected {FORMAT_VERSION}); "
                "regenerate it with `fitness baseline`"
            )
        rules = data.get("rules")
        if not isinstance(rules, dict):
            raise ConfigError("'rules' must be an object mapping rule names to their entries")
        entries: set[BaselineEntry] = set()
        metrics: dict[str, dict[str, float]] = {}
        fluent: set[str] = set()
        for name, body in rules.items():
            if not isinstance(body, dict):
                raise ConfigError(f"rules.{name}: must be an object")
            if not isinstance(body.get("fluent", False), bool):
                raise ConfigError(f"rules.{name}.fluent: must be true or false")
            if body.get("fluent"):
                fluent.add(name)
            if not legacy:
                entries.update(_entries_from_data(name, body.get("violations", [])))
            values = body.get("metrics", {})
            if not isinstance(values, dict) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in values.values()
            ):
                raise ConfigError(f"rules.{name}.metrics: must map metric names to numbers")
            if values:
                metrics[name] = {k: float(v) for k, v in values.items()}
        return cls(frozenset(entries), metrics, frozenset(fluent))


def _entries_from_data(rule: str, items: Any) -> list[BaselineEntry]:
    where = f"rules.{rule}.violations"
    if not isinstance(items, list):
        raise ConfigError(f"{where}: must be a list")
    entries = []
    for i, item in enumerate(items):
        if not (
            isinstance(item, dict)
            and isinstance(item.get("importer"), str)
            and isinstance(item.get("imported", ""), str)
        ):
            raise ConfigError(
                f"{where}[{i}]: must be an object with string 'importer' and 'imported'"
            )
        importer, imported = item["importer"], item.get("imported", "")
        chains = item.get("chains", [])
        if not isinstance(chains, list):
            raise ConfigError(f"{where}[{i}].chains: must be a list")
        if not chains:
            entries.append(BaselineEntry(rule, importer, imported))
        for j, chain in enumerate(chains):
            if not (
                isinstance(chain, dict)
                and isinstance(chain.get("first"), str)
                and isinstance(chain.get("last"), str)
                and chain["first"]
                and chain["last"]
                and isinstance(chain.get("direct", False), bool)
            ):
                raise ConfigError(
                    f"{where}[{i}].chains[{j}]: must be an object with non-empty string "
                    "'first' and 'last' (and a boolean 'direct')"
                )
            entries.append(
                BaselineEntry(
                    rule,
                    importer,
                    imported,
                    chain["first"],
                    chain["last"],
                    chain.get("direct", False),
                )
            )
    return entries


@dataclass(frozen=True)
class BaselineOutcome:
    """How a baseline changed one rule's verdict.

    ``known`` are the violations the baseline forgave whole; a violation with both
    known and new chains stays in the result with its new chains only, and its known
    chains are counted in ``known_chains``. ``stale`` are the entries that matched
    nothing: fixed violations.
    """

    result: RuleResult
    known: tuple[Violation, ...] = ()
    stale: tuple[BaselineEntry, ...] = ()
    regressions: tuple[MetricRegression, ...] = ()
    known_chains: int = 0


class _KnownChains:
    """The entries of one rule, looked up by what a current chain must match."""

    def __init__(self, entries: Iterable[BaselineEntry]) -> None:
        self.direct: dict[tuple[str, str, str, str], bool] = {}
        for entry in entries:
            self.direct[entry.key] = self.direct.get(entry.key, False) or entry.direct

    def knows(self, entry: BaselineEntry) -> bool:
        """Whether a current chain is known: same rule, dependency and ends; a direct
        import is known only if a direct import was recorded (a new shortcut is a new
        import), an indirect chain also if the route changed."""
        recorded = self.direct.get(entry.key)
        if recorded is None:
            return False
        return recorded or not entry.direct


def apply_baseline(
    result: RuleResult, baseline: Baseline, *, strict: bool = False
) -> BaselineOutcome:
    """The rule's result with its known violations forgiven.

    A violation is known when each of its chains is (see :class:`_KnownChains`);
    a violation with new chains fails with those chains only. Known violations are
    left out of ``violations`` (counted in ``RuleResult.baseline``); fixed entries are
    warnings, or violations when ``strict``; a measurement worse than recorded is a
    :class:`~fitness.domain.violations.MetricRegression`.
    """
    never = not_baselined(result)
    recorded = frozenset(
        e for e in baseline.for_rule(result.rule_name) if (e.importer, e.imported) not in never
    )
    split = _split(result, _KnownChains(recorded), never)
    fixed = _fixed(recorded, split.current) if not result.errors else ()
    regressions = _regressions(result, baseline.metrics.get(result.rule_name, {}))
    fixed_violations, fixed_warnings = _reported_fixed(fixed, strict)
    new = (*split.new, *fixed_violations, *regressions)
    guidance = STALE_GUIDANCE if fixed_violations and len(new) == len(fixed) else result.guidance
    progress = result.progress
    if progress is not None:
        progress = against_baseline(progress, split.current, recorded)
    reported = dataclasses.replace(
        result,
        violations=new,
        warnings=(*result.warnings, *fixed_warnings),
        baseline=BaselineSummary(len(split.known), split.known_chains, fixed, strict),
        guidance=guidance,
        progress=progress,
    )
    return BaselineOutcome(reported, split.known, fixed, regressions, split.known_chains)


def forgiven_by(
    result: RuleResult, entries: Iterable[BaselineEntry]
) -> tuple[RuleResult, int, int]:
    """``result`` with the violations ``entries`` know left out, matched as a baseline
    matches them (:class:`_KnownChains`: same rule, dependency and chain ends; a new direct
    import is new); how many violations were known whole, and how many chains of
    violations that have new ones. Nothing else changes: no fixed entries, no ratchet
    (``--new-since REV`` forgives what existed at the revision this way)."""
    never = not_baselined(result)
    recorded = [
        e for e in entries if e.rule == result.rule_name and (e.importer, e.imported) not in never
    ]
    split = _split(result, _KnownChains(recorded), never)
    return dataclasses.replace(result, violations=split.new), len(split.known), split.known_chains


@dataclass(frozen=True)
class _Split:
    """A result's violations sorted by the baseline: ``new`` (violations, or their new
    chains), ``known`` (forgiven whole), how many chains of new violations are known, and
    the entries of what was found (``current``)."""

    new: tuple[Violation, ...]
    known: tuple[Violation, ...]
    known_chains: int
    current: tuple[BaselineEntry, ...]


def _split(result: RuleResult, index: _KnownChains, never: frozenset[Pair]) -> _Split:
    new: list[Violation] = []
    known: list[Violation] = []
    known_chains = 0
    current: list[BaselineEntry] = []
    for violation in result.violations:
        if (violation.importer, violation.imported) in never:
            new.append(violation)
            continue
        entries = entries_of_violation(result.rule_name, violation)
        current += entries
        if not violation.chains:
            (known if index.knows(entries[0]) else new).append(violation)
            continue
        fresh = _new_chains(result.rule_name, violation, index)
        if not fresh:
            known.append(violation)
        elif len(fresh) == len(violation.chains):
            new.append(violation)
        else:
            new.append(dataclasses.replace(violation, chains=fresh))
            known_chains += len(violation.chains) - len(fresh)
    return _Split(tuple(new), tuple(known), known_chains, tuple(current))


def _new_chains(rule: str, violation: Violation, index: _KnownChains) -> tuple[Chain, ...]:
    """The chains of a violation that the baseline does not know."""
    return tuple(
        chain
        for chain in violation.chains
        if not all(
            index.knows(BaselineEntry(rule, violation.importer, violation.imported, *end))
            for end in chain_ends(chain)
        )
    )


def _fixed(
    recorded: Iterable[BaselineEntry], current: Iterable[BaselineEntry]
) -> tuple[BaselineEntry, ...]:
    """The recorded entries that match nothing found now."""
    seen = {e.key for e in current}
    return tuple(sorted(e for e in recorded if e.key not in seen))


def _reported_fixed(
    fixed: tuple[BaselineEntry, ...], strict: bool
) -> tuple[tuple[Violation, ...], tuple[str, ...]]:
    """Fixed entries as warnings, or as violations when ``strict`` (the baseline must be
    updated)."""
    messages = tuple(
        f"fixed: {entry} is no longer a violation but is still in the baseline; "
        "update the baseline to drop it"
        for entry in fixed
    )
    if not strict:
        return (), messages
    violations = zip(fixed, messages, strict=True)
    return tuple(Violation(e.importer, e.imported, m) for e, m in violations), ()


def _regressions(result: RuleResult, recorded: Mapping[str, float]) -> tuple[MetricRegression, ...]:
    """The measurements worse than the baseline recorded, by name."""
    if not recorded or result.measurements is None:
        return ()
    measured = result.measurements.by_name()
    return tuple(
        MetricRegression.of(result.rule_name, measured[name], recorded[name])
        for name in sorted(set(recorded) & set(measured))
        if measured[name].is_worse_than(recorded[name])
    )


def stale_rules(baseline: Baseline, rule_names: Iterable[str]) -> list[str]:
    """Rules the baseline has entries for that the configuration no longer declares (rules
    checked in test code are not the configuration's to judge)."""
    return sorted(baseline.rules - set(rule_names) - baseline.fluent)
