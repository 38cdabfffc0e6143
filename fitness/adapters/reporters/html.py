"""The HTML report: one self-contained file (inline CSS, JS, data and SVG; nothing fetched).

Sections, each of which collapses: the rules and their violations with chains (and
the violations the baseline forgives, listed); any extra :class:`Section` a caller
adds (such as a trend over time); a dependency structure matrix that expands and
collapses by package; the graphs (the packages at the report's depth, and one view
per rule with the modules of its violations' chains), with pan, zoom and search;
the main-sequence chart; the metrics table.

The graphs are drawn by Cytoscape.js with the dagre layered layout, both vendored
in ``vendor/`` (see its README) and inlined. The matrix and the graphs are built in
the page from one JSON document (:mod:`~fitness.adapters.reporters.html_model`).
Pure: it renders data that the caller has gathered; the same data, the same bytes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from fitness.adapters.reporters.context import ReportContext, known_count, stale_entries
from fitness.adapters.reporters.diagram import Diagram
from fitness.adapters.reporters.html_model import report_model, to_script_json
from fitness.adapters.reporters.migration import progress_section
from fitness.adapters.reporters.text import status_of, summary_line
from fitness.application.report import Progress
from fitness.domain.metrics.report import MetricsReport, PackageMetrics
from fitness.domain.rendering import format_value, is_url, printable, quote_source, sentence
from fitness.domain.violations import RuleResult, Violation

#: Nothing may be fetched: inline styles and scripts only.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
#: The vendored scripts, in the order they are loaded (see vendor/README.md).
VENDORED = ("cytoscape.min.js", "cytoscape-dagre.min.js")
#: A rule's violations are shown open when there are at most this many.
OPEN_UP_TO = 20
#: Of each rule's violations (and baselined ones), so many are shown with their chains and
#: import sites, so many listed in all (one line each after the first), for a compact file.
DETAILED, LISTED = 50, 1000


@dataclass(frozen=True)
class Section:
    """A section another module adds to the report (after the rules), such as a trend.

    ``html`` is inserted as it is: its author escapes what it shows (with :func:`e`).
    It may hold its own ``<script>`` (inline only: the page fetches nothing).
    """

    id: str
    title: str
    html: str


@dataclass(frozen=True)
class HtmlReport:
    title: str
    results: Sequence[RuleResult]
    #: The packages at the report's depth (the package graph).
    diagram: Diagram
    metrics: MetricsReport | None = None
    context: ReportContext = field(default_factory=ReportContext)
    #: Every module (``build_diagram(..., depth=None)``), for the matrix; without it,
    #: the matrix shows the packages of ``diagram``.
    modules: Diagram | None = None
    #: Each rule's violations that the baseline forgave (``ReportData.baselined()``).
    baselined: Mapping[str, Sequence[Violation]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    #: Optional sections from other modules, shown after the rules, in this order.
    sections: Sequence[Section] = ()
    #: Each rule's ratchet: how much of its baseline is fixed (``ReportData.progress()``).
    progress: Sequence[Progress] = ()


def e(value: object) -> str:
    """Text safe in HTML: markup escaped, control characters written as escapes."""
    return html.escape(printable(str(value)), quote=True)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@cache
def asset(name: str) -> str:
    """A file shipped beside this module (the page's script and style, the vendored
    libraries), without a source-map comment (there is no map to fetch)."""
    folder = resources.files("fitness.adapters.reporters")
    path = folder / "vendor" / name if name in VENDORED else folder / name
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("//# sourceMappingURL=")]
    # A raw control character (dagre writes one into a string literal) as its escape,
    # which means the same in a JavaScript string: the page holds none raw.
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", "\n".join(lines))


def _details(section_id: str, title: str, body: str) -> str:
    """A section that collapses (open at first)."""
    return (
        f'<section id="{e(section_id)}"><details open><summary><h2>{e(title)}</h2></summary>'
        f"{body}</details></section>"
    )


# Rules and violations -------------------------------------------------------------------


def _violations(violations: Sequence[Violation], context: ReportContext, css: str) -> list[str]:
    """The first :data:`DETAILED` violations with their chains and import sites, the
    next ones to :data:`LISTED` on one line each, then how many more there are."""
    parts = [f'<ul class="{css}">']
    for number, violation in enumerate(violations[:LISTED]):
        parts.append(f'<li class="violation"><strong>{e(violation.summary)}</strong>')
        if number >= DETAILED:
            if violation.chains:
                more = len(violation.chains) - 1
                extra = f" (and {more} more chain(s))" if more else ""
                parts.append(f' <code class="brief">{e(violation.chains[0])}</code>{extra}')
            parts.append("</li>")
            continue
        for chain in violation.chains:
            parts.append(f'<ul class="chain"><li><code>{e(chain)}</code><ul>')
            for link in chain.links:
                where = context.path(link.location)
                parts.append(
                    f'<li class="site"><code>{e(where)}</code> '
                    f'<span class="muted">{e(quote_source(link.code))}</span>'
                    + (f" <em>{e(link.mark)}</em>" if link.mark else "")
                    + "</li>"
                )
            parts.append("</ul></li></ul>")
        parts.append("</li>")
    parts.append("</ul>")
    if len(violations) > LISTED:
        parts.append(
            f'<p class="muted more">and {len(violations) - LISTED} more: '
            "<code>fitness check --format json</code> lists every one.</p>"
        )
    return parts


def _progress(progress: Sequence[Progress]) -> list[str]:
    """The ratchets as progress: the share of each rule's baseline that is fixed, and its
    recorded metrics against today's."""
    if not progress:
        return []
    rows = []
    for item in progress:
        if item.recorded:
            share = round(100 * item.fixed / item.recorded)
            rows.append(
                f'<tr data-rule="{e(item.rule)}"><td>{e(item.rule)}</td><td>'
                f'<progress max="{item.recorded}" value="{item.fixed}"></progress> '
                f"{item.fixed} of {item.recorded} baselined chain(s) fixed ({share} %), "
                f"{item.recorded - item.fixed} left</td></tr>"
            )
        for metric in item.metrics:
            rows.append(
                f'<tr data-rule="{e(item.rule)}" data-metric="{e(metric.name)}">'
                f"<td>{e(item.rule)}</td><td>{e(metric.name)}: {e(format_value(metric.now))} "
                f"(recorded {e(format_value(metric.recorded))}, "
                f'<span class="{metric.change}">{metric.change}</span>)</td></tr>'
            )
    return [
        '<h3>Ratchets</h3><p class="muted">What the baseline recorded for each rule, and how '
        "much of it is fixed; it only shrinks (<code>fitness baseline</code> after a fix). "
        "A recorded metric may not get worse.</p>",
        '<table id="progress-table"><tbody>',
        *rows,
        "</tbody></table>",
    ]


