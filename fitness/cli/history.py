"""``fitness history``: the rules' violations and the metrics at each commit."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from fitness.adapters.cache_store import CacheOpening, open_cache
from fitness.adapters.config.pyproject import read_table
from fitness.adapters.config.source import FileConfigSource, load_config
from fitness.adapters.config.text import read_config_text
from fitness.adapters.git import GitRepository
from fitness.adapters.history_cache import HistoryCacheDir, configuration_fingerprint
from fitness.adapters.reporters import history as formats
from fitness.adapters.reporters.files import write_report
from fitness.adapters.reporters.trend import render_page
from fitness.application.history import Selection, compute_history
from fitness.cli.common import EXIT_OK, NO_CONFIGURATION, add_config_options
from fitness.cli.options import add_depth_option, add_format_option, add_output_option, positive
from fitness.domain.config import DEFAULT_CACHE_DIR
from fitness.domain.errors import FitnessError
from fitness.domain.rendering import printable_line

if TYPE_CHECKING:
    from fitness.application.history import History
    from fitness.domain.history import Commit


#: Which configuration measures each commit (``--config-from``).
CONFIG_SOURCES = ("today", "committed")

_UNITS = {"h": 3600, "d": 86400, "w": 7 * 86400}


def interval(text: str) -> int:
    """``--every``: a number and a unit, h (hours), d (days) or w (weeks): seconds."""
    match = re.fullmatch(r"\s*(\d+)\s*([hdw])\s*", text.lower())
    if match is None or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(
            printable_line(f"not an interval: '{text}' (a number and a unit: 12h, 1d, 2w)")
        )
    return int(match.group(1)) * _UNITS[match.group(2)]


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--last",
        type=positive,
        metavar="N",
        help="the N newest commits (default 20 without --since)",
    )
    parser.add_argument(
        "--since",
        metavar="REV|DATE",
        help="from this revision (itself included) or date (YYYY-MM-DD) on",
    )
    parser.add_argument(
        "--until", metavar="REV", default="HEAD", help="up to this revision (default HEAD)"
    )
    parser.add_argument(
        "--every",
        type=interval,
        metavar="INTERVAL",
        help="at most one commit per interval (12h, 1d, 2w; the newest is always kept)",
    )


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Measure the commits of the first-parent line (the newest 20 by "
        "default): every rule's violations (the baseline not applied), the system metrics "
        "(propagation cost, NCCD, largest cycle group, modularity) and each package's "
        "instability and distance, each commit measured with today's configuration (or "
        "its own: --config-from committed). The commits are read from git, the working tree "
        "and the index are not touched; what was measured is cached per commit. A commit "
        "that cannot be measured (code that cannot be parsed; with its own configuration, "
        "none or an invalid one) is a row saying so."
    )
    add_config_options(parser)
    parser.add_argument(
        "--config-from",
        choices=CONFIG_SOURCES,
        default="today",
        help="measure every commit with today's configuration (default: the working "
        "tree's file, its rules and plugins), or each with its own committed one",
    )
    add_selection_options(parser)
    add_format_option(parser, "history")
    add_depth_option(parser)
    add_output_option(parser, "the history")
    parser.set_defaults(run=run)


def selection_of(args: argparse.Namespace) -> Selection:

    return Selection(since=args.since, until=args.until, last=args.last, every=args.every)


def run(args: argparse.Namespace) -> int:

    config_path = config_of(args.config)
    history = measure_history(
        config_path,
        selection_of(args),
        depth=args.depth,
        use_cache=not args.no_cache,
        committed=args.config_from == "committed",
    )
    rows = history.rows
    if args.format == "html":
        text = render_page(rows, title=f"Architecture history of {config_path.parent.name}")
    else:
        text = {
            "text": formats.render_text,
            "csv": formats.render_csv,
            "json": formats.render_json,
        }[args.format](rows)
    if args.output is not None:
        write_report(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def config_of(given: Path | None) -> Path:
    """The configuration file whose history is measured (it need not be valid now)."""

    path = FileConfigSource().find(given)
    if path is None:
        raise FitnessError(NO_CONFIGURATION)
    if not path.is_file():
        hint = ""
        if given is not None and given.name in CONFIG_SOURCES and given == Path(given.name):
            hint = f" (to say which configuration measures each commit: --config-from {given})"
        raise FitnessError(f"{path}: no such file{hint}")
    return path


def measure_history(
    config_path: Path,
    selection: Selection,
    *,
    depth: int,
    use_cache: bool = True,
    stream: TextIO | None = None,
    committed: bool = False,
) -> History:
    """The history of the project configured in ``config_path``, a progress bar on
    ``stream`` (standard error) when it is a terminal. Every commit is measured with the
    configuration in ``config_path`` (today's: it must be valid; its plugins, installed or
    the project's own, are loaded once from here, as ``fitness check`` loads them), or
    with its own (``committed``: its place only is read from ``config_path``)."""

    today = None if committed else load_config(config_path)
    cache_dir = _cache_dir(config_path) if today is None else today.config.cache_dir
    opening = open_cache(config_path.parent, cache_dir) if use_cache else CacheOpening(None)
    store = opening.store
    repository = GitRepository(config_path, cache_dir=store, today=today)
    cache = None
    if store is not None:
        cache = HistoryCacheDir(
            store,
            depth=depth,
            config=f"{repository.prefix}/{repository.config_name}".lstrip("/"),
            today=None
            if today is None
            else configuration_fingerprint(today.path, today.text or read_config_text(today.path)),
        )
    output = sys.stderr if stream is None else stream
    progress = ProgressBar(output)
    try:
        return compute_history(repository, cache, selection, depth=depth, progress=progress)
    finally:
        progress.done()
        note = opening.note or (store.note() if store is not None else None)
        if note is not None:
            output.write(printable_line(f"fitness: note: {note}") + "\n")


def _cache_dir(config_path: Path) -> str:
    """The project's ``cache_dir`` (the default one if the configuration cannot be read
    now: its history can still be measured). Only the setting is read: nothing is
    imported, not even the project's plugins."""

    try:
        value = read_table(config_path)[1].get("cache_dir", DEFAULT_CACHE_DIR)
    except FitnessError:
        value = DEFAULT_CACHE_DIR
    return value if isinstance(value, str) else DEFAULT_CACHE_DIR


class ProgressBar:
    """``fitness: [#####     ] 12/50 abc1234567`` on an interactive terminal, rewritten
    in place; nothing otherwise."""

    WIDTH = 24

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self._shown = 0

    def __call__(self, done: int, total: int, commit: Commit) -> None:
        if not self.enabled:
            return
        filled = self.WIDTH * done // max(total, 1)
        line = (
            f"fitness: [{'#' * filled}{' ' * (self.WIDTH - filled)}] {done}/{total} {commit.short}"
        )
        self.stream.write("\r" + line.ljust(self._shown))
        self._shown = len(line)
        self.stream.flush()

    def done(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
