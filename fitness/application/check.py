"""Use case: check a project. Select the rules, check them against the graph, apply
the baseline; what the run should also say (warnings, notes) comes with the verdicts.

``fitness check`` and the pytest plugin (each rule an item, each rule checked in
test code) give the same verdict for the same rule: :func:`verdict`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from fitness._lazy import LazyModule
from fitness.application.checking import check_rules, unknown_suppressions
from fitness.application.ports import Project
from fitness.domain.errors import ConfigError, FitnessError, did_you_mean
from fitness.domain.graph import ProjectGraph
from fitness.domain.rules.base import Rule
from fitness.domain.source_facts import DynamicImport
from fitness.domain.violations import RuleResult

# The baseline's model and what a revision held (~8 ms) are imported when a run has a
# baseline or --new-since, difflib (~3 ms) when a --rule pattern matches no rule: most
# `fitness check` runs need none of them.
if TYPE_CHECKING:
    import difflib

    from fitness.domain import baseline as _baseline
    from fitness.domain import new_since as _new_since
    from fitness.domain.baseline import Baseline
    from fitness.domain.new_since import KnownAt
else:
    _baseline = LazyModule("fitness.domain.baseline")
    _new_since = LazyModule("fitness.domain.new_since")
    difflib = LazyModule("difflib")


@dataclass(frozen=True)
class CheckOutcome:
    """What a check found (``found``), what it reports once the baseline is applied
    (``results``), and what else the run should say."""

    found: list[RuleResult]
    results: list[RuleResult]
    graph: ProjectGraph
    #: Problems that fail nothing (a baseline naming rules that no longer exist).
    warnings: list[str]
    #: What the rules could not see or use (unknown suppressions, main-block imports).
    notes: list[str]
    #: Each module name the checked rules misspell, keyed on its option in the
    #: configuration (the rules say so too, as errors): one line each, located.
    mistakes: list[ConfigError] = dataclasses.field(default_factory=list)

    @property
    def broken(self) -> bool:
        """A rule of severity error is broken (a broken warning rule fails nothing)."""
        return any(r.violations and not r.warned for r in self.results)

    @property
    def failed(self) -> bool:
        """A rule could not be checked (bad input)."""
        return any(r.errors for r in self.results)


def verdict(
    found: RuleResult,
    baseline: Baseline | None,
    *,
    strict: bool = False,
    updating: bool = False,
    warnings_fail: bool = False,
    known_at: KnownAt | None = None,
) -> RuleResult:
    """What is reported of what a rule found: nothing fails while the baseline is being
    updated; otherwise the violations the baseline knows are forgiven (with ``strict``,
    its entries that match nothing any more fail the rule), then those that existed at
    the revision ``known_at`` measured (``--new-since REV``). With ``warnings_fail``
    (``--strict``) a rule of severity warning is reported as one of severity error."""
    if warnings_fail and found.severity == "warning":
        found = dataclasses.replace(found, severity="error")
    if updating:
        return dataclasses.replace(found, violations=())
    result = found
    if baseline is not None:
        result = _baseline.apply_baseline(found, baseline, strict=strict).result
    if known_at is not None:
        result = _new_since.apply_known_at(result, known_at)
    return result


def check_project(
    project: Project,
    *,
    patterns: Sequence[str] = (),
    use_baseline: bool = True,
    strict: bool = False,
    warnings_fail: bool = False,
    known_at: KnownAt | None = None,
) -> CheckOutcome:
    """Check the rules ``patterns`` select (all without any) against the project's graph
    (``strict``: stale baseline entries fail; ``warnings_fail``: so do warning rules);
    with ``known_at`` (what a revision held), only what is new since then fails."""
    config = project.config()
    if not config.rules:
        raise FitnessError(
            f"{project.where}: no rules to check: declare [[tool.fitness.rules]] (the metrics, "
            "graph and report commands and the fitness_graph fixture work without them)"
        )
    rules = select_rules(config.rules, patterns)
    baseline = project.baseline() if use_baseline else None
    graph = project.graph()
    found = check_rules(rules, graph)
    results = [
        verdict(r, baseline, strict=strict, warnings_fail=warnings_fail, known_at=known_at)
        for r in found
    ]
    warnings = []
    if baseline is not None:
        warnings = [
            f"the baseline has entries for '{rule}', which is not a rule any more; update "
            "the baseline to drop them"
            for rule in _baseline.stale_rules(baseline, (r.name for r in config.rules))
        ]
    notes = project_notes(config.rules, graph)
    if known_at is not None:
        notes += _new_since.revision_notes(known_at)
    return CheckOutcome(
        found,
        results,
        graph,
        warnings,
        notes,
        name_mistakes(rules, config.rules, graph),
    )


def name_mistakes(
    rules: Iterable[Rule], configured: Sequence[Rule], graph: ProjectGraph
) -> list[ConfigError]:
    """Each module name of ``rules`` that the graph does not have (options declared with
    ``option(names=...)``), keyed on the option of its rule in the configuration
    (``("rules", index, option)``: the adapter that read the file locates it)."""
    index = {rule.name: i for i, rule in enumerate(configured)}
    return [
        ConfigError(
            f"rule '{rule.name}': {mistake.message}", key=("rules", index[rule.name], *mistake.key)
        )
        for rule in rules
        for mistake in rule.name_mistakes(graph)
    ]


def project_notes(rules: Iterable[Rule], graph: ProjectGraph) -> list[str]:
    """What a run notes besides the verdicts: suppressions naming no rule of the
    configuration, imports left out with ``exclude_main_block_imports`` or
    ``exclude_function_level_imports``."""
    return (
        unknown_suppressions(rules, graph)
        + main_block_notes(graph.main_block_imports)
        + left_out_notes(
            graph.function_level_imports,
            "inside functions",
            "exclude_function_level_imports",
        )
    )


def main_block_notes(left_out: tuple[DynamicImport, ...]) -> list[str]:
    """One line saying what ``exclude_main_block_imports`` left out (a blind spot), or none."""
    return left_out_notes(left_out, 'under if __name__ == "__main__"', "exclude_main_block_imports")


def left_out_notes(left_out: tuple[DynamicImport, ...], where: str, setting: str) -> list[str]:
    """One line saying which imports a setting left out of the graph, or none."""
    if not left_out:
        return []
    count = len(left_out)
    shown = ", ".join(spot.location for spot in left_out[:3])
    more = f" and {count - 3} more" if count > 3 else ""
    return [
        f"{count} import{'s' if count != 1 else ''} {where} left out of the graph "
        f"({setting}): {shown}{more}"
    ]


def select_rules(rules: tuple[Rule, ...], patterns: Sequence[str]) -> tuple[Rule, ...]:
    """The rules ``--rule`` names, in configuration order (all of them without ``--rule``).

    A pattern is a rule's name (that rule alone), or a :mod:`fnmatch` pattern
    matched against each name (case matters); one that matches no rule is an
    error, with the closest name as a suggestion."""
    if not patterns:
        return rules

    names = [rule.name for rule in rules]
    chosen: set[str] = set()
    for pattern in patterns:
        # A rule's own name selects that rule alone ("Layers [strict]" as written).
        found = [pattern] if pattern in names else [n for n in names if fnmatchcase(n, pattern)]
        if not found:
            shown = ", ".join(f"'{n}'" for n in names[:10])
            more = f" and {len(names) - 10} more" if len(names) > 10 else ""
            raise FitnessError(
                f"--rule '{pattern}' matches no rule{_closest_rule(pattern, names)} "
                f"(the rules: {shown}{more})"
            )
        chosen.update(found)
    return tuple(r for r in rules if r.name in chosen)


def _closest_rule(pattern: str, names: Sequence[str]) -> str:
    """The "did you mean" of ``--rule``: the closest whole name, else the name whose
    beginning is closest to the pattern, case aside (``Layerd`` -> ``Layers of the
    shop``: a user types the start of a long name)."""
    whole = did_you_mean(pattern, names)
    if whole or not pattern:
        return whole

    def closeness(name: str) -> float:
        start = name[: len(pattern)].lower()
        return difflib.SequenceMatcher(None, pattern.lower(), start).ratio()

    best = max(sorted(names), key=closeness, default=None)
    return f"; did you mean '{best}'?" if best is not None and closeness(best) >= 0.75 else ""
