"""``fitness report --html FILE``: one self-contained HTML page about the architecture."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from fitness.cli.common import EXIT_OK, add_config_options, load
from fitness.cli.graph import positive
from fitness.domain.errors import FitnessError


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report",
        help="write an HTML report: violations, dependency matrix, layered graph, metrics",
        description="Write one self-contained HTML file (no network access needed): the "
        "rules and their violations with chains, a dependency structure matrix, the "
        "layered graph, the main-sequence chart and the metrics table.",
    )
    add_config_options(parser)
    parser.add_argument(
        "--html", metavar="FILE", type=Path, required=True, help="the file to write"
    )
    parser.add_argument(
        "--depth", type=positive, default=2, help="packages are modules at this depth (default 2)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="ignore the baseline")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from fitness.adapters.baseline import active_baseline
    from fitness.adapters.reporters.diagram import build_diagram
    from fitness.adapters.reporters.files import context_for, write_report
    from fitness.adapters.reporters.html import HtmlReport, render_html
    from fitness.adapters.session import GraphSession
    from fitness.application.checking import check_rules
    from fitness.domain.baseline import apply_baseline
    from fitness.domain.metrics.report import measure

    loaded = load(args.config)
    baseline = None if args.no_baseline else active_baseline(loaded)[1]
    graph = GraphSession(loaded, use_cache=not args.no_cache).graph()
    found = check_rules(loaded.config.rules, graph)
    results = [apply_baseline(r, baseline).result for r in found] if baseline else found
    diagram = build_diagram(graph, loaded.config.rules, found, depth=args.depth)
    if not diagram.nodes:
        raise FitnessError(f"the graph has no modules at depth {args.depth}")
    metrics = measure(graph, graph.class_facts(), depth=args.depth)
    roots = ", ".join(loaded.config.graph.root_packages)
    report = HtmlReport(
        title=f"Architecture of {roots}",
        results=results,
        diagram=diagram,
        metrics=metrics,
        context=context_for(loaded),
    )
    write_report(args.html, render_html(report))
    sys.stdout.write(f"fitness: wrote {args.html}\n")
    return EXIT_OK