def _rules_section(
    results: Sequence[RuleResult],
    context: ReportContext,
    baselined: Mapping[str, Sequence[Violation]],
    progress: Sequence[Progress] = (),
) -> str:
    rows = []
    since = next((r.since for r in results if r.since is not None), None)
    for result in results:
        status = status_of(result)
        existed = f'<td class="num">{result.since.existed if result.since else 0}</td>'
        rows.append(
            f'<tr data-rule="{e(result.rule_name)}"><td class="status {status}">{status}</td>'
            f"<td>{e(result.rule_name)}</td><td>{e(result.rule_type)}</td>"
            f'<td class="num">{len(result.violations)}</td>'
            f'<td class="num">{known_count(result)}</td>'
            f'<td class="num">{len(stale_entries(result))}</td>'
            f"{existed if since is not None else ''}</tr>"
        )
    headers = ["status", "rule", "type", "violations", "in baseline", "fixed"]
    if since is not None:
        headers[3] = f"new since {e(since.revision)}"
        headers.append(f"existed at {e(since.revision)}")
    # What the baseline forgave, and with --new-since what existed at the revision.
    known = "in the baseline" if since is None else f"known (baseline, or at {e(since.revision)})"
    parts = [
        f'<p class="summary">{e(summary_line(results))}</p>',
        '<table id="rules-table" class="sortable"><thead><tr>'
        + "".join(f'<th class="sortable">{h}</th>' for h in headers)
        + "</tr></thead><tbody>",
        *rows,
        "</tbody></table>",
        *_progress(progress),
    ]
    for index, result in enumerate(results):
        forgiven = baselined.get(result.rule_name, ())
        if result.passed and not result.warnings and not forgiven:
            continue
        status = status_of(result)
        is_open = " open" if len(result.violations) <= OPEN_UP_TO else ""
        parts.append(f'<details class="rule" data-rule="{e(result.rule_name)}"{is_open}>')
        parts.append(
            f'<summary><span class="status {status}">{status}</span> '
            f"<strong>{e(result.rule_name)}</strong> "
            f'<span class="muted">{len(result.violations)} violation(s)'
            f"{f', {len(forgiven)} {known}' if forgiven else ''}</span></summary>"
        )
        parts.append(f"<p>{e(sentence(result.description))}</p>")
        if result.adr:
            adr = context.adr(result.adr)
            shown = f'<a href="{e(adr)}">{e(adr)}</a>' if is_url(adr) else f"<code>{e(adr)}</code>"
            parts.append(f'<p class="adr">Decision record: {shown}</p>')
        if any(v.chains for v in (*result.violations, *forgiven)):
            parts.append(
                f'<p><button type="button" class="show-view" data-view="rule:{index}">'
                "Show its chains in the graph</button></p>"
            )
        for error in result.errors:
            parts.append(f'<p class="ERROR">error: {e(error)}</p>')
        if result.violations:
            parts += _violations(result.violations, context, "violations")
            if result.guidance:
                parts.append(f"<p><em>How to fix:</em> {e(result.guidance)}</p>")
        for warning in result.warnings:
            parts.append(f'<p class="ERROR">warning: {e(warning)}</p>')
        if forgiven:
            parts.append(
                f'<details class="baselined"><summary>{len(forgiven)} violation(s) {known} '
                "(forgiven, listed here so that they are not forgotten)</summary>"
            )
            parts += _violations(forgiven, context, "baselined-violations")
            parts.append("</details>")
        parts.append("</details>")
    return _details("rules", "Rules", "\n".join(parts))


