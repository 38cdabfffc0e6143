"""The ``fitness`` command. One module per subcommand (listed in :data:`COMMANDS`); each has
``register`` (its options, on the parser it is given) and ``run``.

Exit codes: 0 every rule holds, 1 a rule is broken, 2 bad input or usage, 130
interrupted (Ctrl-C), 141 the output was closed early (``fitness check | head``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from fitness._lazy import LazyModule, resolve
from fitness._version import __version__
from fitness.domain.errors import ConfigError, FitnessError

# ``fitness --version`` and ``--help`` import neither: a usage error needs the one (to
# escape what it echoes), a command's error the other (the command has imported it).
if TYPE_CHECKING:
    from fitness.cli import common as _common
    from fitness.domain import rendering as _rendering
else:
    _common = LazyModule("fitness.cli.common")
    _rendering = LazyModule("fitness.domain.rendering")

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class Command(NamedTuple):
    """A subcommand: the module that defines it (its ``register`` and ``run``) and its
    line in ``fitness --help``."""

    module: str
    help: str


#: The subcommands, in the order ``fitness --help`` lists them: the only list of them.
COMMANDS: dict[str, Command] = {
    "check": Command(
        "fitness.cli.check",
        "check every rule; exit 0 if all hold, 1 if any is broken, 2 on bad input",
    ),
    "baseline": Command(
        "fitness.cli.baseline",
        "write every current violation to the baseline file; from then on only new violations fail",
    ),
    "rules": Command(
        "fitness.cli.rules",
        "list the available rule types, their options and the plugins they come from",
    ),
    "metrics": Command(
        "fitness.cli.metrics",
        "print coupling and cohesion metrics per package and for the system",
    ),
    "coverage": Command(
        "fitness.cli.coverage",
        "list the modules no rule governs, by package, with the share governed",
    ),
    "graph": Command(
        "fitness.cli.graph",
        "export the import graph (DOT or Mermaid), layers as clusters, violations in red",
    ),
    "report": Command(
        "fitness.cli.report",
        "write an HTML report: violations, dependency matrix, graphs, metrics; "
        "exit 0 if every rule holds, 1 if any is broken, 2 on bad input",
    ),
    "history": Command(
        "fitness.cli.history",
        "every rule's violations and the system metrics at each commit of the git history",
    ),
    "affected": Command(
        "fitness.cli.affected",
        "list the test files that the changes since a revision can affect",
    ),
    "init": Command(
        "fitness.cli.init",
        "infer the architecture the code has today and write it as [tool.fitness]",
    ),
}


def command_module(name: str) -> ModuleType:
    """The module of one subcommand, imported now: a run imports its own only."""
    module = resolve(COMMANDS[name].module)
    assert isinstance(module, ModuleType)
    return module


def build_parser(
    command: str | None = None, *, every_option: bool = True
) -> argparse.ArgumentParser:
    """The parser; with the name of a subcommand, that subcommand alone (all a run
    of it needs: each parser argparse builds costs it a formatter per option and
    a search for translations per message). Without ``every_option``, the other
    subcommands are there by name and help only, their modules not imported (what
    ``fitness --help`` and ``fitness --version`` need)."""
    parser = _Parser(
        prog="fitness",
        description="Architecture fitness functions for Python: check the principles "
        "declared in pyproject.toml against the static import graph.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in [command] if command in COMMANDS else COMMANDS:
        parser_of_command = subparsers.add_parser(name, help=COMMANDS[name].help)
        if every_option or name == command:
            command_module(name).register(parser_of_command)
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
        super().error(_rendering.printable_line(message))


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names: its first word that is not an option, if it is one."""
    word = next((word for word in argv if not word.startswith("-")), None)
    return word if word in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(words), every_option=False)
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
            _common.say(f"fitness: error: {line}")
        return _common.EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("fitness: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`fitness check | head -1`): quietly
        return EXIT_BROKEN_PIPE
