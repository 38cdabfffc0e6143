"""Options several subcommands share: one name, one metavar, one help text each.

``tests/test_cli_options.py`` walks every subcommand and checks that an option
spelled the same way means the same thing everywhere.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fitness.adapters.report_formats import format_choices, format_help


def positive(text: str) -> int:
    """A whole number of 1 or more (``--depth N``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def add_output_option(parser: argparse.ArgumentParser, what: str = "the report") -> None:
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, help=f"write {what} to FILE")


def add_depth_option(parser: argparse.ArgumentParser, default: int | None = 2) -> None:
    parser.add_argument(
        "--depth",
        type=positive,
        default=default,
        metavar="N",
        help="packages are the modules with N name parts (default 2: shop.domain)",
    )


def add_verbosity_options(parser: argparse.ArgumentParser, *, quiet: str, verbose: str) -> None:
    """``-q`` and ``-v``, which exclude each other."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help=quiet)
    group.add_argument("-v", "--verbose", action="store_true", help=verbose)


def add_new_since_option(parser: argparse.ArgumentParser) -> None:
    """``--new-since REV``: only what is new since a revision fails."""
    parser.add_argument(
        "--new-since",
        metavar="REV",
        help="fail only the violations that are new since REV (a branch, tag or commit): "
        "REV's files are read from git (never run) and checked with today's configuration, "
        "and what they break counts as known; a baseline still applies",
    )


def add_format_option(parser: argparse.ArgumentParser, command: str) -> None:
    """``--format``: the command's formats, and their help, from the one list of them
    (:mod:`fitness.adapters.report_formats`). ``check`` takes any name: a plugin may
    add a format (the name is checked once the plugins are loaded)."""
    if command == "check":
        parser.add_argument(
            "--format",
            default="text",
            help=format_help(command),
        )
        return
    choices = format_choices(command)
    parser.add_argument("--format", choices=choices, default=choices[0], help=format_help(command))
