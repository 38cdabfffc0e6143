"""Temporary files and directories, removed whatever ends the run.

Code that makes a temporary file or directory holds it in :func:`removed_on_exit`:
it is removed when the block ends (normally or by an exception), and, if the
process is ended first, by :func:`remove_all`, which the ``fitness`` command calls
before it exits: on Ctrl-C (SIGINT), SIGTERM and SIGHUP (the handlers of
:mod:`fitness.console`), and after the command returns. An ``atexit`` handler does
the same for a Python process that uses fitness as a library and exits normally.

Signal handlers run :func:`remove_all` at any moment: it imports nothing, and this
module imports nothing a run does not already have. A path is removed only by the
process that registered it (a worker forked while a temporary tree exists, and
stopped with SIGTERM, leaves its parent's tree alone). Symbolic links inside a tree
are removed, never followed.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
from collections.abc import Iterator

#: token -> (the process that registered the path, the path)
_registered: dict[int, tuple[int, str]] = {}
_tokens = itertools.count()


@contextlib.contextmanager
def removed_on_exit(path: str | os.PathLike[str]) -> Iterator[str]:
    """Remove ``path`` (a file, or a directory and everything in it) when the block ends,
    or when the process is interrupted or terminated first; yields it as a string.

    ``with tempfile.TemporaryDirectory() as tmp, removed_on_exit(tmp): ...``"""
    name = os.fspath(path)
    token = next(_tokens)
    _registered[token] = (os.getpid(), name)
    try:
        yield name
    finally:
        if token in _registered:  # (not if forgotten: see forget)
            remove(name)  # (then forgotten: a signal meanwhile still finds it)
            _registered.pop(token, None)


def forget(path: str | os.PathLike[str]) -> None:
    """Stop removing ``path`` (registered by this process): it turned out not to be ours
    (a directory that existed already when it was to be made)."""
    name, pid = os.fspath(path), os.getpid()
    for token, (owner, registered_name) in list(_registered.items()):
        if owner == pid and registered_name == name:
            _registered.pop(token, None)


def registered() -> list[str]:
    """The paths this process will remove if it is ended now, oldest first."""
    pid = os.getpid()
    return [name for owner, name in _registered.values() if owner == pid]


def remove_all() -> None:
    """Remove every path registered by this process (newest first); never raises."""
    pid = os.getpid()
    for token, (owner, name) in reversed(list(_registered.items())):
        if owner == pid:
            remove(name)
            _registered.pop(token, None)


def remove(name: str) -> None:
    """Remove a file, a link, or a directory tree (links in it are not followed); what
    cannot be removed, or is gone already, is left as it is. A tree is walked twice if
    need be: a thread of the run (grimp's) may add a file while it is walked."""
    for _ in range(2):
        _remove(name)
        if not os.path.lexists(name):
            return


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        if os.path.islink(name) or not os.path.isdir(name):
            os.unlink(name)
            return
        for directory, subdirectories, files in os.walk(name, topdown=False):
            for file in files:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(directory, file))
            for subdirectory in subdirectories:
                path = os.path.join(directory, subdirectory)
                with contextlib.suppress(OSError):
                    if os.path.islink(path):
                        os.unlink(path)
                    else:
                        os.rmdir(path)
        os.rmdir(name)


atexit.register(remove_all)
