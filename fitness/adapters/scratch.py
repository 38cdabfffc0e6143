"""Scratch directories: temporary trees that must not outlive the run.

``fitness history`` writes the files of each commit into one (in memory,
``/dev/shm``, where there is one). It is removed when its block ends, normally
or by an exception (Ctrl-C under Python's own handler is a ``KeyboardInterrupt``),
and when a signal ends the process:

- SIGTERM and SIGHUP: while a scratch directory exists, a handler (installed
  only where nothing else handles them) removes it, then lets the signal end the
  process as it would have (its default action, the same exit status). While a
  file is being written (:func:`fitness.adapters.files.writing`) it raises
  ``SystemExit`` instead, so that the write removes its temporary file first.
- SIGINT under the ``fitness`` command, whose handler ends the process at once:
  it calls :func:`remove_scratch` first.

A signal handler may run between any two bytecodes: nothing here imports at
signal time (``shutil`` is imported when the first directory is made). A forked
worker process inherits the registry, and pool shutdown sends its workers
SIGTERM: a directory is removed only by the process that made it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from fitness.adapters.files import writing

#: path -> the process that made it
_directories: dict[str, int] = {}
_remove_tree: Callable[[str], None] | None = None

#: The signals whose default action ends the process and that a scratch directory must survive.
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def scratch_root() -> str | None:
    """Where scratch directories go: memory (``/dev/shm``) where there is one, as what
    is written there is read back at once and never needs to reach a disk; else the
    default temporary directory."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


@contextlib.contextmanager
def scratch_directory(prefix: str) -> Iterator[Path]:
    """A new private directory (mode 0700) for the block, removed whatever ends it; its
    name is ``prefix``, the process id, then random letters."""
    global _remove_tree
    import shutil
    import tempfile

    if _remove_tree is None:
        _remove_tree = _rmtree_with(shutil.rmtree)
    remove = _remove_tree
    root = scratch_root() or tempfile.gettempdir()
    with _signals_remove_scratch():
        # Registered before it is made, forgotten after it is removed: a signal at any
        # moment finds it in the registry if it exists.
        while True:
            path = os.path.join(root, f"{prefix}{os.getpid()}-{os.urandom(6).hex()}")
            _directories[path] = os.getpid()
            try:
                os.mkdir(path, 0o700)
                break
            except FileExistsError:  # (48 random bits: not again)
                _directories.pop(path, None)
            except BaseException:
                _directories.pop(path, None)
                raise
        try:
            yield Path(path)
        finally:
            remove(path)
            _directories.pop(path, None)


def remove_scratch() -> None:
    """Remove every scratch directory this process made, now: what a signal handler
    does before it ends the process on the spot. Imports nothing."""
    remove = _remove_tree
    if remove is None:
        return
    me = os.getpid()
    for path, owner in list(_directories.items()):
        if owner == me:
            _directories.pop(path, None)
            remove(path)


def _rmtree_with(rmtree: Callable[..., object]) -> Callable[[str], None]:
    def remove(path: str) -> None:
        # Twice: a thread of the run (grimp's) may add a file while the tree is walked.
        for _ in range(2):
            rmtree(path, ignore_errors=True)
            if not os.path.lexists(path):
                return

    return remove


def _ended(signum: int, frame: object) -> None:
    """SIGTERM or SIGHUP while a scratch directory exists: remove it, then end as the
    signal would have."""
    if _directories and any(owner == os.getpid() for owner in _directories.values()):
        if writing():  # the write removes its temporary file, then the block its directory
            raise SystemExit(128 + signum)
        remove_scratch()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


@contextlib.contextmanager
def _signals_remove_scratch() -> Iterator[None]:
    """:func:`_ended` handles SIGTERM and SIGHUP for the block, where they would otherwise
    end the process on the spot (their default action) and this is the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    installed = []
    try:
        for number in _SIGNALS:
            with contextlib.suppress(ValueError, OSError):
                if signal.getsignal(number) is signal.SIG_DFL:
                    signal.signal(number, _ended)
                    installed.append(number)
        yield
    finally:
        for number in installed:
            with contextlib.suppress(ValueError, OSError):
                if signal.getsignal(number) is _ended:
                    signal.signal(number, signal.SIG_DFL)
