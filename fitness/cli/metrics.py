"""``fitness metrics``: every coupling and cohesion metric, per package and for the system."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from fitness.adapters.reporters.files import write_report
from fitness.adapters.session import GraphSession
from fitness.application.metrics import compute_metrics
from fitness.cli.common import EXIT_OK, add_config_options, load, print_cache_notes
from fitness.cli.options import add_depth_option, add_format_option, add_output_option
from fitness.domain.rendering import format_value

if TYPE_CHECKING:
    from fitness.domain.metrics.report import MetricsReport


#: The package columns: (heading, attribute) in the order they are printed.
COLUMNS = (
    ("package", "package"),
    ("modules", "modules"),
    ("classes", "classes"),
    ("abstract", "abstract_classes"),
    ("Ca", "afferent"),
    ("Ce", "efferent"),
    ("I", "instability"),
    ("A", "abstractness"),
    ("D", "distance"),
    ("H", "relational_cohesion"),
    ("LCOM4", "max_lcom4"),
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print Martin's package metrics (Ca, Ce, I, A, D), relational cohesion H "
        "and the worst LCOM4 per package, and the system's propagation cost, CCD, ACD, NCCD, "
        "largest cycle group and modularity. Undefined values show as 'undefined'."
    )
    add_config_options(parser)
    add_format_option(parser, "metrics")
    add_depth_option(parser, default=None)
    add_output_option(parser, "the metrics")
    parser.add_argument(
        "--include-external",
        action="store_true",
        help="count external packages in Ca and Ce (needs include_external_packages)",
    )
    parser.add_argument(
        "--count-self",
        action="store_true",
        help="propagation cost counts each module as reaching itself (MacCormack et al.)",
    )
    parser.add_argument(
        "--declared-abstract-only",
        action="store_true",
        help="count as abstract only Protocols, ABCs and classes with abstract methods, "
        "not those whose public methods only raise NotImplementedError",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    loaded = load(args.config)
    progress = _Progress(sys.stderr)
    session = GraphSession(
        loaded, use_cache=not args.no_cache, progress=progress if progress.enabled else None
    )
    try:
        report = compute_metrics(
            session,
            depth=args.depth,
            include_external=args.include_external,
            count_self=args.count_self,
            not_implemented_is_abstract=not args.declared_abstract_only,
            say=progress.say,
        )
    finally:
        progress.done()
        print_cache_notes(session)
    renderers: dict[str, Callable[[MetricsReport], str]] = {
        "text": render_text,
        "json": render_json,
        "csv": render_csv,
    }
    text = renderers[args.format](report)
    if args.output is not None:
        write_report(args.output, text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


class _Progress:
    """One status line on an interactive terminal, rewritten in place; nothing otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self._width = 0

    def say(self, text: str) -> None:
        if self.enabled:
            line = f"fitness: {text}..."
            self.stream.write("\r" + line.ljust(self._width))
            self._width = len(line)
            self.stream.flush()

    def __call__(self, done: int, total: int) -> None:
        if done == total or done % 25 == 0:
            self.say(f"reading classes {done}/{total}")

    def done(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


# Rendering -----------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float | int) and not isinstance(value, bool)):
        return format_value(value)
    return str(value)


def render_text(report: MetricsReport) -> str:
    external = "counted" if report.include_external else "not counted"
    lines = [f"Packages at depth {report.depth} (external packages {external} in Ca and Ce)", ""]
    rows = [[heading for heading, _ in COLUMNS]]
    for package in report.packages:
        rows.append([_cell(getattr(package, attribute)) for _, attribute in COLUMNS])
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())

    incoherent = [c for c in report.classes if not c.abstract and (c.lcom4 or 0) > 1]
    if incoherent:
        lines += ["", "Classes with LCOM4 > 1 (independent groups of methods)", ""]
        width = max(len(c.name) for c in incoherent)
        for item in sorted(incoherent, key=lambda c: (-(c.lcom4 or 0), c.name)):
            lines.append(f"{item.name.ljust(width)}  {item.lcom4}")

    system = report.system
    cost = system.propagation_cost
    variant = (
        "each module counted as reaching itself"
        if system.propagation_cost_counts_self
        else "a module reaches itself only through a cycle"
    )
    figures = [
        (
            "propagation cost",
            f"{format_value(cost)} ({cost:.1%}; {variant})" if cost is not None else "undefined",
        ),
        ("CCD", format_value(system.cumulative_component_dependency)),
        ("ACD", format_value(system.average_component_dependency)),
        ("NCCD", format_value(system.normalized_cumulative_component_dependency)),
        ("largest cycle group", f"{system.largest_cycle_group} modules"),
        ("modularity Q (package partition)", format_value(system.modularity)),
    ]
    width = max(len(name) for name, _ in figures)
    lines += ["", f"System ({system.modules} modules, {system.packages} packages)", ""]
    lines += [f"{name.ljust(width)}  {value}" for name, value in figures]
    lines.append("")
    lines.append(
        "Ca/Ce: packages depending on it / it depends on; I = Ce/(Ca+Ce); A = abstract/classes;"
    )
    lines.append("D = |A+I-1|; H = (R+1)/N; LCOM4: the worst concrete class. See docs/metrics.md.")
    return "\n".join(lines) + "\n"


def render_json(report: MetricsReport) -> str:
    return json.dumps(report.to_data(), indent=2, sort_keys=False) + "\n"


def render_csv(report: MetricsReport) -> str:
    """One row per measured value, ``scope,name,metric,value`` (an empty value is
    undefined), so packages, classes and the system fit one table."""
    buffer = io.StringIO()

    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scope", "name", "metric", "value"])
    for package in report.packages:
        for _, attribute in COLUMNS[1:]:
            writer.writerow(
                ["package", package.package, attribute, _csv(getattr(package, attribute))]
            )
    for item in report.classes:
        writer.writerow(["class", item.name, "abstract", _csv(item.abstract)])
        writer.writerow(["class", item.name, "lcom4", _csv(item.lcom4)])
    system = report.to_data()["system"]
    for key, value in system.items():
        writer.writerow(["system", "", key, _csv(value)])
    return buffer.getvalue()


def _csv(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)
