"""``fitness coverage``: the modules no rule governs, by package, with the share governed."""

from __future__ import annotations

import argparse
import json
import sys

from fitness.adapters.reporters.files import write_report
from fitness.adapters.session import GraphSession
from fitness.application.coverage import project_coverage
from fitness.cli.common import EXIT_OK, add_config_options, load
from fitness.cli.options import add_depth_option, add_format_option, add_output_option
from fitness.domain.coverage import Coverage, format_share
from fitness.domain.rendering import printable_line

#: The text lists at most this many ungoverned entries (JSON lists them all).
MAX_LISTED = 50


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Architecture coverage: a module is governed when it lies in the scope of "
        "at least one rule of [tool.fitness] (a layer, a forbidden rule's source modules, a "
        "bounded context, the modules a classes rule selects...); a package when every module "
        "in it is. The modules no rule governs are green by omission: new code there is "
        "checked by nothing. require_coverage makes `fitness check` and pytest fail on them."
    )
    add_config_options(parser)
    add_format_option(parser, "coverage")
    add_depth_option(parser)
    add_output_option(parser, "the coverage")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    loaded = load(args.config)
    coverage, required = project_coverage(GraphSession(loaded, use_cache=not args.no_cache))
    if args.format == "json":
        text = render_json(coverage, required, depth=args.depth)
    else:
        text = render_text(coverage, required, depth=args.depth)
    if args.output is not None:
        write_report(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def render_text(coverage: Coverage, required: float | None, *, depth: int) -> str:
    total = len(coverage.modules)
    lines = [
        f"Architecture coverage: {coverage.governed_count} of {total} module"
        f"{'s' if total != 1 else ''} governed by a rule ({format_share(coverage.share)})"
    ]
    if required is not None:
        met = not coverage.ungoverned if required >= 1 else coverage.share >= required
        asked = "all" if required >= 1 else f"at least {format_share(required)}"
        lines.append(f"require_coverage: {asked} ({'met' if met else 'NOT met'})")
    rows = [("package", "modules", "governed", "share")]
    rows += [
        (p.package, str(p.modules), str(p.governed), format_share(p.share))
        for p in coverage.packages(depth)
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines.append("")
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
    spots = coverage.spots()
    lines.append("")
    if not spots:
        lines.append("Every module is governed by at least one rule.")
    else:
        count = len(coverage.ungoverned)
        lines.append(f"Governed by no rule ({count} module{'s' if count != 1 else ''}):")
        lines += [f"  {spot.describe()}" for spot in spots[:MAX_LISTED]]
        if len(spots) > MAX_LISTED:
            lines.append(f"  ... and {len(spots) - MAX_LISTED} more (--format json lists them all)")
        lines += [
            "",
            "Place them in the architecture: name each (or a package above it) in a rule.",
        ]
    if coverage.silent_rules:
        lines += ["", "Rules that do not say what they govern (counted as governing nothing):"]
        lines += [f"  '{name}' (type {type_name})" for name, type_name in coverage.silent_rules]
    return "".join(printable_line(line) + "\n" for line in lines)


def render_json(coverage: Coverage, required: float | None, *, depth: int) -> str:
    data = {
        "modules": len(coverage.modules),
        "governed": coverage.governed_count,
        "share": round(coverage.share, 6),
        "required": required,
        "depth": depth,
        "packages": [
            {
                "package": p.package,
                "modules": p.modules,
                "governed": p.governed,
                "share": round(p.share, 6),
            }
            for p in coverage.packages(depth)
        ],
        "ungoverned": [
            {"name": spot.name, "modules": spot.modules, "partly": spot.partly}
            for spot in coverage.spots()
        ],
        "ungoverned_modules": list(coverage.ungoverned),
        "silent_rules": [{"name": n, "type": t} for n, t in coverage.silent_rules],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
