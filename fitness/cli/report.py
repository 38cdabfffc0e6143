"""``fitness report -o FILE``: one self-contained HTML page about the architecture.

Its exit status is that of ``fitness check``: 0 every rule holds, 1 a rule is
broken, 2 bad input (a rule that cannot be checked). The report is written in
every case: a broken rule is what a reader of it most needs to see.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fitness._lazy import LazyModule
from fitness.adapters.reporters.coverage import coverage_body
from fitness.adapters.reporters.diagram import build_diagram
from fitness.adapters.reporters.files import context_for, write_report
from fitness.adapters.reporters.html import HtmlReport, Section, render_html
from fitness.adapters.reporters.text import status_of, summary_line
from fitness.adapters.reporters.trend import trend_body
from fitness.adapters.session import GraphSession
from fitness.application.history import Selection
from fitness.application.report import build_report
from fitness.cli.common import (
    EXIT_BROKEN,
    EXIT_OK,
    EXIT_USAGE,
    add_config_options,
    load,
    print_cache_notes,
    say,
)
from fitness.cli.history import measure_history
from fitness.cli.options import (
    add_depth_option,
    add_new_since_option,
    add_output_option,
    add_verbosity_options,
    positive,
)
from fitness.domain.errors import FitnessError

# (only with --new-since: reading the revision's history imports git and the metrics,
# about 90 ms)
if TYPE_CHECKING:
    from fitness.adapters import revision as _revision
else:
    _revision = LazyModule("fitness.adapters.revision")


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write one self-contained HTML file (no network access needed): the "
        "rules and their violations with chains (the baselined ones listed too), a "
        "dependency structure matrix that expands by package, the package graph and a "
        "view per rule (pan, zoom, search), the main-sequence chart and the metrics "
        "table. The exit status is that of `fitness check`; the file is written in "
        "every case."
    )
    add_config_options(parser)
    add_output_option(parser, "the HTML report")
    parser.add_argument(
        "--html", metavar="FILE", type=Path, dest="html", help="deprecated: use -o/--output FILE"
    )
    add_depth_option(parser)
    parser.add_argument("--no-baseline", action="store_true", help="ignore the baseline")
    add_new_since_option(parser)
    parser.add_argument(
        "--history",
        nargs="?",
        const=20,
        type=positive,
        metavar="N",
        help="add a Trend section: the last N commits (default 20) as `fitness history` "
        "measures them (cached rows reused)",
    )
    add_verbosity_options(
        parser,
        quiet="print nothing on success",
        verbose="also print the verdict of each rule",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    target = _target(args)
    loaded = load(args.config)
    session = GraphSession(loaded, use_cache=not args.no_cache)
    known_at = None
    if args.new_since is not None:
        known_at = _revision.measure_known_at(loaded, args.new_since, session.cache())
    data = build_report(
        session, depth=args.depth, use_baseline=not args.no_baseline, known_at=known_at
    )
    print_cache_notes(session)
    diagram = build_diagram(data.graph, data.rules, data.results, depth=args.depth)
    if not diagram.nodes:
        raise FitnessError(f"the graph has no modules at depth {args.depth}")
    modules = build_diagram(data.graph, data.rules, data.results, depth=None)
    results = data.results
    report = HtmlReport(
        title=data.title,
        results=results,
        diagram=diagram,
        metrics=data.metrics,
        context=context_for(loaded),
        sections=[
            *(
                [Section("coverage", "Coverage", coverage_body(data.coverage, args.depth))]
                if data.coverage
                else []
            ),
            *([Section("trend", "Trend", _trend(loaded.path, args))] if args.history else []),
        ],
        modules=modules,
        baselined=data.baselined(),
        progress=data.progress(),
    )
    write_report(target, render_html(report))
    if args.verbose:
        for result in results:
            say(f"{status_of(result):<6} {result.rule_name}", sys.stdout)
        sys.stdout.write(summary_line(results) + "\n")
    if not args.quiet:
        say(f"fitness: wrote {target}", sys.stdout)
    if any(r.errors for r in results):
        return EXIT_USAGE
    return EXIT_BROKEN if any(r.fails for r in results) else EXIT_OK


def _trend(config_path: Path, args: argparse.Namespace) -> str:
    """The Trend section: the last ``--history N`` commits, as ``fitness history``."""

    history = measure_history(
        config_path, Selection(last=args.history), depth=args.depth, use_cache=not args.no_cache
    )
    return trend_body(history.rows)


def _target(args: argparse.Namespace) -> Path:
    """The file to write: ``-o FILE``, or the deprecated ``--html FILE``."""
    if args.output is not None and args.html is not None and args.output != args.html:
        raise FitnessError("give the file once: -o/--output FILE (--html is its old name)")
    target: Path | None = args.output if args.output is not None else args.html
    if target is None:
        raise FitnessError("fitness report: say where to write the report: -o/--output FILE")
    if args.output is None:
        sys.stderr.write("fitness: warning: --html FILE is deprecated; use -o/--output FILE\n")
    return target
