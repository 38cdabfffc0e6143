"""The ``fitness`` console script: the command, run as a short-lived process.

Two things a library must not do to its host, but a command may: the garbage
collector is paused while the command imports its dependencies (thousands of
objects, no garbage: a collection would only walk them), and the process ends
without tearing down its heap (freeing a large import graph object by object
takes 15-20 ms on SymPy and changes nothing a user can see; mypy exits the
same way). Output is flushed first, and the temporary files and directories
of the run are removed (what the ``atexit`` handler of
:mod:`fitness.adapters.cleanup`, the only one of ours, would do). Ctrl-C ends it
with 130 and one line, SIGTERM with 143 and SIGHUP with 129, quietly, their
temporary files removed too; a closed output (``| head``) quietly with 141 (as
SIGPIPE would). The signal handler imports nothing (a signal may come while a
module is half imported): what it calls is imported with this module.

The order of the imports is this module's one trick (:mod:`fitness._lazy` holds the
other): the replay (:mod:`fitness.adapters.replay`) is imported before the CLI, and
the CLI (argparse, the commands' registry) only when there is nothing to replay, both
once the collector is paused. A replayed ``fitness check`` then costs 41 ms of CPU
and ``fitness --version`` 39 ms, against 22 ms for Python itself and 138 ms for a
``fitness check --no-cache`` of ``examples/shop`` (best of 10, with bytecode, on a
shared 2-core machine; without bytecode 42, 55 and 245 ms).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable

from fitness.adapters.cleanup import remove_all
from fitness.adapters.files import writing


def _ended(signum: int, frame: object) -> None:
    """Ctrl-C, SIGTERM or SIGHUP: remove the temporary files and directories of the run
    (:mod:`fitness.adapters.cleanup`), then end at once with 128 + the signal's number
    (130, 143, 129), quietly but for one line on Ctrl-C. An exception raised here would
    surface wherever the main thread is: inside grimp's Rust scan it becomes a panic,
    which would be reported as a broken project. While a file is written, an exception
    is raised instead (the temporary file is removed; the command returns the same code).

    Imports nothing: a signal may come while a module is half imported (it gave an
    ``ImportError``); what it needs is bound when the handlers are installed."""
    if _writing is not None and _writing():
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)
    if os.getpid() == _MAIN_PROCESS:  # (forked workers, which get Ctrl-C too, say nothing)
        if _remove_all is not None:
            _remove_all()
        if signum == signal.SIGINT:
            with contextlib.suppress(BaseException):
                sys.stderr.write("fitness: interrupted\n")
                sys.stderr.flush()
    os._exit(128 + signum)


_MAIN_PROCESS = os.getpid()
#: Bound by :func:`_install` (None until then: a signal that early has nothing to clean).
_writing: Callable[[], bool] | None = None
_remove_all: Callable[[], None] | None = None


def _install() -> None:
    """Handle Ctrl-C, SIGTERM and SIGHUP where they have their default action (a parent
    that ignores one, as ``nohup`` does SIGHUP, is obeyed), then bind what the handler
    needs."""
    global _MAIN_PROCESS, _writing, _remove_all
    _MAIN_PROCESS = os.getpid()
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _ended)
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            signal.signal(number, _ended)
    _writing, _remove_all = writing, remove_all


def run() -> None:
    _install()
    gc.disable()
    # A `fitness check` of what has not changed says again what it said, before anything
    # heavy is imported (on SymPy, 0.04 s of CPU against 0.2 s: fitness.adapters.replay).
    from fitness.adapters.replay import replay

    try:
        replayed = replay(sys.argv[1:], sys.stdout, sys.stderr)
    except BrokenPipeError:  # the reader went away (`fitness check | head -1`): quietly
        os._exit(141)
    if replayed is not None:
        _flush()
        os._exit(replayed)
    from fitness.cli import main

    # What is loaded by now lives until exit: collections skip it from now on, and
    # come a hundred times less often (a short run makes little cyclic garbage).
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    gc.enable()
    try:
        code = main()
    finally:  # (also when it raises: SystemExit from argparse, or a signal while writing)
        assert _remove_all is not None
        _remove_all()
    _flush()
    os._exit(code)


def _flush() -> None:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # output closed early (`fitness check | head`)
        pass
