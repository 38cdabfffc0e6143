"""Use case: the test files a change since a revision can affect (``pytest
--fitness-affected=REV``, ``fitness affected REV``). Safe first: see
:mod:`fitness.domain.affected` for what selects what."""

from __future__ import annotations

from collections.abc import Sequence

from fitness.application.ports import ChangedProject
from fitness.domain.affected import Policy, Project, Selection, select


def affected_tests(
    source: ChangedProject, revision: str, tests: Sequence[str], policy: Policy | None = None
) -> Selection:
    """The test files among ``tests`` (relative to the repository) that the changes since
    ``revision`` can affect. The project's files are read only when a changed Python
    module makes it needed (a change to a configuration file selects every test at once)."""
    policy = policy or Policy()
    changes = source.changes_since(revision)
    first = select(Project({}), tests, changes, policy)
    if first.everything or not first.changed_modules:
        return first
    return select(source.project(tests), tests, changes, policy)
