"""A revision named by the user, resolved to a commit: one ``git rev-parse`` when it exists;
when it does not, :class:`fitness.adapters.git.GitRepository` (imported then: its imports
cost about 100 ms) says why, as ``fitness history`` does."""

from __future__ import annotations

from pathlib import Path

from fitness.adapters.git import GitRepository
from fitness.adapters.git_env import resolve_commit


def commit_of(directory: Path, revision: str, option: str, purpose: str) -> str:
    """The commit ``revision`` names in the repository holding ``directory``; a
    ``FitnessError`` naming ``option`` otherwise: not a repository (``purpose`` says why
    one is needed), or an unknown revision (a "did you mean", and in a shallow clone how
    to fetch the history)."""
    commit = resolve_commit(directory, revision)
    if commit is not None:
        return commit

    return GitRepository(directory / "pyproject.toml", purpose=purpose).commit_of(revision, option)
