"""``fitness baseline``: record every current violation, so that only new ones fail."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fitness.adapters.session import GraphSession
from fitness.application.baseline import record_all
from fitness.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    add_config_options,
    load,
    print_cache_notes,
    say,
)
from fitness.cli.options import add_verbosity_options

if TYPE_CHECKING:
    from fitness.domain.violations import RuleResult


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Check every rule and write its violations to the baseline file, import "
        "by import (for each chain: its first and last module, and whether it is direct; "
        "never line numbers) (default fitness-baseline.json next to pyproject.toml, or "
        "`baseline` in [tool.fitness]). Fixed violations are dropped."
    )
    add_config_options(parser)
    parser.add_argument(
        "-o",
        "--output",
        "--baseline",
        dest="baseline",
        metavar="FILE",
        type=Path,
        help="the file to write (default: `baseline` in [tool.fitness], else "
        "fitness-baseline.json)",
    )
    add_verbosity_options(
        parser,
        quiet="print nothing on success",
        verbose="also print how many violations each rule has",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace the file even if it is not a fitness baseline (never the configuration)",
    )
    parser.set_defaults(run=run)


def shown(path: Path) -> str:
    """``path`` relative to the current directory when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def run(args: argparse.Namespace) -> int:

    loaded = load(args.config)
    session = GraphSession(loaded, use_cache=not args.no_cache, baseline=args.baseline)
    store = session.baseline_file(force=args.force)
    update = record_all(session, store)
    print_cache_notes(session)
    for result in update.errors:
        for error in result.errors:
            say(f"fitness: error: {result.rule_name}: {error}")
    if update.written is None:
        sys.stderr.write("fitness: the baseline was not written: fix the errors first\n")
        return EXIT_USAGE
    new = update.written
    count = new.violation_count
    rules = len({e.rule for e in new.entries})
    measured = f", metrics of {len(new.metrics)} rules" if new.metrics else ""
    if args.verbose:
        for result in update.results:
            found = len(result.violations)
            say(f"{found:>6} {result.rule_name}", sys.stdout)
    _warn_not_recorded(update.results)
    if args.quiet:
        return EXIT_OK
    say(
        f"fitness: wrote {shown(store.path)} ({count} violation{'s' if count != 1 else ''} "
        f"of {rules} rule{'s' if rules != 1 else ''}{measured})",
        sys.stdout,
    )
    return EXIT_OK


def _warn_not_recorded(results: Sequence[RuleResult]) -> None:
    """Say which violations the baseline leaves out (a strangler fig's replacement that
    imports the legacy code): `fitness check` goes on failing on them, even right after."""
    for result in results:
        never = result.not_baselined or frozenset()
        left = [v for v in result.violations if (v.importer, v.imported) in never]
        if left:
            say(
                f"fitness: warning: {result.rule_name}: {len(left)} "
                f"violation{'s' if len(left) != 1 else ''} not recorded: no baseline "
                f"forgives {'them' if len(left) != 1 else 'it'}, so `fitness check` fails "
                f"until {'they are' if len(left) != 1 else 'it is'} fixed "
                f"({', '.join(sorted(f'{v.importer} -> {v.imported}' for v in left))})"
            )
