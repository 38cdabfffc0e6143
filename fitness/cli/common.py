"""What every subcommand shares: exit codes, configuration options and loading."""

from __future__ import annotations

import argparse
from pathlib import Path

from fitness.adapters.pyproject import LoadedConfig, find_config, load_config
from fitness.domain.errors import FitnessError

EXIT_OK = 0
EXIT_BROKEN = 1
EXIT_USAGE = 2


def add_config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        type=Path,
        help="the pyproject.toml to read (default: the nearest one with [tool.fitness])",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="build the graph from scratch, without the cache"
    )


def load(config: Path | None) -> LoadedConfig:
    path = config if config is not None else find_config(Path.cwd())
    if path is None:
        raise FitnessError(
            "no pyproject.toml with a [tool.fitness] table in this directory or its parents "
            "(use --config PATH)"
        )
    if path.is_dir():
        path = path / "pyproject.toml"
    return load_config(path)
