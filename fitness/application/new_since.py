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
from fitness.application.ports import KnownAtCache, Revision, RevisionSource
from fitness.domain.baseline import Baseline
from fitness.domain.errors import FitnessError
from fitness.domain.history import UnreadableCommit
from fitness.domain.new_since import KnownAt
from fitness.domain.rules.base import Rule

NO_DIRECTORY = "the project's directory is not there"


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
    known, lasting = _measured(source, revision, rules)
    if cache is not None and lasting:
        cache.put(known, revision)
    return known


def _measured(
    source: RevisionSource, revision: Revision, rules: Sequence[Rule]
) -> tuple[KnownAt, bool]:
    """What the revision holds, and whether that lasts (a commit that could not be read
    may be readable later: a missing file fetched, a size limit raised)."""

    if revision.tree is None:
        return KnownAt(revision.name, revision.commit, problem=NO_DIRECTORY), True
    with source.project_at(revision) as project:
        try:
            graph = project.graph()
        except UnreadableCommit as error:
            return KnownAt(revision.name, revision.commit, problem=str(error)), False
        except FitnessError as error:
            return KnownAt(revision.name, revision.commit, problem=str(error)), True
        found = check_rules(rules, graph)
    known = Baseline.from_results(found)
    errors = tuple(r.rule_name for r in found if r.errors)
    return KnownAt(revision.name, revision.commit, known, errors=errors), True
