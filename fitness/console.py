"""The ``fitness`` console script: the command, run as a short-lived process.

Two things a library must not do to its host, but a command may: the garbage
collector is paused while the command imports its dependencies (thousands of
objects, no garbage: a collection would only walk them), and the process ends
without tearing down its heap (freeing a large import graph object by object
takes 15-20 ms on SymPy and changes nothing a user can see; mypy exits the
same way). Output is flushed first; no ``atexit`` handler of ours is skipped,
there is none.
"""

from __future__ import annotations

import gc
import os
import sys


def run() -> None:
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
