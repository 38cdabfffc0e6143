"""The history use case on in-memory ports: which commits, what each row holds, what
the cache spares."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager

import pytest

from fitness.application.history import Selection, compute_history, select_commits
from fitness.application.ports import Project
from fitness.domain.config import FitnessConfig
from fitness.domain.errors import ConfigError, FitnessError
from fitness.domain.graph import ProjectGraph
from fitness.domain.history import Commit, CoveragePoint, HistoryRow
from fitness.domain.rules import LayersRule
from tests.application.fakes import FakeProject
from tests.helpers import fake_graph

LAYERS = LayersRule(name="Layers", layers=("app.api", "app.domain"))
CLEAN = "app.api.views -> app.domain.model"
BROKEN = "app.api.views -> app.domain.model\napp.domain.model -> app.api.views"


def commit(number: int) -> Commit:
    return Commit(f"{number:040x}", number * 3600, f"2026-01-01T{number:02d}:00:00Z", f"c{number}")


class Broken:
    """A project whose configuration or graph cannot be read."""

    def __init__(self, *, config: bool) -> None:
        self._config_fails = config

    @property
    def where(self) -> str:
        return "pyproject.toml"

    def config(self) -> FitnessConfig:
        if self._config_fails:
            raise ConfigError("invalid TOML: expected '='", "pyproject.toml:3")
        return FitnessConfig(graph=FakeProject(fake_graph(CLEAN)).config().graph, rules=())

    def graph(self) -> ProjectGraph:
        raise ConfigError("cannot parse app/api.py, line 2: def (")

    def baseline(self) -> None:
        return None


class FakeRepository:
    def __init__(self, projects: dict[int, Project | None]) -> None:
        self.projects = projects
        self.snapshots_taken: list[str] = []
        self.asked: list[tuple[str | None, str, int | None]] = []

    def commits(self, *, since: str | None, until: str, limit: int | None) -> list[Commit]:
        self.asked.append((since, until, limit))
        commits = [commit(n) for n in sorted(self.projects)]
        return commits[-limit:] if limit else commits

    def snapshots(
        self, commits: Sequence[Commit]
    ) -> AbstractContextManager[Iterator[Project | None]]:
        @contextmanager
        def walk() -> Iterator[Iterator[Project | None]]:
            def each() -> Iterator[Project | None]:
                for item in commits:
                    self.snapshots_taken.append(item.subject)
                    yield self.projects[int(item.sha, 16)]

            yield each()

        return walk()


class MemoryCache:
    def __init__(self) -> None:
        self.rows: dict[str, HistoryRow] = {}

    def get(self, commit: Commit) -> HistoryRow | None:
        return self.rows.get(commit.sha)

    def put(self, row: HistoryRow) -> None:
        self.rows[row.commit.sha] = row


def test_each_commit_is_a_row_oldest_first_with_each_rules_violations() -> None:
    repository = FakeRepository(
        {
            1: FakeProject(fake_graph(CLEAN), (LAYERS,)),
            2: FakeProject(fake_graph(BROKEN), (LAYERS,)),
        }
    )
    history = compute_history(repository, None, Selection())
    assert [row.commit.subject for row in history.rows] == ["c1", "c2"]
    assert [(r.name, r.violations, r.keys) for r in history.rows[1].rules] == [
        ("Layers", 1, ("app.domain -> app.api",))
    ]
    assert history.rows[0].rules[0].violations == 0
    assert history.rows[1].system["modules"] == 5
    assert [row.system["largest_cycle_group"] for row in history.rows] == [0, 2]
    assert [p.package for p in history.rows[1].packages] == ["app", "app.api", "app.domain"]


def test_each_row_says_how_much_of_the_code_its_rules_govern() -> None:
    # The rules of each row, measured as `fitness coverage` measures them: a package no
    # rule names (app.reports) is not governed, nor is app, which holds it.
    grown = CLEAN + "\napp.reports.daily -> app.domain.model"
    repository = FakeRepository(
        {
            1: FakeProject(fake_graph(CLEAN), (LAYERS,)),
            2: FakeProject(fake_graph(grown), (LAYERS,)),
            3: FakeProject(fake_graph(grown), ()),
            4: Broken(config=False),
        }
    )
    rows = compute_history(repository, None, Selection()).rows
    assert [row.coverage for row in rows] == [
        CoveragePoint(modules=5, governed=5),
        CoveragePoint(modules=7, governed=4),
        CoveragePoint(modules=7, governed=0),
        None,  # (not measured)
    ]
    assert rows[1].coverage is not None and rows[1].coverage.share == 4 / 7


def test_commits_the_cache_has_are_not_measured_again() -> None:
    projects: dict[int, Project | None] = {n: FakeProject(fake_graph(CLEAN)) for n in (1, 2)}
    repository = FakeRepository(projects)
    cache = MemoryCache()
    first = compute_history(repository, cache, Selection())
    projects[3] = FakeProject(fake_graph(CLEAN))
    second = compute_history(repository, cache, Selection())
    assert (first.computed, first.cached) == (2, 0)
    assert (second.computed, second.cached) == (1, 2)
    assert repository.snapshots_taken == ["c1", "c2", "c3"]
    assert second.rows[:2] == first.rows


def test_a_commit_without_configuration_or_with_a_broken_one_is_a_row_saying_so() -> None:
    repository = FakeRepository({1: None, 2: Broken(config=True), 3: Broken(config=False)})
    rows = compute_history(repository, None, Selection()).rows
    assert [(row.status, row.problem) for row in rows] == [
        ("no configuration", "no configuration file in this commit"),
        ("invalid configuration", "pyproject.toml:3: invalid TOML: expected '='"),
        ("graph error", "cannot parse app/api.py, line 2: def ("),
    ]
    assert all(row.rules == () for row in rows)


def test_without_since_or_last_the_newest_twenty_commits_are_asked_for() -> None:
    repository = FakeRepository({n: None for n in range(30)})
    commits = select_commits(repository, Selection())
    assert len(commits) == 20
    assert repository.asked == [(None, "HEAD", 20)]


def test_every_thins_the_whole_range_before_last_takes_the_newest() -> None:
    repository = FakeRepository({n: None for n in range(10)})  # one an hour
    commits = select_commits(repository, Selection(last=2, every=3 * 3600))
    assert [c.subject for c in commits] == ["c6", "c9"]  # kept: c0 c3 c6, then c9 for c9
    assert repository.asked == [(None, "HEAD", None)]


def test_a_selection_of_no_commit_is_an_error() -> None:
    with pytest.raises(FitnessError) as raised:
        select_commits(FakeRepository({}), Selection(since="2999-01-01"))
    assert str(raised.value) == "--since 2999-01-01 selects no commit"
