"""Running ``git`` cheaply: the environment every ``git`` command of fitness runs in, and a
revision resolved with one ``rev-parse`` (nothing else of fitness imported)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from fitness.domain.errors import FitnessError


def git_environment() -> dict[str, str]:
    """The environment every ``git`` command runs in: C locale (messages as parsed),
    no password prompt, and pathspecs taken literally (a directory named ``:(top)b``
    or ``*`` is that directory)."""
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_LITERAL_PATHSPECS": "1"}
    for name in ("GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"):
        env.pop(name, None)
    return env


def run_git(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """``git arguments`` in ``cwd`` (a ``FitnessError`` if git is not installed)."""
    try:
        return subprocess.run(
            ["git", "-c", "core.quotepath=off", *arguments],
            cwd=cwd,
            capture_output=True,
            env=git_environment(),
            check=False,
        )
    except FileNotFoundError:
        raise FitnessError("git is not installed (or not on PATH)") from None


def resolve_commit(directory: Path, revision: str) -> str | None:
    """The commit ``revision`` names in the repository holding ``directory``, or ``None``
    (:func:`fitness.adapters.git_revision.commit_of` says why)."""
    done = run_git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
        directory,
    )
    return done.stdout.decode().strip() if done.returncode == 0 else None
