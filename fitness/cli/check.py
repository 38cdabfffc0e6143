"""``fitness check``: the same rules as the pytest items, without pytest."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fitness.adapters.session import GraphSession
from fitness.adapters.text import render_report
from fitness.application.checking import check_rules
from fitness.cli.common import EXIT_BROKEN, EXIT_OK, EXIT_USAGE, add_config_options, load


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        help="check every rule; exit 0 if all hold, 1 if any is broken, 2 on bad input",
        description="Check every rule of [tool.fitness] against the import graph.",
    )
    add_config_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    loaded = load(args.config)
    session = GraphSession(loaded, use_cache=not args.no_cache)
    graph = session.graph()
    results = check_rules(loaded.config.rules, graph)
    sys.stdout.write(render_report(results, graph.dynamic_imports))
    if any(r.errors for r in results):
        return EXIT_USAGE
    return EXIT_BROKEN if any(r.violations for r in results) else EXIT_OK
