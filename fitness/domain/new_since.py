"""A merge gate without a baseline file: only the violations a change adds fail.

``fitness check --new-since REV`` (``pytest --fitness-new-since=REV``) measures the
revision with today's configuration and rules, then treats what it found as known,
with the baseline's identity (:func:`fitness.domain.baseline.forgiven_by`): a
violation is known when each of its chains has the same rule, dependency and ends as
one at the revision, so a line shift or a rerouted chain between the same ends is
not new, and a new import between modules that had none is, even between layers
that already had violations. A baseline file still applies, first: what it forgives
is counted as the baseline's.

Pure: measuring the revision is the adapters' job (:mod:`fitness.adapters.revision`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from fitness.domain.baseline import Baseline, forgiven_by
from fitness.domain.baseline_summary import SinceSummary
from fitness.domain.violations import RuleResult


@dataclass(frozen=True)
class KnownAt:
    """The violations of ``revision`` (the commit ``commit``), measured with today's
    configuration, as baseline entries; ``problem`` says why none could be known (the
    project could not be measured there): every violation is then new. ``errors``
    names the rules that could not be checked at the revision (all of their
    violations are new)."""

    revision: str
    commit: str
    known: Baseline = field(default_factory=Baseline)
    problem: str = ""
    errors: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        return self.commit[:10]

    def summary(self, existed: int = 0, existed_chains: int = 0) -> SinceSummary:
        return SinceSummary(self.revision, self.commit, existed, existed_chains, self.problem)


def apply_known_at(result: RuleResult, known_at: KnownAt) -> RuleResult:
    """The rule's result (a baseline already applied, if any) with the violations that
    existed at the revision left out, counted in ``RuleResult.since``."""
    reported, existed, chains = forgiven_by(result, known_at.known.for_rule(result.rule_name))
    return dataclasses.replace(reported, since=known_at.summary(existed, chains))


def since_totals(results: Sequence[RuleResult]) -> tuple[SinceSummary, int]:
    """What a run says of the revision (its results must have been measured against one):
    its summary with what existed there counted over every rule, and how many
    violations are new."""
    summaries = [r.since for r in results if r.since is not None]
    first = summaries[0] if summaries else SinceSummary("")
    total = dataclasses.replace(
        first,
        existed=sum(s.existed for s in summaries),
        existed_chains=sum(s.existed_chains for s in summaries),
    )
    new = sum(len(r.violations) for r in results if r.since is not None)
    return total, new


def existed_phrase(summary: SinceSummary) -> str:
    """What existed at the revision, in a few words: ``5 existed there``, ``2 chains of
    them existed there``, ``none existed there``, ``nothing is known there``."""
    if summary.problem:
        return "nothing is known there"
    chains = summary.existed_chains
    of_new = f"{chains} chain{'s' if chains != 1 else ''} of them"
    if summary.existed and chains:
        return f"{summary.existed} existed there, and {of_new}"
    if chains:
        return f"{of_new} existed there"
    return f"{summary.existed or 'none'} existed there"


def revision_notes(known_at: KnownAt) -> list[str]:
    """What a run notes about the revision: why nothing is known there, or which rules
    could not be checked there (their violations are all new)."""
    where = f"{known_at.revision} ({known_at.short})"
    if known_at.problem:
        return [f"{where} could not be measured: {known_at.problem}; every violation is new"]
    if not known_at.errors:
        return []
    names = ", ".join(f"'{name}'" for name in known_at.errors)
    return [f"at {where} these rules could not be checked (their violations are all new): {names}"]
