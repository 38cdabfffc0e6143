"""Use case: update the baseline, from a full run (``fitness baseline``) or from the
rules a pytest session checked (``pytest --fitness-update-baseline``).

Rules checked in test code (the fluent API) are pytest's to record: a full run keeps
their entries. The store refuses to replace the configuration, or a file that is
not a baseline unless forced (:meth:`BaselineStore.check_may_replace`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fitness.application.checking import check_rules
from fitness.application.ports import BaselineStore, Project
from fitness.domain.baseline import Baseline
from fitness.domain.errors import ConfigError
from fitness.domain.violations import RuleResult


@dataclass(frozen=True)
class BaselineUpdate:
    """What a full run found, and the baseline written (none when a rule could not be
    checked: nothing is written then)."""

    results: list[RuleResult]
    written: Baseline | None

    @property
    def errors(self) -> list[RuleResult]:
        return [r for r in self.results if r.errors]


def record_all(project: Project, store: BaselineStore) -> BaselineUpdate:
    """Check every rule and replace the baseline with what they found (the entries of
    rules checked in test code kept). Nothing is written if a rule has errors."""
    config = project.config()
    store.check_may_replace()  # before the long part
    results = check_rules(config.rules, project.graph())
    if any(r.errors for r in results):
        return BaselineUpdate(results, None)
    try:
        kept = store.read().fluent_only()
    except ConfigError:  # unreadable: it is replaced whole
        kept = Baseline()
    fresh = Baseline.from_results(results).merged(kept)
    return BaselineUpdate(results, store.write(lambda _old: fresh, merge=False))


def record_checked(
    store: BaselineStore,
    found: Iterable[RuleResult],
    rule_names: Iterable[str],
    fluent: Iterable[RuleResult] = (),
) -> tuple[Baseline, int]:
    """Merge what the rules checked in a session found (``found`` from the configuration,
    ``fluent`` from test code) into the baseline: the rules not checked keep their
    entries, rules that no longer exist lose theirs. Results with errors are left out.
    Returns the baseline written and how many rules it took from this session."""
    checked = [r for r in found if not r.errors]
    in_code = [r for r in fluent if not r.errors]
    names = list(rule_names)
    fluent_names = [r.rule_name for r in in_code]
    new = store.write(lambda old: old.updated(checked + in_code, names, fluent_names), merge=True)
    return new, len(checked) + len(in_code)
