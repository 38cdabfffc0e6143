"""Use case: what existed at a revision (``--new-since REV``), so that only what a change
adds fails.

The revision is measured as ``fitness history`` measures a commit (read from git as
data, never executed), with today's rules: the project's files at the revision, the
configuration, rules and plugins of today. What its rules found becomes the known
violations (:class:`~fitness.domain.new_since.KnownAt`), cached by the tree the
revision holds and today's configuration, so a warm run costs a lookup.
"""

from __future__ import annotations

from collections.abc import Sequence

from fitness.application.checking import check_rules
from fitness.application.ports import KnownAtCache, RevisionSource
from fitness.domain.baseline import Baseline
from fitness.domain.errors import FitnessError
from fitness.domain.history import UnreadableCommit
from fitness.domain.new_since import KnownAt
from fitness.domain.rules.base import Rule


def known_at(
    source: RevisionSource, cache: KnownAtCache | None, name: str, rules: Sequence[Rule]
) -> KnownAt:
    """The violations of ``rules`` at the revision ``name`` (a ``FitnessError`` if there is
    no such revision). A project that cannot be measured there (no such directory, no
    root package yet, code that does not parse) has no known violation: every violation
    is new, and :attr:`KnownAt.problem` says why."""
    revision = source.resolve(name)
    if cache is not None:
        cached = cache.get(revision)
        if cached is not None:
            return cached
    if revision.tree is None:
        return KnownAt(name, revision.commit, problem="the project's directory is not there")
    with source.project_at(revision) as project:
        try:
            graph = project.graph()
        except UnreadableCommit as error:  # may be readable later: not cached
            return KnownAt(name, revision.commit, problem=str(error))
        except FitnessError as error:
            known = KnownAt(name, revision.commit, problem=str(error))
        else:
            found = check_rules(rules, graph)
            known = KnownAt(
                name,
                revision.commit,
                Baseline.from_results(found),
                errors=tuple(r.rule_name for r in found if r.errors),
            )
    if cache is not None:
        cache.put(known, revision)
    return known
