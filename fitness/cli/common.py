"""What every subcommand shares: exit codes, configuration options and loading."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from fitness.adapters.config.source import load_found
from fitness.domain.rendering import printable, printable_line

if TYPE_CHECKING:
    from fitness.adapters.session import GraphSession
    from fitness.application.config import LoadedConfig

EXIT_OK = 0
EXIT_BROKEN = 1
EXIT_USAGE = 2


def say(line: str, stream: TextIO | None = None) -> None:
    """Write one line of the command's own (an error, a warning, a note, what was written
    where) to ``stream`` (stderr by default). It may echo input (a rule's or a module's
    name, a path, an option's value), so control characters are escaped: no line of ours
    may move the cursor, recolour or clear a terminal, nor end early."""
    (sys.stderr if stream is None else stream).write(printable_line(line) + "\n")


def say_text(text: str, stream: TextIO | None = None) -> None:
    """Write lines of the command's own (as :func:`say`), newlines and tabs kept."""
    (sys.stdout if stream is None else stream).write(printable(text) + "\n")


def add_config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        type=Path,
        help="the configuration to read: pyproject.toml, setup.cfg or .importlinter "
        "(default: the nearest one with [tool.fitness], else with an import-linter "
        "configuration)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="build the graph from scratch, without the cache (which lives in cache_dir of "
        "the configuration, or in $FITNESS_CACHE_DIR)",
    )


#: What a command says when no configuration is found.
NO_CONFIGURATION = (
    "no configuration in this directory or its parents: no pyproject.toml with "
    "[tool.fitness] or [tool.importlinter], no .importlinter, no setup.cfg with "
    "[importlinter] (use --config PATH)"
)


def load(config: Path | None) -> LoadedConfig:
    """The configuration of a command (``--config``, else the nearest one), loaded by
    the one use case (:func:`fitness.application.config.load_configuration`)."""
    return load_found(config, missing=NO_CONFIGURATION)


def print_cache_notes(session: GraphSession) -> None:
    """What the run has to say about its cache (at most one line), on standard error:
    why there was none, or that entries someone else wrote were ignored and rebuilt."""

    for note in session.cache_notes():
        sys.stderr.write(printable_line(f"fitness: note: {note}") + "\n")
