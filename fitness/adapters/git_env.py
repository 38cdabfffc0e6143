"""The environment every ``git`` command of fitness runs in (light: nothing else imported)."""

from __future__ import annotations

import os


def git_environment() -> dict[str, str]:
    """The environment every ``git`` command runs in: C locale (messages as parsed),
    no password prompt, and pathspecs taken literally (a directory named ``:(top)b``
    or ``*`` is that directory)."""
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_LITERAL_PATHSPECS": "1"}
    for name in ("GIT_GLOB_PATHSPECS", "GIT_NOGLOB_PATHSPECS", "GIT_ICASE_PATHSPECS"):
        env.pop(name, None)
    return env
