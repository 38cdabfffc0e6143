"""The HTML report's Coverage section: the share of the modules the rules govern, by
package, and the modules no rule governs (as ``fitness coverage`` lists them)."""

from __future__ import annotations

from fitness.adapters.reporters.html import e
from fitness.domain.coverage import DEFAULT_DEPTH, Coverage, format_share

#: The section lists at most this many ungoverned entries.
LISTED = 100


def coverage_body(coverage: Coverage, depth: int = DEFAULT_DEPTH) -> str:
    total = len(coverage.modules)
    parts = [
        f'<p class="summary" id="coverage-share">{coverage.governed_count} of {total} '
        f"module(s) governed by a rule: <strong>{e(format_share(coverage.share))}</strong> "
        f'<progress max="{total}" value="{coverage.governed_count}"></progress></p>',
        '<p class="muted">A module is governed when it lies in the scope of a rule; a package '
        "when every module in it is. <code>fitness coverage</code> lists them; "
        "<code>require_coverage</code> makes the check fail on new ones.</p>",
        '<table id="coverage-table" class="sortable"><thead><tr>'
        + "".join(
            f'<th class="sortable">{h}</th>' for h in ("package", "modules", "governed", "share")
        )
        + "</tr></thead><tbody>",
    ]
    for row in coverage.packages(depth):
        parts.append(
            f'<tr data-package="{e(row.package)}"><td>{e(row.package)}</td>'
            f'<td class="num">{row.modules}</td><td class="num">{row.governed}</td>'
            f'<td class="num">{e(format_share(row.share))}</td></tr>'
        )
    parts.append("</tbody></table>")
    spots = coverage.spots()
    if spots:
        parts.append("<h3>Governed by no rule</h3><ul>")
        parts += [f"<li><code>{e(spot.describe())}</code></li>" for spot in spots[:LISTED]]
        parts.append("</ul>")
        if len(spots) > LISTED:
            parts.append(
                f'<p class="muted more">and {len(spots) - LISTED} more: '
                "<code>fitness coverage --format json</code> lists every one.</p>"
            )
    if coverage.silent_rules:
        names = ", ".join(f"{name} ({type_name})" for name, type_name in coverage.silent_rules)
        parts.append(
            f'<p class="muted">Counted as governing nothing (their type does not say): '
            f"{e(names)}</p>"
        )
    return "".join(parts)
