"""The ``fitness`` command: the same rules as the pytest items, without pytest."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from fitness import __version__
from fitness.adapters.pyproject import LoadedConfig, find_config, load_config
from fitness.adapters.session import GraphSession
from fitness.adapters.text import render_report
from fitness.application.checking import check_rules
from fitness.domain.errors import FitnessError

EXIT_OK = 0
EXIT_BROKEN = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fitness",
        description="Architecture fitness functions for Python: check the principles "
        "declared in pyproject.toml against the static import graph.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    check = commands.add_parser(
        "check",
        help="check every rule; exit 0 if all hold, 1 if any is broken, 2 on a usage error",
    )
    _add_config_options(check)
    return parser


def _add_config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        type=Path,
        help="the pyproject.toml to read (default: the nearest one with [tool.fitness])",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="build the graph from scratch, without the cache"
    )


def _load(config: Path | None) -> LoadedConfig:
    path = config if config is not None else find_config(Path.cwd())
    if path is None:
        raise FitnessError(
            "no pyproject.toml with a [tool.fitness] table in this directory or its parents "
            "(use --config PATH)"
        )
    if path.is_dir():
        path = path / "pyproject.toml"
    return load_config(path)


def run_check(args: argparse.Namespace) -> int:
    loaded = _load(args.config)
    session = GraphSession(loaded, use_cache=not args.no_cache)
    graph = session.graph()
    results = check_rules(loaded.config.rules, graph)
    sys.stdout.write(render_report(results, graph.dynamic_imports))
    if any(r.errors for r in results):
        return EXIT_USAGE
    return EXIT_BROKEN if any(r.violations for r in results) else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args)
    except FitnessError as error:
        sys.stderr.write(f"fitness: error: {error}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("fitness: interrupted\n")
        return 130
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
