"""Use case: the architecture over time (``fitness history``, the report's Trend).

Each selected commit is measured as ``fitness check`` and ``fitness metrics`` would
measure it (every rule's violations, the baseline not applied: a baseline hides
what is known, history shows it; the system metrics; each package's instability
and distance), unless the cache has it already. A commit that cannot be measured
(no or an invalid configuration, code that cannot be parsed, files that cannot be
read safely) is a row saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fitness.application.checking import check_rules
from fitness.application.ports import HistoryCache, Project, Repository
from fitness.domain.coverage import measure_coverage
from fitness.domain.errors import FitnessError
from fitness.domain.history import (
    GRAPH_ERROR,
    INVALID_CONFIGURATION,
    NO_CONFIGURATION,
    UNREADABLE_COMMIT,
    Commit,
    CoveragePoint,
    HistoryRow,
    UnreadableCommit,
    measured_row,
    thinned,
)
from fitness.domain.metrics.report import DEFAULT_DEPTH, measure

#: How many commits a run looks at when neither ``since`` nor ``last`` says.
DEFAULT_LAST = 20


@dataclass(frozen=True)
class Selection:
    """Which commits: the first-parent line ending at ``until``, from ``since`` (a
    revision or a date) on, one per ``every`` seconds at most, the ``last`` newest."""

    since: str | None = None
    until: str = "HEAD"
    last: int | None = None
    every: int | None = None

    def describe(self) -> str:
        words = [f"--since {self.since}"] if self.since else []
        if self.until != "HEAD":
            words.append(f"--until {self.until}")
        if self.every:
            words.append(f"--every {self.every}s")
        if self.last:
            words.append(f"--last {self.last}")
        return " ".join(words) or "the default selection"


@dataclass(frozen=True)
class History:
    rows: tuple[HistoryRow, ...]
    #: How many rows were measured now (the others came from the cache).
    computed: int
    cached: int


def select_commits(repository: Repository, selection: Selection) -> list[Commit]:
    """The commits ``selection`` names, oldest first; none is an error."""
    last = selection.last
    if last is None and selection.since is None:
        last = DEFAULT_LAST
    limit = last if selection.every is None else None
    commits = repository.commits(since=selection.since, until=selection.until, limit=limit)
    if selection.every is not None:
        commits = thinned(commits, selection.every)
    if last is not None:
        commits = commits[-last:]
    if not commits:
        raise FitnessError(f"{selection.describe()} selects no commit")
    return commits


def compute_history(
    repository: Repository,
    cache: HistoryCache | None,
    selection: Selection,
    *,
    depth: int = DEFAULT_DEPTH,
    progress: Callable[[int, int, Commit], None] = lambda _done, _total, _commit: None,
) -> History:
    """One row per selected commit, oldest first; only commits the cache does not have
    are measured (``progress`` is told before each)."""
    commits = select_commits(repository, selection)
    rows: dict[str, HistoryRow] = {}
    if cache is not None:
        for commit in commits:
            row = cache.get(commit)
            if row is not None:
                rows[commit.sha] = row
    todo = [commit for commit in commits if commit.sha not in rows]
    if todo:
        with repository.snapshots(todo) as projects:
            for done, (commit, project) in enumerate(zip(todo, projects, strict=True)):
                progress(done, len(todo), commit)
                row = measure_commit(commit, project, depth=depth)
                rows[commit.sha] = row
                # (a commit that could not be read may be readable later: a missing file
                # fetched, a size limit raised)
                if cache is not None and row.status != UNREADABLE_COMMIT:
                    cache.put(row)
        progress(len(todo), len(todo), todo[-1])
    return History(
        rows=tuple(rows[commit.sha] for commit in commits),
        computed=len(todo),
        cached=len(commits) - len(todo),
    )


def measure_commit(commit: Commit, project: Project | None, *, depth: int) -> HistoryRow:
    """The row of one commit: measured, or saying why it could not be."""
    if project is None:
        return HistoryRow(commit, NO_CONFIGURATION, "no configuration file in this commit")
    try:
        config = project.config()
    except UnreadableCommit as error:
        return HistoryRow(commit, UNREADABLE_COMMIT, str(error))
    except FitnessError as error:
        return HistoryRow(commit, INVALID_CONFIGURATION, str(error))
    try:
        graph = project.graph()
    except FitnessError as error:
        return HistoryRow(commit, GRAPH_ERROR, str(error))
    results = check_rules(config.rules, graph)
    covered = measure_coverage(graph, config.rules)  # (as `fitness coverage`, the same rules)
    return measured_row(
        commit,
        results,
        measure(graph, graph.class_facts(), depth=depth),
        CoveragePoint(modules=len(covered.modules), governed=covered.governed_count),
    )
