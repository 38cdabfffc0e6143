"""The use case of ``--new-since REV`` on fake ports: the revision measured with today's
rules, or taken from the cache; what cannot be measured there makes every violation new."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from fitness.application.new_since import known_at
from fitness.application.ports import Revision
from fitness.domain.errors import ConfigError, FitnessError
from fitness.domain.history import UnreadableCommit
from fitness.domain.new_since import KnownAt
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from tests.application.fakes import FakeProject
from tests.helpers import fake_graph

RULE = ForbiddenRule(
    name="no db in domain", source_modules=("app.domain",), forbidden_modules=("app.db",)
)
AT_MAIN = Revision("main", "a" * 40, "t" * 40)


class FakeSource:
    """One revision; its project is ``project`` (or raises ``error`` when its graph is asked)."""

    def __init__(self, project: FakeProject | None = None, *, tree: str | None = "t" * 40) -> None:
        self.project = project
        self.tree = tree
        self.measured = 0

    def resolve(self, revision: str) -> Revision:
        if revision != "main":
            raise FitnessError(f"--new-since '{revision}': no such revision")
        return Revision(revision, "a" * 40, self.tree)

    @contextlib.contextmanager
    def project_at(self, revision: Revision) -> Iterator[FakeProject]:
        assert self.project is not None
        self.measured += 1
        yield self.project


class Broken(FakeProject):
    def __init__(self, error: FitnessError) -> None:
        super().__init__(fake_graph("app.a"))
        self.error = error

    def graph(self):  # type: ignore[no-untyped-def]
        raise self.error


class MemoryCache:
    def __init__(self) -> None:
        self.entries: dict[str, KnownAt] = {}

    def get(self, revision: Revision) -> KnownAt | None:
        return self.entries.get(str(revision.tree))

    def put(self, known: KnownAt, revision: Revision) -> None:
        self.entries[str(revision.tree)] = known


def test_the_revision_is_measured_with_the_rules_given_then_read_from_the_cache() -> None:
    source = FakeSource(FakeProject(fake_graph("app.domain.model -> app.db.session")))
    cache = MemoryCache()

    first = known_at(source, cache, "main", [RULE])
    again = known_at(source, cache, "main", [RULE])

    assert source.measured == 1
    assert first == again
    assert [(e.rule, e.first, e.last) for e in sorted(first.known.entries)] == [
        ("no db in domain", "app.domain.model", "app.db.session")
    ]


def test_an_unknown_revision_is_the_sources_error() -> None:
    with pytest.raises(FitnessError, match="'mian': no such revision"):
        known_at(FakeSource(), MemoryCache(), "mian", [RULE])


def test_a_revision_without_the_projects_directory_knows_nothing() -> None:
    known = known_at(FakeSource(tree=None), MemoryCache(), "main", [RULE])

    assert known.problem == "the project's directory is not there"
    assert not known.known.entries


def test_a_graph_that_cannot_be_built_there_knows_nothing_and_is_cached() -> None:
    source = FakeSource(Broken(ConfigError("root package 'app' not found")))
    cache = MemoryCache()

    known = known_at(source, cache, "main", [RULE])

    assert known.problem == "root package 'app' not found"
    assert cache.entries


def test_a_commit_that_cannot_be_read_is_not_cached() -> None:
    source = FakeSource(Broken(UnreadableCommit("pkg/a.py: the commit's file is missing")))
    cache = MemoryCache()

    known = known_at(source, cache, "main", [RULE])

    assert known.problem == "pkg/a.py: the commit's file is missing"
    assert not cache.entries
