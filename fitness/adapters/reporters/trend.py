"""The architecture over time as charts: the page ``fitness history --format html``
writes, and the "Trend" section of ``fitness report --history``.

Plain inline SVG (a line chart is a polyline and a few labels: a charting library
would add more to the file than it saves), one self-contained file that works
offline, the same bytes for the same rows. Commits are spaced evenly along the
x axis (oldest left); each point names its commit on hover. A commit that could
not be measured is a gap, marked on the axis.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from fitness.adapters.reporters.history import coverage_share, status_text
from fitness.domain.coverage import format_share
from fitness.domain.history import (
    Commit,
    HistoryRow,
    Introduction,
    introductions,
    package_names,
    rule_names,
)
from fitness.domain.rendering import format_value, printable

#: Distinct colours (Tableau 10), assigned to series in order.
PALETTE = (
    "#4e79a7",
    "#e15759",
    "#59a14f",
    "#f28e2b",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

CSS = """
#trend .charts { display: flex; flex-wrap: wrap; gap: 12px 28px; }
#trend figure { margin: 8px 0; }
#trend figcaption { font-weight: 600; margin-bottom: 2px; }
#trend svg text { font: 11px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
                  fill: #656d76; }
#trend .legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 4px 0 0; padding: 0;
                 list-style: none; font-size: 13px; }
#trend .swatch { display: inline-block; width: 12px; height: 3px; margin-right: 6px;
                 vertical-align: middle; }
#trend table { border-collapse: collapse; margin: 8px 0; }
#trend th, #trend td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left;
                       vertical-align: middle; }
#trend th { background: #f6f8fa; }
#trend td.num { text-align: right; font-variant-numeric: tabular-nums; }
#trend code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; }
#trend .muted { color: #656d76; }
#trend .fixed { color: #2ca02c; }
#trend .problem { color: #b35900; }
"""

PAGE_CSS = """
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328;
       margin: 0; }