# Dependency structure matrix and graphs ---------------------------------------------------


def _dsm_section(depth: int | None) -> str:
    return _details(
        "dsm",
        "Dependency structure matrix",
        f'<p class="muted">Packages at depth {e(depth)}, from the top layer down; click '
        "&#9656; to expand a package into its modules and subpackages, &#9662; to collapse "
        "it. A number in row <em>r</em>, column <em>c</em>: how many module imports "
        "<em>r</em> makes of <em>c</em>. Above the diagonal: downward dependencies; below: "
        'upward ones. <span class="key bad">red</span>: part of a reported violation; '
        '<span class="key known">amber</span>: of a baselined one; '
        '<span class="key cycle">orange outline</span>: an upward import that closes a '
        "cycle.</p>"
        '<div class="toolbar"><input id="dsm-search" type="search" '
        'placeholder="Find a module (Enter)" aria-label="find a module in the matrix"> '
        '<button type="button" id="dsm-expand">Expand one level</button> '
        '<button type="button" id="dsm-collapse">Collapse all</button> '
        '<span id="dsm-status" class="muted"></span></div>'
        '<div class="scroll" id="dsm-view"></div>'
        "<noscript><p>The matrix needs JavaScript.</p></noscript>",
    )


def _graph_section() -> str:
    return _details(
        "graph",
        "Graphs",
        '<div class="toolbar"><label>View <select id="graph-view"></select></label> '
        '<input id="graph-search" type="search" placeholder="Search a module" '
        'aria-label="search a module in the graph"> '
        '<button type="button" id="graph-fit">Fit</button> '
        '<span id="graph-status" class="muted"></span></div>'
        '<p class="muted legend">Drag to pan, scroll to zoom; hover a box or an arrow for '
        'details, click a box to pick out its imports. <span class="key bad">red</span>: an '
        'import in a reported violation\'s chain; <span class="key known">amber</span>: in a '
        "baselined one; grey frames: the layers of the <code>layers</code> rules (package "
        "view) or the packages (rule views).</p>"
        '<div id="cy" role="img" aria-label="dependency graph"></div>'
        '<div id="tip" hidden></div>',
    )


# Main sequence --------------------------------------------------------------------------------

