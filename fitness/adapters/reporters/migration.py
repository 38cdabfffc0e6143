"""The HTML report's migration block: the progress of each ``strangler_fig`` rule.

Self-contained (its own inline styles, its own escaping), so the HTML report only
places it: what is left of each legacy package, what was fixed and what is new
since the baseline, and a bar of the share of the recorded imports fixed.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from fitness.domain.rendering import printable
from fitness.domain.violations import RuleResult

_CELL = 'style="border:1px solid #d0d7de;padding:4px 8px;text-align:{align}{extra}"'
_BAR = (
    '<div role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{percent}" '
    'title="{percent}% of the recorded imports fixed" '
    'style="display:inline-block;width:120px;height:10px;background:#eaeef2;'
    'border-radius:5px;vertical-align:middle;margin-right:6px">'
    '<div style="width:{percent}%;height:100%;background:#2ca02c;border-radius:5px"></div></div>'
)
_HEADINGS = (
    ("rule", "left"),
    ("legacy → replacement", "left"),
    ("importers left", "right"),
    ("imports left", "right"),
    ("fixed since the baseline", "left"),
    ("new since the baseline", "left"),
)


def _e(value: object) -> str:
    return html.escape(printable(str(value)), quote=True)


def _td(value: str, align: str = "left") -> str:
    return f"<td {_CELL.format(align=align, extra='')}>{value}</td>"


def progress_section(results: Sequence[RuleResult]) -> str:
    """``<section id="migration">`` with one row per rule that reports a migration's
    progress; empty when no rule does."""
    rows = []
    for result in results:
        progress = result.progress
        if progress is None:
            continue
        fixed = new = '<span style="color:#656d76">no baseline</span>'
        if progress.recorded_imports is not None:
            percent = round(100 * (progress.done or 0.0))
            fixed = _BAR.format(percent=percent) + _e(progress.fixed_summary())
            new = _e(progress.new_summary())
        rows.append(
            f'<tr data-rule="{_e(result.rule_name)}">'
            + _td(_e(result.rule_name))
            + _td(f"<code>{_e(progress.legacy)}</code> → <code>{_e(progress.replacement)}</code>")
            + _td(str(progress.importers), "right")
            + _td(str(progress.imports), "right")
            + _td(fixed)
            + _td(new)
            + "</tr>"
        )
    if not rows:
        return ""
    head = "".join(
        f"<th {_CELL.format(align=align, extra=';background:#f6f8fa')}>{_e(label)}</th>"
        for label, align in _HEADINGS
    )
    return (
        '<section id="migration"><h2>Migration progress</h2>'
        '<p style="color:#656d76">Who still imports the code being replaced '
        "(<code>strangler_fig</code> rules).</p>"
        f'<table style="border-collapse:collapse"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></section>"
    )
