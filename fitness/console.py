"""The ``fitness`` console script: the command, run as a short-lived process.

Two things a library must not do to its host, but a command may: the garbage
collector is paused while the command imports its dependencies (thousands of
objects, no garbage: a collection would only walk them), and the process ends
without tearing down its heap (freeing a large import graph object by object
takes 15-20 ms on SymPy and changes nothing a user can see; mypy exits the
same way). Output is flushed first; no ``atexit`` handler of ours is skipped,
there is none. Ctrl-C ends it quietly with 130, a closed output (``| head``)
quietly with 141 (as SIGPIPE would).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys

from fitness.adapters.scratch import remove_scratch


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C: end quietly with 130, at once. An exception raised here would surface
    wherever the main thread is: inside grimp's Rust scan it becomes a panic, which
    would be reported as a broken project. While a file is written, the exception
    is raised instead (the temporary file is removed; the command returns 130)."""
    from fitness.adapters.files import writing

    if writing():
        raise KeyboardInterrupt
    if os.getpid() == _MAIN_PROCESS:  # (forked workers, which get Ctrl-C too, say nothing)
        with contextlib.suppress(BaseException):
            sys.stderr.write("fitness: interrupted\n")
            sys.stderr.flush()
    remove_scratch()  # (fitness history's temporary tree; only the process that made it)
    os._exit(130)


_MAIN_PROCESS = os.getpid()


def run() -> None:
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted)
    gc.disable()
    from fitness.cli import main

    # What is loaded by now lives until exit: collections skip it from now on, and
    # come a hundred times less often (a short run makes little cyclic garbage).
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    gc.enable()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # output closed early (`fitness check | head`)
        pass
    os._exit(code)
