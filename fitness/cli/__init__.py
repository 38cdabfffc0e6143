"""The ``fitness`` command. One module per subcommand; each has ``register`` and ``run``.

Exit codes: 0 every rule holds, 1 a rule is broken, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
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