header { background: #24292f; color: #fff; padding: 18px 32px; }
header h1 { margin: 0; font-size: 22px; }
header p { margin: 4px 0 0; color: #c9d1d9; }
main { padding: 8px 32px 40px; }
h2 { font-size: 18px; border-bottom: 1px solid #d0d7de; padding-bottom: 6px; }
h3 { font-size: 15px; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
th { background: #f6f8fa; }
td.num { text-align: right; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; }
.muted { color: #656d76; }
"""


def e(value: object) -> str:
    return html.escape(printable(str(value)), quote=True)


# Charts ------------------------------------------------------------------------------------

Series = tuple[str, Sequence[float | int | None]]


def _nice_top(value: float) -> float:
    """The top of an axis: ``value`` rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)  # pragma: no cover


def _number(value: float, *, percent: bool) -> str:
    if percent:
        return f"{value:.1%}".replace(".0%", "%")
    return f"{value:.3g}"


def line_chart(
    rows: Sequence[HistoryRow],
    series: Sequence[Series],
    *,
    label: str,
    width: int = 640,
    height: int = 200,
    percent: bool = False,
    top: float | None = None,
) -> str:
    """One SVG chart: a line per series over the rows (evenly spaced, oldest left), the
    y axis from 0; a point's tooltip names its commit and value."""
    left, right, upper, lower = 44, 12, 10, 26
    inner_w, inner_h = width - left - right, height - upper - lower
    values = [v for _, points in series for v in points if v is not None]
    if top is None:
        top = _nice_top(max(values, default=0))
        if all(isinstance(v, int) for v in values):  # counts: whole numbers on the axis
            top = float(max(4, math.ceil(top / 4) * 4))
    count = len(rows)

    def x(index: int) -> float:
        return left + (inner_w / 2 if count == 1 else inner_w * index / (count - 1))

    def y(value: float) -> float:
        return upper + inner_h - inner_h * min(value, top) / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{e(label)}">'
    ]
    for step in range(5):  # grid lines and their values
        value = top * step / 4
        at = y(value)
        parts.append(
            f'<line x1="{left}" y1="{at:.1f}" x2="{width - right}" y2="{at:.1f}" '
            f'stroke="{"#8c959f" if step == 0 else "#eaeef2"}"/>'
            f'<text x="{left - 6}" y="{at + 4:.1f}" text-anchor="end">'
            f"{e(_number(value, percent=percent))}</text>"
        )
    slots = max(1, min(count - 1, inner_w // 110))  # a date is about 60 pixels wide
    labelled = sorted({round(i * (count - 1) / slots) for i in range(slots + 1)})
    for index in labelled:
        anchor = "start" if index == 0 and count > 1 else "end" if index == count - 1 else "middle"
        if count == 1:
            anchor = "middle"
        parts.append(
            f'<text x="{x(index):.1f}" y="{height - 8}" text-anchor="{anchor}">'
            f"{e(rows[index].commit.date[:10])}</text>"
        )
    for index, row in enumerate(rows):  # commits that could not be measured
        if not row.ok:
            parts.append(
                f'<rect x="{x(index) - 3:.1f}" y="{upper}" width="6" height="{inner_h}" '
                f'fill="#b35900" fill-opacity="0.15"><title>{e(row.commit.short)} '
                f"{e(status_text(row))}</title></rect>"
            )
    for number, (name, points) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        for run in _runs(points):
            coordinates = " ".join(f"{x(i):.1f},{y(float(points[i] or 0)):.1f}" for i in run)
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coordinates}"/>'
            )
        for index, point in enumerate(points):
            if point is None:
                continue
            value = float(point)
            commit = rows[index].commit
            parts.append(
                f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="2.5" '
                f'fill="{colour}"><title>{e(name)}: {e(_number(value, percent=percent))}'
                f" at {e(commit.short)} ({e(commit.date[:10])}) {e(commit.subject)}</title>"
                "</circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _runs(points: Sequence[float | int | None]) -> list[list[int]]:
    """The indexes of the points, split where a value is missing."""
    runs: list[list[int]] = [[]]
    for index, value in enumerate(points):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(index)
    return [run for run in runs if run]


def _latest(points: Sequence[float | int | None]) -> str:
    """The newest value of a series (``-``: none measured)."""
    value = next((v for v in reversed(points) if v is not None), None)
    return "-" if value is None else format_value(value)


def _legend(names: Sequence[str]) -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{PALETTE[i % len(PALETTE)]}"></span>'
        f"{e(name)}</li>"
        for i, name in enumerate(names)
    )
    return f'<ul class="legend">{items}</ul>'


def sparkline(rows: Sequence[HistoryRow], points: Sequence[float | None], label: str) -> str:
    """A small chart of one value between 0 and 1 (a package's instability or distance)."""
    width, height = 160, 28
    count = len(rows)

    def x(index: int) -> float:
        return 2 + (width - 4) * (0.5 if count == 1 else index / (count - 1))

    def y(value: float) -> float:
        return height - 2 - (height - 4) * max(0.0, min(value, 1.0))

    lines = []
    for run in _runs(points):
        coordinates = " ".join(f"{x(i):.1f},{y(float(points[i] or 0)):.1f}" for i in run)
        lines.append(
            f'<polyline fill="none" stroke="#4e79a7" stroke-width="1.5" points="{coordinates}"/>'
        )
        if len(run) == 1:
            i = run[0]
            lines.append(f'<circle cx="{x(i):.1f}" cy="{y(float(points[i] or 0)):.1f}" r="1.5"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{e(label)}"><rect x="0.5" y="0.5" width="{width - 1}" '
        f'height="{height - 1}" fill="none" stroke="#eaeef2"/>{"".join(lines)}</svg>'
    )


# The section -------------------------------------------------------------------------------


def _value(row: HistoryRow, column: str) -> float | int | None:
    return row.system.get(column) if row.ok else None


def _violation_charts(rows: Sequence[HistoryRow]) -> str:
    names = rule_names(rows)
    if not names:
        return '<p class="muted">No rules were configured at these commits.</p>'
    series: list[Series] = []
    for name in names:
        counts = []
        for row in rows:
            by_name = {rule.name: rule.violations for rule in row.rules}
            counts.append(by_name.get(name) if row.ok else None)
        series.append((name, counts))
    return (
        "<figure><figcaption>Violations per rule (the baseline not applied)</figcaption>"
        + line_chart(rows, series, label="violations per rule", width=820, height=240)
        + _legend([f"{name} ({_latest(points)})" for name, points in series])
        + "</figure>"
    )


def _progress_charts(rows: Sequence[HistoryRow]) -> str:
    """A chart per rule that reports its progress (a strangler fig's importers and
    imports of the legacy code left): the series of each figure."""
    figures = []
    for name in rule_names(rows):
        by_row = [
            dict(next((r.figures for r in row.rules if r.name == name), ())) if row.ok else {}
            for row in rows
        ]
        keys = list(dict.fromkeys(key for values in by_row for key in values))
        if not keys:
            continue
        series: list[Series] = [(key, [values.get(key) for values in by_row]) for key in keys]
        figures.append(
            f"<figure><figcaption>Progress: {e(name)} (what is left)</figcaption>"
            + line_chart(rows, series, label=f"progress of {name}", width=400)
            + _legend([f"{key} ({_latest(points)})" for key, points in series])
            + "</figure>"
        )
    return f'<div class="charts">{"".join(figures)}</div>' if figures else ""


SYSTEM_CHARTS = (
    ("propagation_cost", "Propagation cost", True),
    ("nccd", "NCCD", False),
    ("largest_cycle_group", "Largest cycle group (modules)", False),
    ("modularity", "Modularity Q", False),
)


def _system_charts(rows: Sequence[HistoryRow]) -> str:
    figures = []
    for column, caption, percent in SYSTEM_CHARTS:
        points = [_value(row, column) for row in rows]
        top = 1.0 if percent else None
        figures.append(
            f"<figure><figcaption>{e(caption)}</figcaption>"
            + line_chart(
                rows, [(caption, points)], label=caption, width=400, percent=percent, top=top
            )
            + "</figure>"
        )
    figures.append(_coverage_chart(rows))
    return f'<div class="charts">{"".join(figures)}</div>'


def _coverage_chart(rows: Sequence[HistoryRow]) -> str:
    """The share of the modules the rules governed at each commit (``fitness coverage``),
    and how many modules that is at the newest commit measured."""
    points = [coverage_share(row) if row.ok else None for row in rows]
    last = next((row.coverage for row in reversed(rows) if row.ok and row.coverage), None)
    if last is None:
        return ""
    caption = "Architecture coverage (modules governed by a rule)"
    return (
        f"<figure><figcaption>{e(caption)}</figcaption>"
        + line_chart(rows, [("coverage", points)], label=caption, width=400, percent=True, top=1.0)
        + f'<p class="muted">now {last.governed} of {last.modules} modules '
        f"({e(format_share(last.share))})</p></figure>"
    )


def _package_table(rows: Sequence[HistoryRow]) -> str:
    names = package_names(rows)
    if not names:
        return ""
    body = []
    last = next((row for row in reversed(rows) if row.ok), None)
    for name in names:
        instability: list[float | None] = []
        distance: list[float | None] = []
        for row in rows:
            point = next((p for p in row.packages if p.package == name), None)
            instability.append(point.instability if point else None)
            distance.append(point.distance if point else None)
        now = next((p for p in last.packages if p.package == name), None) if last else None
        body.append(
            f"<tr><td><code>{e(name)}</code></td>"
            f"<td>{sparkline(rows, instability, f'instability of {name}')}</td>"
            f'<td class="num">{e(_short(now.instability if now else None))}</td>'
            f"<td>{sparkline(rows, distance, f'distance of {name}')}</td>"
            f'<td class="num">{e(_short(now.distance if now else None))}</td></tr>'
        )
    return (
        "<h3>Packages</h3><table><thead><tr><th>package</th><th>instability I (0 to 1)</th>"
        "<th>now</th><th>distance D (0 to 1)</th><th>now</th></tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )


def _short(value: float | None) -> str:
    return "-" if value is None else format_value(value)


def _commit_cell(row_commit: Commit) -> str:
    return (
        f'<code title="{e(row_commit.sha)}">{e(row_commit.short)}</code> '
        f'<span class="muted">{e(row_commit.date[:10])}</span> {e(row_commit.subject)}'
    )


def _introductions_table(rows: Sequence[HistoryRow]) -> str:
    items: list[Introduction] = introductions(rows)
    new = [item for item in items if not item.at_start]
    before = len(items) - len(new)
    first = next((row for row in rows if row.ok), None)
    note = (
        f'<p class="muted">{before} violation{"s" if before != 1 else ""} already there at '
        f"the first commit measured ({e(first.commit.short)}).</p>"
        if before and first
        else ""
    )
    fixed = [item for item in items if item.at_start and item.fixed_in is not None]
    order = {row.commit.sha: position for position, row in enumerate(rows)}
    if fixed:  # (the text lists them too: a fix is news, however old the violation)
        note += (
            "<h3>Fixed violations that were there from the start</h3><table><thead><tr>"
            "<th>fixed by</th><th>rule</th><th>violation</th><th>there at</th></tr></thead>"
            "<tbody>"
            + "".join(
                f"<tr><td>{_commit_cell(item.fixed_in)}</td><td>{e(item.rule)}</td>"
                f"<td><code>{e(item.violation)}</code></td>"
                f"<td><code>{e(item.commit.short)}</code></td></tr>"
                for item in sorted(fixed, key=lambda i: order[(i.fixed_in or i.commit).sha])
                if item.fixed_in is not None
            )
            + "</tbody></table>"
        )
    if not new:
        return f"<h3>New violations</h3><p>No new violation in these commits.</p>{note}"
    body = "".join(
        f"<tr><td>{_commit_cell(item.commit)}</td><td>{e(item.rule)}</td>"
        f"<td><code>{e(item.violation)}</code></td><td>"
        + (
            f'<span class="fixed">fixed in <code>{e(item.fixed_in.short)}</code></span>'
            if item.fixed_in
            else "still there"
        )
        + "</td></tr>"
        for item in new
    )
    return (
        "<h3>New violations</h3><table><thead><tr><th>introduced by</th><th>rule</th>"
        f"<th>violation</th><th>now</th></tr></thead><tbody>{body}</tbody></table>{note}"
    )


#: Rules not checked at a measured commit: so many are listed, then a count.
UNCHECKED_SHOWN = 50


def _problems(rows: Sequence[HistoryRow]) -> str:
    bad = [row for row in rows if not row.ok]
    unchecked = [
        (row, rule) for row in rows if row.ok for rule in row.rules if rule.violations is None
    ]
    parts = []
    if bad:
        items = "".join(
            f'<li>{_commit_cell(row.commit)}: <span class="problem">{e(status_text(row))}</span>'
            "</li>"
            for row in bad
        )
        parts.append(f"<h3>Commits not measured</h3><ul>{items}</ul>")
    for heading, listed in (
        ("Rules not applicable", [(r, rule) for r, rule in unchecked if not rule.applicable]),
        ("Rules not checked", [(r, rule) for r, rule in unchecked if rule.applicable]),
    ):
        if not listed:  # (a gap in its chart: say why, as the text and JSON do)
            continue
        items = "".join(
            f"<li>{_commit_cell(row.commit)}: {e(rule.name)}: "
            f'<span class="problem">{e(rule.reason or "could not be checked")}</span></li>'
            for row, rule in listed[:UNCHECKED_SHOWN]
        )
        more = len(listed) - UNCHECKED_SHOWN
        if more > 0:
            items += f"<li>... and {more} more</li>"
        parts.append(f"<h3>{heading}</h3><ul>{items}</ul>")
    return "".join(parts)


def trend_body(rows: Sequence[HistoryRow]) -> str:
    """What the Trend section shows (its heading aside): every chart, the new violations
    and the commits not measured. Its styles are its own (``#trend ...``)."""
    if not rows:
        return ""
    span = (
        f"{len(rows)} commit{'s' if len(rows) != 1 else ''}, "
        f"{e(rows[0].commit.short)} ({e(rows[0].commit.date[:10])}) to "
        f"{e(rows[-1].commit.short)} ({e(rows[-1].commit.date[:10])})"
    )
    return (
        f"<style>{CSS}</style>"
        f'<p class="muted">{span}; oldest left.</p>'
        + _violation_charts(rows)
        + _progress_charts(rows)
        + "<h3>System metrics</h3>"
        + _system_charts(rows)
        + _introductions_table(rows)
        + _problems(rows)
        + _package_table(rows)
    )


def trend_section(rows: Sequence[HistoryRow], *, heading: str = "Trend") -> str:
    """The section as a page of its own shows it (``fitness report`` adds
    :func:`trend_body` as one of its sections)."""
    if not rows:
        return ""
    return f'<section id="trend"><h2>{e(heading)}</h2>{trend_body(rows)}</section>'


def render_page(rows: Sequence[HistoryRow], *, title: str) -> str:
    """``fitness history --format html``: one self-contained page."""
    commits = "".join(
        f"<tr><td>{_commit_cell(row.commit)}</td>"
        f'<td class="num">{sum(r.violations or 0 for r in row.rules) if row.ok else ""}</td>'
        f"<td>{e(status_text(row))}</td></tr>"
        for row in rows
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{e(title)}</title>
<link rel="icon" href="data:,">
<style>{PAGE_CSS}</style>
</head>
<body>
<header><h1>{e(title)}</h1><p>{len(rows)} commits</p></header>
<main>
{trend_section(rows, heading="Evolution")}
<section id="commits"><h2>Commits</h2><table>
<thead><tr><th>commit</th><th>violations</th><th>status</th></tr></thead>
<tbody>{commits}</tbody></table></section>
</main>
</body>
</html>
"""
