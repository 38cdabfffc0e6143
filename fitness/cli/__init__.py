"""The ``fitness`` command. One module per subcommand; each has ``register`` and ``run``.

Exit codes: 0 every rule holds, 1 a rule is broken, 2 bad input or usage, 130
interrupted (Ctrl-C), 141 the output was closed early (``fitness check | head``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any, NoReturn

from fitness._version import __version__
from fitness.cli.common import EXIT_USAGE, say
from fitness.domain.errors import ConfigError, FitnessError

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

#: The subcommands, in the order `fitness --help` lists them.
COMMANDS = (
    "check",
    "baseline",
    "rules",
    "metrics",
    "coverage",
    "graph",
    "report",
    "history",
    "affected",
    "init",
)


def command_module(name: str) -> ModuleType:
    """The module of one subcommand, imported now: a run imports its own only."""
    if name == "check":
        from fitness.cli import check

        return check
    if name == "baseline":
        from fitness.cli import baseline

        return baseline
    if name == "rules":
        from fitness.cli import rules

        return rules
    if name == "metrics":
        from fitness.cli import metrics

        return metrics
    if name == "coverage":
        from fitness.cli import coverage

        return coverage
    if name == "graph":
        from fitness.cli import graph

        return graph
    if name == "report":
        from fitness.cli import report

        return report
    if name == "history":
        from fitness.cli import history

        return history
    if name == "affected":
        from fitness.cli import affected

        return affected
    if name == "init":
        from fitness.cli import init

        return init
    raise ValueError(f"no subcommand {name!r}")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with the name of a subcommand, that subcommand alone (all a run
    of it needs: each parser argparse builds costs it a formatter per option and
    a search for translations per message)."""
    parser = _Parser(
        prog="fitness",
        description="Architecture fitness functions for Python: check the principles "
        "declared in pyproject.toml against the static import graph.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in [command] if command in COMMANDS else COMMANDS:
        command_module(name).register(subparsers)
    return parser


def _terminal_width() -> int:
    """What ``shutil.get_terminal_size`` answers, without importing shutil (with its
    archive modules: zlib, bz2, lzma) into every run: argparse builds a help
    formatter, and asks for the width, for each option it adds."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    stdout = sys.__stdout__
    if stdout is None:  # no console (pythonw)
        return 80
    try:
        return os.get_terminal_size(stdout.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog: str, **kwargs: Any) -> None:
        kwargs.setdefault("width", _terminal_width() - 2)
        super().__init__(prog, **kwargs)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """A usage error: the line echoes what was given (``unrecognized arguments: ...``),
        so control characters are escaped, as in every line of ours."""
        from fitness.domain.rendering import printable_line

        super().error(printable_line(message))


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names: its first word that is not an option."""
    return next((word for word in argv if not word.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(words))
    args, extra = parser.parse_known_args(words)
    if extra and hasattr(args, "paths") and not any(w.startswith("-") for w in extra):
        args.paths += extra  # ``fitness affected REV --format json tests``: paths after options
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.words = tuple(words)  # (``fitness check`` caches its run for the same words)
    try:
        return int(args.run(args))
    except FitnessError as error:
        # Several mistakes (of a configuration): one line each.
        lines = error.lines() if isinstance(error, ConfigError) else [str(error)]
        for line in lines:
            say(f"fitness: error: {line}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("fitness: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`fitness check | head -1`): quietly
        return EXIT_BROKEN_PIPE
