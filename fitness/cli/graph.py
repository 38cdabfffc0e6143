"""``fitness graph``: the import graph as DOT or Mermaid, layers as clusters, violations red."""

from __future__ import annotations

import argparse
import sys

from fitness.adapters.reporters.diagram import build_diagram
from fitness.adapters.reporters.dot import render_dot
from fitness.adapters.reporters.files import write_report
from fitness.adapters.reporters.mermaid import render_mermaid
from fitness.adapters.session import GraphSession
from fitness.application.checking import check_rules
from fitness.cli.common import EXIT_OK, add_config_options, load, print_cache_notes
from fitness.cli.options import add_depth_option, add_format_option, add_output_option
from fitness.domain.errors import FitnessError


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Export the import graph of the root packages, collapsed to --depth, "
        "with the layers of the `layers` rules as clusters and the imports of every "
        "violation's chain in red."
    )
    add_config_options(parser)
    add_format_option(parser, "graph")
    add_depth_option(parser)
    parser.add_argument(
        "--external", action="store_true", help="include third-party and standard-library nodes"
    )
    add_output_option(parser, "the graph")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    loaded = load(args.config)
    session = GraphSession(loaded, use_cache=not args.no_cache)
    graph = session.graph()
    print_cache_notes(session)
    results = check_rules(loaded.config.rules, graph)
    diagram = build_diagram(
        graph, loaded.config.rules, results, depth=args.depth, external=args.external
    )
    if not diagram.nodes:
        raise FitnessError(f"the graph has no modules at depth {args.depth}")
    text = render_dot(diagram) if args.format == "dot" else render_mermaid(diagram)
    if args.output is not None:
        write_report(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_OK