SIZE, PAD = 460, 48
FONT = 11
CHAR = 6.4  # a generous average advance at 11 px
#: Where a label may go around its point: (dx, dy of the text's baseline start, anchor).
PLACES: tuple[tuple[int, int, str], ...] = (
    (8, 4, "start"),
    (-8, 4, "end"),
    (0, -9, "middle"),
    (0, 16, "middle"),
    (7, -6, "start"),
    (-7, -6, "end"),
    (7, 14, "start"),
    (-7, 14, "end"),
    (0, -21, "middle"),
    (0, 28, "middle"),
    (0, -33, "middle"),
    (0, 40, "middle"),
)


def _box(x: float, y: float, text: str, anchor: str) -> tuple[float, float, float, float]:
    width = len(text) * CHAR
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return (left, y - FONT + 1, left + width, y + 3)


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    points: Sequence[tuple[str, float, float]],
) -> dict[str, tuple[float, float, str]]:
    """A label for as many points as fit without overlapping another label or point:
    ``{name: (x, y, anchor)}``; a point without room has no label (its tooltip names it).
    Greedy, in the given order (the caller's priority), so deterministic."""
    dots = [(x - 5, y - 5, x + 5, y + 5) for _, x, y in points]
    placed: list[tuple[float, float, float, float]] = []
    labels: dict[str, tuple[float, float, str]] = {}
    for name, x, y in points:
        text = name.rpartition(".")[2] or name
        for dx, dy, anchor in PLACES:
            box = _box(x + dx, y + dy, text, anchor)
            if box[0] < 2 or box[2] > SIZE - 2 or box[1] < 2 or box[3] > SIZE - PAD + 14:
                continue
            if any(_overlaps(box, other) for other in (*placed, *dots)):
                continue
            placed.append(box)
            labels[name] = (x + dx, y + dy, anchor)
            break
    return labels


def _plotted(metrics: MetricsReport) -> list[tuple[PackageMetrics, float, float]]:
    plot = SIZE - 2 * PAD
    points = [
        (p, PAD + p.instability * plot, PAD + (1 - p.abstractness) * plot)
        for p in metrics.packages
        if p.instability is not None and p.abstractness is not None
    ]
    # Labels go first to the packages farthest from the main sequence, then by name.
    return sorted(points, key=lambda item: (-(item[0].distance or 0.0), item[0].package))


def main_sequence_svg(metrics: MetricsReport) -> str:
    plot = SIZE - 2 * PAD

    def px(instability: float) -> float:
        return PAD + instability * plot

    def py(abstractness: float) -> float:
        return PAD + (1 - abstractness) * plot

    parts = [
        f'<svg id="main-sequence" xmlns="http://www.w3.org/2000/svg" width="{SIZE}" '
        f'height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" role="img">',
        f'<rect x="{PAD}" y="{PAD}" width="{plot}" height="{plot}" fill="#fff" stroke="#8c959f"/>',
        # Zones of pain (stable and concrete) and of uselessness (unstable and abstract).
        f'<path d="M {px(0)} {py(0)} L {px(0.4)} {py(0)} L {px(0)} {py(0.4)} z" '
        'fill="#fbe3e4" opacity="0.8"><title>zone of pain</title></path>',
        f'<path d="M {px(1)} {py(1)} L {px(0.6)} {py(1)} L {px(1)} {py(0.6)} z" '
        'fill="#fff1cc" opacity="0.8"><title>zone of uselessness</title></path>',
        f'<line x1="{px(0)}" y1="{py(1)}" x2="{px(1)}" y2="{py(0)}" stroke="#2ca02c" '
        'stroke-dasharray="6 4" stroke-width="1.5"><title>main sequence A + I = 1</title></line>',
        f'<text x="{SIZE / 2}" y="{SIZE - 10}" font-size="12" text-anchor="middle">'
        "instability I = Ce / (Ca + Ce)</text>",
        f'<text x="14" y="{SIZE / 2}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 14 {SIZE / 2})">abstractness A</text>',
        f'<text x="{PAD}" y="{SIZE - PAD + 16}" font-size="11" text-anchor="middle">0</text>',
        f'<text x="{SIZE - PAD}" y="{SIZE - PAD + 16}" font-size="11" '
        'text-anchor="middle">1</text>',
        f'<text x="{PAD - 8}" y="{PAD + 4}" font-size="11" text-anchor="end">1</text>',
    ]
    points = _plotted(metrics)
    labels = place_labels([(p.package, x, y) for p, x, y in points])
    for package, x, y in sorted(points, key=lambda item: item[0].package):
        far = package.distance is not None and package.distance > 0.5
        color = "#d62728" if far else "#0969da"
        name = package.package
        label = ""
        if name in labels:
            lx, ly, anchor = labels[name]
            label = (
                f'<text class="label" x="{lx:.1f}" y="{ly:.1f}" font-size="{FONT}" '
                f'text-anchor="{anchor}">{e(name.rpartition(".")[2] or name)}</text>'
            )
        parts.append(
            f'<g class="point" data-package="{e(name)}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{color}" opacity="0.85"/>{label}'
            f"<title>{e(name)}: I={format_value(package.instability)}, "
            f"A={format_value(package.abstractness)}, "
            f"D={format_value(package.distance)}</title></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


METRIC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("package", "package"),
    ("modules", "modules"),
    ("classes", "classes"),
    ("abstract_classes", "abstract"),
    ("afferent", "Ca"),
    ("efferent", "Ce"),
    ("instability", "I"),
    ("abstractness", "A"),
    ("distance", "D"),
    ("relational_cohesion", "H"),
    ("max_lcom4", "max LCOM4"),
)


