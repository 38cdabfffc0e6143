"""The ``fitness`` command. One module per subcommand; each has ``register`` and ``run``.

Exit codes: 0 every rule holds, 1 a rule is broken, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from fitness import __version__
from fitness.cli import baseline, check, graph, init, metrics, report, rules
from fitness.cli.common import EXIT_USAGE
from fitness.domain.errors import FitnessError

#: The subcommands, in the order `fitness --help` lists them.
COMMANDS: tuple[ModuleType, ...] = (check, baseline, rules, metrics, graph, report, init)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fitness",
        description="Architecture fitness functions for Python: check the principles "
        "declared in pyproject.toml against the static import graph.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except FitnessError as error:
        sys.stderr.write(f"fitness: error: {error}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("fitness: interrupted\n")
        return 130


def run() -> None:
    """The ``fitness`` command: :func:`main`, then exit without tearing down the heap.

    Freeing every object of a large import graph one by one at interpreter
    exit takes 15-20 ms on SymPy and changes nothing a user can see (mypy
    exits the same way). The output is flushed first; an ``atexit`` handler
    of ours would be skipped, and there is none.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # output closed early (`fitness check | head`)
        pass
    os._exit(code)
