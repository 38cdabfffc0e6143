"""The HTML report: one self-contained file (inline CSS, JS and SVG; nothing fetched).

Sections: the rules and their violations with chains; a dependency structure
matrix of the packages; the layered graph (laid out here, by layer order); the
main-sequence chart (abstractness against instability); the metrics table.
Pure: it renders data that the caller has gathered.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fitness.adapters.reporters.context import ReportContext, known_count, stale_entries
from fitness.adapters.reporters.diagram import Diagram, layered_rows
from fitness.adapters.reporters.migration import progress_section
from fitness.adapters.reporters.text import status_of, summary_line
from fitness.domain.metrics.report import MetricsReport
from fitness.domain.rendering import format_value, is_url, printable, quote_source, sentence
from fitness.domain.violations import RuleResult

RED = "#d62728"
#: Nothing may be fetched: inline styles and scripts only.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
NAV = "".join(
    f'<a href="#{anchor}">{label}</a>'
    for anchor, label in (
        ("rules", "Rules"),
        ("dsm", "Dependency matrix"),
        ("graph", "Layered graph"),
        ("main-sequence-chart", "Main sequence"),
        ("metrics", "Metrics"),
    )
)


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
    diagram: Diagram
    metrics: MetricsReport | None = None
    context: ReportContext = field(default_factory=ReportContext)
    #: Optional sections from other modules, shown after the rules, in this order.
    sections: Sequence[Section] = ()


def e(value: object) -> str:
    """Text safe in HTML: markup escaped, control characters written as escapes."""
    return html.escape(printable(str(value)), quote=True)


CSS = """
:root { --red: #d62728; --green: #2ca02c; --amber: #e8a317; --ink: #1f2328; --muted: #656d76;
        --line: #d0d7de; --soft: #f6f8fa; --blue: #eef4fb; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
       margin: 0; background: #fff; }
header { background: #24292f; color: #fff; padding: 18px 32px; }
header h1 { margin: 0; font-size: 22px; }
header p { margin: 4px 0 0; color: #c9d1d9; }
nav { padding: 8px 32px; background: var(--soft); border-bottom: 1px solid var(--line); }
nav a { margin-right: 18px; color: #0969da; text-decoration: none; }
main { padding: 8px 32px 40px; }
section { margin-top: 28px; }
h2 { font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 6px; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); }
th.sortable { cursor: pointer; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; }
.KEPT { color: var(--green); } .BROKEN { color: var(--red); } .ERROR { color: var(--amber); }
.rule { border: 1px solid var(--line); border-radius: 6px; margin: 12px 0; padding: 8px 14px; }
.rule h3 { margin: 4px 0; font-size: 15px; }
.chain { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
.chain li { margin: 2px 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
table.dsm td { width: 30px; height: 26px; text-align: center; padding: 0; font-size: 12px; }
table.dsm td.diag { background: #e1e4e8; }
table.dsm td.dep { background: var(--blue); }
table.dsm td.bad { background: #fbe3e4; color: var(--red); font-weight: 700; }
table.dsm th.row { text-align: right; white-space: nowrap; font-weight: 500; }
table.dsm th.col { width: 30px; font-weight: 500; }
table.dsm td.hl, table.dsm th.hl { outline: 2px solid #0969da; }
svg text { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
.legend span { display: inline-block; margin-right: 16px; }
"""

JS = """
(function () {
  "use strict";
  function cellValue(row, index) {
    var cell = row.cells[index];
    var text = cell ? cell.getAttribute("data-sort") || cell.textContent : "";
    var number = parseFloat(text);
    return isNaN(number) ? text.toLowerCase() : number;
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th.sortable").forEach(function (th, index) {
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var ascending = th.getAttribute("data-order") !== "asc";
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          if (x === y) { return 0; }
          return (x < y ? -1 : 1) * (ascending ? 1 : -1);
        });
        th.setAttribute("data-order", ascending ? "asc" : "desc");
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  var dsm = document.querySelector("table.dsm");
  if (dsm) {
    dsm.addEventListener("mouseover", function (event) {
      var cell = event.target.closest("td");
      dsm.querySelectorAll(".hl").forEach(function (c) { c.classList.remove("hl"); });
      if (!cell) { return; }
      var row = cell.getAttribute("data-row"), col = cell.getAttribute("data-col");
      dsm.querySelectorAll('[data-header="' + row + '"], [data-header="' + col + '"]')
        .forEach(function (c) { c.classList.add("hl"); });
    });
  }
  document.body.setAttribute("data-ready", "true");
})();
"""


# Rules and violations -------------------------------------------------------------------


def _rules_section(results: Sequence[RuleResult], context: ReportContext) -> str:
    rows = []
    for result in results:
        status = status_of(result)
        rows.append(
            f'<tr data-rule="{e(result.rule_name)}"><td class="status {status}">{status}</td>'
            f"<td>{e(result.rule_name)}</td><td>{e(result.rule_type)}</td>"
            f'<td class="num">{len(result.violations)}</td>'
            f'<td class="num">{known_count(result)}</td>'
            f'<td class="num">{len(stale_entries(result))}</td></tr>'
        )
    parts = [
        '<section id="rules"><h2>Rules</h2>',
        f'<p class="summary">{e(summary_line(results))}</p>',
        '<table id="rules-table" class="sortable"><thead><tr>'
        + "".join(
            f'<th class="sortable">{h}</th>'
            for h in ("status", "rule", "type", "violations", "in baseline", "fixed")
        )
        + "</tr></thead><tbody>",
        *rows,
        "</tbody></table>",
    ]
    for result in results:
        if result.passed and not result.warnings:
            continue
        status = status_of(result)
        parts.append(f'<div class="rule" data-rule="{e(result.rule_name)}">')
        parts.append(
            f'<h3><span class="status {status}">{status}</span> {e(result.rule_name)}</h3>'
        )
        parts.append(f"<p>{e(sentence(result.description))}</p>")
        if result.adr:
            adr = context.adr(result.adr)
            shown = f'<a href="{e(adr)}">{e(adr)}</a>' if is_url(adr) else f"<code>{e(adr)}</code>"
            parts.append(f'<p class="adr">Decision record: {shown}</p>')
        for error in result.errors:
            parts.append(f'<p class="ERROR">error: {e(error)}</p>')
        if result.violations:
            parts.append('<ul class="violations">')
            for violation in result.violations:
                parts.append(f'<li class="violation"><strong>{e(violation.summary)}</strong>')
                for chain in violation.chains:
                    parts.append(f'<ul class="chain"><li><code>{e(chain)}</code><ul>')
                    for link in chain.links:
                        where = context.path(link.location)
                        parts.append(
                            f'<li class="site"><code>{e(where)}</code> '
                            f'<span class="muted">{e(quote_source(link.code))}</span></li>'
                        )
                    parts.append("</ul></li></ul>")
                parts.append("</li>")
            parts.append("</ul>")
            if result.guidance:
                parts.append(f"<p><em>How to fix:</em> {e(result.guidance)}</p>")
        for warning in result.warnings:
            parts.append(f'<p class="ERROR">warning: {e(warning)}</p>')
        parts.append("</div>")
    parts.append("</section>")
    return "\n".join(parts)


# Dependency structure matrix ---------------------------------------------------------------


def dsm_order(diagram: Diagram) -> list[str]:
    """Packages from the top layer down, so that a layered design fills one triangle."""
    return [node for row in layered_rows(diagram) for node in row]


def _dsm_section(diagram: Diagram) -> str:
    order = dsm_order(diagram)
    index = {node: i for i, node in enumerate(order)}
    counts = {(edge.source, edge.target): edge for edge in diagram.edges}
    head = "".join(
        f'<th class="col" data-header="{i}" title="{e(node)}">{i + 1}</th>'
        for i, node in enumerate(order)
    )
    rows = []
    for node in order:
        i = index[node]
        cells = []
        for other in order:
            j = index[other]
            edge = counts.get((node, other))
            position = f'data-row="{i}" data-col="{j}"'
            if i == j:
                cells.append(f'<td class="diag" {position}></td>')
            elif edge is None:
                cells.append(f"<td {position}></td>")
            else:
                kind = "bad" if edge.violating else "dep"
                title = f"{node} imports {other} ({edge.count})"
                cells.append(f'<td class="{kind}" {position} title="{e(title)}">{edge.count}</td>')
        rows.append(
            f'<tr data-package="{e(node)}"><th class="row" data-header="{i}">'
            f"{i + 1}. {e(node)}</th>{''.join(cells)}</tr>"
        )
    return (
        '<section id="dsm"><h2>Dependency structure matrix</h2>'
        f'<p class="muted">Packages at depth {e(diagram.depth)}, from the top layer down. '
        "A number in row <em>r</em>, column <em>c</em>: how many module imports "
        "<em>r</em> makes of <em>c</em>. Above the diagonal: downward dependencies; "
        "below: upward ones (cycles, or layers broken); red: part of a violation.</p>"
        f'<table class="dsm"><thead><tr><th></th>{head}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></section>"
    )


# Layered graph ----------------------------------------------------------------------------------

NODE_HEIGHT = 30
ROW_GAP = 70
NODE_GAP = 24
CHAR_WIDTH = 7.2
MARGIN = 20
LABEL_WIDTH = 150


def layout(diagram: Diagram) -> tuple[dict[str, tuple[float, float, float]], float, float]:
    """``{node: (x, y, width)}`` of each box (top left), and the drawing's width and height."""
    rows = layered_rows(diagram)
    widths = {n: max(60.0, len(n) * CHAR_WIDTH + 20) for n in diagram.nodes}
    row_width = [sum(widths[n] for n in row) + NODE_GAP * (len(row) - 1) for row in rows]
    width = max(row_width, default=0) + 2 * MARGIN + LABEL_WIDTH
    positions = {}
    for r, row in enumerate(rows):
        x = LABEL_WIDTH + MARGIN + (width - LABEL_WIDTH - 2 * MARGIN - row_width[r]) / 2
        y = MARGIN + r * (NODE_HEIGHT + ROW_GAP)
        for node in row:
            positions[node] = (x, float(y), widths[node])
            x += widths[node] + NODE_GAP
    height = MARGIN * 2 + len(rows) * NODE_HEIGHT + max(len(rows) - 1, 0) * ROW_GAP
    return positions, width, float(height)


def layered_svg(diagram: Diagram) -> str:
    positions, width, height = layout(diagram)
    parts = [
        f'<svg id="layered-graph" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img">',
        "<defs>",
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
        'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#6e7781"/></marker>',
        f'<marker id="arrow-red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="11" '
        f'markerHeight="11" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M 0 0 L 10 5 L 0 10 z" '
        f'fill="{RED}"/></marker>',
        "</defs>",
    ]
    # Layer bands, labelled on the left.
    seen_rows: dict[float, list[str]] = {}
    for cluster in diagram.clusters:
        ys = {positions[n][1] for n in cluster.nodes if n in positions}
        for y in ys:
            seen_rows.setdefault(y, []).append(cluster.label)
    for y, labels in sorted(seen_rows.items()):
        parts.append(
            f'<rect class="layer" x="4" y="{y - 10:.0f}" width="{width - 8:.0f}" '
            f'height="{NODE_HEIGHT + 20}" rx="6" fill="#eef4fb" stroke="#c8d8ea"/>'
        )
        parts.append(
            f'<text x="12" y="{y + NODE_HEIGHT / 2 + 4:.0f}" font-size="11" fill="#57606a">'
            f"{e(' | '.join(labels))}</text>"
        )
    # Edges first, boxes on top.
    for edge in diagram.edges:
        if edge.source not in positions or edge.target not in positions:
            continue
        sx, sy, sw = positions[edge.source]
        tx, ty, tw = positions[edge.target]
        color = RED if edge.violating else "#8c959f"
        marker = "arrow-red" if edge.violating else "arrow"
        stroke = 2.5 if edge.violating else 1.2
        if ty > sy:
            x1, y1, x2, y2 = sx + sw / 2, sy + NODE_HEIGHT, tx + tw / 2, ty
            path = (
                f"M {x1:.1f} {y1:.1f} C {x1:.1f} {y1 + 35:.1f}, "
                f"{x2:.1f} {y2 - 35:.1f}, {x2:.1f} {y2:.1f}"
            )
        elif ty == sy:  # within a row: an arc above it
            x1, x2, y1 = sx + sw / 2, tx + tw / 2, sy
            lift = 18 + abs(x1 - x2) * 0.12
            path = (
                f"M {x1:.1f} {y1:.1f} C {x1:.1f} {y1 - lift:.1f}, "
                f"{x2:.1f} {y1 - lift:.1f}, {x2:.1f} {y1:.1f}"
            )
        else:  # upward: from the top of the importer to the bottom of the imported
            x1, y1 = sx + sw / 2, sy
            x2, y2 = tx + tw / 2, ty + NODE_HEIGHT
            swing = 50 + abs(x1 - x2) * 0.1
            path = (
                f"M {x1:.1f} {y1:.1f} C {x1 + swing:.1f} {y1 - 40:.1f}, "
                f"{x2 + swing:.1f} {y2 + 40:.1f}, {x2:.1f} {y2:.1f}"
            )
        parts.append(
            f'<path class="edge{" violating" if edge.violating else ""}" '
            f'data-source="{e(edge.source)}" data-target="{e(edge.target)}" d="{path}" '
            f'fill="none" stroke="{color}" stroke-width="{stroke}" marker-end="url(#{marker})">'
            f"<title>{e(edge.source)} imports {e(edge.target)} ({edge.count})</title></path>"
        )
    for node in diagram.nodes:
        x, y, w = positions[node]
        fill = "#ffffff" if node in diagram.external else "#f6f8fa"
        parts.append(
            f'<g class="node" data-node="{e(node)}"><rect x="{x:.1f}" y="{y:.1f}" '
            f'width="{w:.1f}" height="{NODE_HEIGHT}" rx="5" fill="{fill}" stroke="#57606a"/>'
            f'<text x="{x + w / 2:.1f}" y="{y + NODE_HEIGHT / 2 + 4:.1f}" font-size="12" '
            f'text-anchor="middle">{e(node)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _graph_section(diagram: Diagram) -> str:
    return (
        '<section id="graph"><h2>Layered graph</h2>'
        '<p class="legend"><span>bands: the layers of the <code>layers</code> rules, top '
        'to bottom</span><span style="color:#d62728">red: an import in a violation\'s '
        "chain</span></p>"
        f'<div class="scroll">{layered_svg(diagram)}</div></section>'
    )


# Main sequence --------------------------------------------------------------------------------


def main_sequence_svg(metrics: MetricsReport) -> str:
    size, pad = 420, 48
    plot = size - 2 * pad

    def px(instability: float) -> float:
        return pad + instability * plot

    def py(abstractness: float) -> float:
        return pad + (1 - abstractness) * plot

    parts = [
        f'<svg id="main-sequence" xmlns="http://www.w3.org/2000/svg" width="{size}" '
        f'height="{size}" viewBox="0 0 {size} {size}" role="img">',
        f'<rect x="{pad}" y="{pad}" width="{plot}" height="{plot}" fill="#fff" stroke="#8c959f"/>',
        # Zones of pain (stable and concrete) and of uselessness (unstable and abstract).
        f'<path d="M {px(0)} {py(0)} L {px(0.4)} {py(0)} L {px(0)} {py(0.4)} z" '
        'fill="#fbe3e4" opacity="0.8"><title>zone of pain</title></path>',
        f'<path d="M {px(1)} {py(1)} L {px(0.6)} {py(1)} L {px(1)} {py(0.6)} z" '
        'fill="#fff1cc" opacity="0.8"><title>zone of uselessness</title></path>',
        f'<line x1="{px(0)}" y1="{py(1)}" x2="{px(1)}" y2="{py(0)}" stroke="#2ca02c" '
        'stroke-dasharray="6 4" stroke-width="1.5"><title>main sequence A + I = 1</title></line>',
        f'<text x="{size / 2}" y="{size - 10}" font-size="12" text-anchor="middle">'
        "instability I = Ce / (Ca + Ce)</text>",
        f'<text x="14" y="{size / 2}" font-size="12" text-anchor="middle" '
        f'transform="rotate(-90 14 {size / 2})">abstractness A</text>',
        f'<text x="{pad}" y="{size - pad + 16}" font-size="11" text-anchor="middle">0</text>',
        f'<text x="{size - pad}" y="{size - pad + 16}" font-size="11" '
        'text-anchor="middle">1</text>',
        f'<text x="{pad - 8}" y="{pad + 4}" font-size="11" text-anchor="end">1</text>',
    ]
    for package in metrics.packages:
        if package.instability is None or package.abstractness is None:
            continue
        x, y = px(package.instability), py(package.abstractness)
        far = package.distance is not None and package.distance > 0.5
        color = "#d62728" if far else "#0969da"
        parts.append(
            f'<g class="point" data-package="{e(package.package)}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{color}" opacity="0.85"/>'
            f'<text x="{x + 7:.1f}" y="{y - 6:.1f}" font-size="11">'
            f"{e(package.package.rpartition('.')[2] or package.package)}</text>"
            f"<title>{e(package.package)}: I={format_value(package.instability)}, "
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


def _metrics_section(metrics: MetricsReport | None) -> str:
    if metrics is None:
        return '<section id="metrics"><h2>Metrics</h2><p class="muted">not measured</p></section>'
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
    return (
        '<section id="main-sequence-chart"><h2>Main sequence</h2>'
        '<p class="muted">Each package by instability and abstractness; the dashed line is '
        "the main sequence (A + I = 1); red: distance over 0.5. Packages without classes "
        "or without coupling have no point.</p>"
        f"{main_sequence_svg(metrics)}</section>"
        '<section id="metrics"><h2>Metrics</h2>'
        f'<p class="muted">Packages at depth {e(metrics.depth)}. Click a heading to sort.</p>'
        f'<table id="metrics-table" class="sortable"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
        f'<h3>System</h3><table id="system-table">{system_rows}</table></section>'
    )


def _details(section_id: str, title: str, body: str) -> str:
    """A section that collapses (open at first)."""
    return (
        f'<section id="{e(section_id)}"><details open><summary><h2>{e(title)}</h2></summary>'
        f"{body}</details></section>"
    )


def render_html(report: HtmlReport) -> str:
    nav = NAV + "".join(f'<a href="#{e(s.id)}">{e(s.title)}</a>' for s in report.sections)
    body = "\n".join(
        [
            _rules_section(report.results, report.context),
            progress_section(report.results),
            *(_details(s.id, s.title, s.html) for s in report.sections),
            _dsm_section(report.diagram),
            _graph_section(report.diagram),
            _metrics_section(report.metrics),
        ]
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{e(report.title)}</title>
<link rel="icon" href="data:,">
<style>{CSS}</style>
</head>
<body>
<header><h1>{e(report.title)}</h1><p>{e(summary_line(report.results))}</p></header>
<nav>{nav}</nav>
<main>
{body}
</main>
<script>{JS}</script>
</body>
</html>
"""