def _metrics_sections(metrics: MetricsReport | None) -> str:
    if metrics is None:
        return _details("metrics", "Metrics", '<p class="muted">not measured</p>')
    head = "".join(f'<th class="sortable">{e(label)}</th>' for _, label in METRIC_COLUMNS)
    rows = []
    for package in metrics.packages:
        values: Mapping[str, Any] = vars(package)
        cells = []
        for key, _ in METRIC_COLUMNS:
            value = values[key]
            if key == "package":
                cells.append(f"<td>{e(value)}</td>")
            else:
                sort = "" if value is None else f' data-sort="{value}"'
                cells.append(f'<td class="num"{sort}>{e(format_value(value))}</td>')
        rows.append(f'<tr data-package="{e(package.package)}">{"".join(cells)}</tr>')
    system = vars(metrics.system)
    system_rows = "".join(
        f'<tr><th>{e(key.replace("_", " "))}</th><td class="num">{e(format_value(value))}</td></tr>'
        for key, value in system.items()
        if not isinstance(value, bool)
    )
    return _details(
        "main-sequence-chart",
        "Main sequence",
        '<p class="muted">Each package by instability and abstractness; the dashed line is '
        "the main sequence (A + I = 1); red: distance over 0.5. Packages without classes "
        "or without coupling have no point. A point whose label has no room has none: "
        "hover it for its name.</p>"
        f"{main_sequence_svg(metrics)}",
    ) + _details(
        "metrics",
        "Metrics",
        f'<p class="muted">Packages at depth {e(metrics.depth)}. Click a heading to sort.</p>'
        f'<table id="metrics-table" class="sortable"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
        f'<h3>System</h3><table id="system-table">{system_rows}</table>',
    )


def render_html(report: HtmlReport) -> str:
    sections = [
        ("rules", "Rules"),
        *((s.id, s.title) for s in report.sections),
        ("dsm", "Dependency matrix"),
        ("graph", "Graphs"),
        ("main-sequence-chart", "Main sequence"),
        ("metrics", "Metrics"),
    ]
    nav = "".join(f'<a href="#{e(anchor)}">{e(label)}</a>' for anchor, label in sections)
    body = "\n".join(
        [
            _rules_section(report.results, report.context, report.baselined, report.progress),
            progress_section(report.results),
            *(_details(s.id, s.title, s.html) for s in report.sections),
            _dsm_section(report.diagram.depth),
            _graph_section(),
            _metrics_sections(report.metrics),
        ]
    )
    model = report_model(
        report.modules or report.diagram, report.diagram, report.results, report.baselined
    )
    vendored = "\n".join(f"<script>{asset(name)}</script>" for name in VENDORED)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{e(report.title)}</title>
<link rel="icon" href="data:,">
<style>{asset("html_report.css")}</style>
</head>
<body>
<header><h1>{e(report.title)}</h1><p>{e(summary_line(report.results))}</p></header>
<nav>{nav}</nav>
<main>
{body}
</main>
<script type="application/json" id="fitness-data">{to_script_json(model)}</script>
{vendored}
<script>{asset("html_report.js")}</script>
</body>
</html>
"""
