"""Scratch directories: temporary trees that must not outlive the run.

``fitness history`` writes the files of each commit into one (in memory,
``/dev/shm``, where there is one). It is registered with
:mod:`fitness.adapters.cleanup` before it is made, so it is removed when its
block ends (normally or by an exception: Ctrl-C under Python's own handler is a
``KeyboardInterrupt``) and whatever ends the process:

- under the ``fitness`` command, its Ctrl-C, SIGTERM and SIGHUP handlers
  (:mod:`fitness.console`) remove every registered path, then end it;
- elsewhere (fitness used as a library, under pytest), while a scratch directory
  exists, SIGTERM and SIGHUP, where nothing else handles them, remove every
  registered path, then end the process as the signal would have (its default
  action, the same exit status). While a file is being written
  (:func:`fitness.adapters.files.writing`) it raises ``SystemExit`` instead, so
  that the write removes its temporary file first.

A signal handler may run between any two bytecodes: nothing here imports at
signal time. A forked worker process inherits the registry, and pool shutdown
sends its workers SIGTERM: a path is removed only by the process that registered
it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from fitness.adapters.cleanup import forget, registered, remove_all, removed_on_exit
from fitness.adapters.files import writing

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

    root = scratch_root() or tempfile.gettempdir()
    with _signals_remove_scratch():
        path = os.path.join(root, f"{prefix}{os.getpid()}-{os.urandom(6).hex()}")
        # Registered before it is made, forgotten after it is removed: a signal at any
        # moment finds it in the registry if it exists.
        with removed_on_exit(path):
            try:
                os.mkdir(path, 0o700)
            except BaseException:  # (48 random bits: it exists only if someone else made it)
                forget(path)  # never removed: it is not ours
                raise
            yield Path(path)


def _ended(signum: int, frame: object) -> None:
    """SIGTERM or SIGHUP while a scratch directory exists: remove what the run registered,
    then end as the signal would have."""
    if registered():
        if writing():  # the write removes its temporary file, then the block its directory
            raise SystemExit(128 + signum)
        remove_all()
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
