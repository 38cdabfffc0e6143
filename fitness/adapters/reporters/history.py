"""``fitness history`` as text (a table for the terminal), CSV and JSON. The charts
(the HTML page and the report's Trend section) are in :mod:`.trend`.

Rule names, module names, commit subjects and error messages come from the
commits: control characters in them are escaped in the text and the CSV
(:func:`~fitness.domain.rendering.printable`), as JSON escapes them itself."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from fitness.domain.coverage import format_share
from fitness.domain.history import (
    SYSTEM_METRICS,
    HistoryRow,
    Introduction,
    RuleCount,
    introductions,
    rule_names,
)
from fitness.domain.rendering import format_value, printable, printable_line


def csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


def status_text(row: HistoryRow, *, why: bool = False) -> str:
    """``ok``, or the status and why (``invalid configuration: pyproject.toml:3: ...``);
    ``why``: each rule that was not applicable or could not be checked, with its reason."""
    if row.ok:
        parts = ["ok"]
        skipped = [rule for rule in row.rules if rule.violations is None]
        for label, rules in (
            ("not applicable", [rule for rule in skipped if not rule.applicable]),
            ("could not check", [rule for rule in skipped if rule.applicable]),
        ):
            if rules:
                names = [
                    f"{rule.name} ({rule.reason})" if why and rule.reason else rule.name
                    for rule in rules
                ]
                parts.append(f"{label}: {('; ' if why else ', ').join(names)}")
        return "; ".join(parts)
    return f"{row.status}: {row.problem}" if row.problem else row.status


def coverage_share(row: HistoryRow) -> float | None:
    """The share of the modules the row's rules govern (``None``: not measured)."""
    return None if row.coverage is None else row.coverage.share


def render_csv(rows: Sequence[HistoryRow]) -> str:
    """One row per commit, oldest first: ``commit``, ``date``, a column per rule (its
    violations; empty where the rule was not checked), a column per system metric,
    ``coverage`` (the share of the modules the rules govern), then ``status`` (``ok``,
    or why the commit could not be measured, or which rules could not be checked and
    why)."""
    names = rule_names(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "commit",
            "date",
            *map(printable, names),
            *(c for c, _ in SYSTEM_METRICS),
            "coverage",
            "status",
        ]
    )
    for row in rows:
        counts = {rule.name: rule.violations for rule in row.rules}
        writer.writerow(
            [
                row.commit.sha,
                row.commit.date,
                *(csv_value(counts.get(name)) for name in names),
                *(csv_value(row.system.get(column)) for column, _ in SYSTEM_METRICS),
                csv_value(coverage_share(row)),
                printable(status_text(row, why=True)),
            ]
        )
    return buffer.getvalue()


def render_json(rows: Sequence[HistoryRow]) -> str:
    data = {
        "rows": [row.to_data() for row in rows],
        "introduced": [_introduction_data(item) for item in introductions(rows)],
    }
    return json.dumps(data, indent=2) + "\n"


def _introduction_data(item: Introduction) -> dict[str, object]:
    return {
        "rule": item.rule,
        "violation": item.violation,
        "commit": item.commit.sha,
        "at_start": item.at_start,
        "fixed_in": item.fixed_in.sha if item.fixed_in else None,
    }


def _short(value: float | None) -> str:
    return "-" if value is None else format_value(value)


def render_text(rows: Sequence[HistoryRow]) -> str:
    """A table (a column per rule, numbered, named below it; the system metrics; the
    share of the modules the rules govern), then the violations each commit brought."""
    names = rule_names(rows)
    headings = [
        "commit",
        "date",
        *(f"R{i}" for i in range(1, len(names) + 1)),
        "prop.cost",
        "NCCD",
        "cycle",
        "Q",
        "coverage",
        "",
    ]
    table = [headings]
    for row in rows:
        rules = {rule.name: rule for rule in row.rules}
        cells = [row.commit.short, row.commit.date[:10]]
        if row.ok:
            cells += [_cell(rules.get(name)) for name in names]
            cells += [
                _short(row.system.get(c))
                for c in ("propagation_cost", "nccd", "largest_cycle_group", "modularity")
            ]
            share = coverage_share(row)
            cells.append("-" if share is None else format_share(share))
            cells.append("")
        else:
            cells += [""] * (len(names) + 5) + [printable_line(status_text(row))]
        table.append(cells)
    widths = [max(len(line[i]) for line in table) for i in range(len(headings))]
    lines = []
    for line in table:
        cells = [line[0].ljust(widths[0]), line[1].ljust(widths[1])]
        cells += [c.rjust(w) for c, w in zip(line[2:-1], widths[2:-1], strict=True)]
        cells.append(line[-1])
        lines.append("  ".join(cells).rstrip())
    if names:
        lines += ["", f"Rules (violations per commit;{_legend(rows)} - could not be checked):"]
        why: dict[str, dict[str, str]] = {}  # rule -> mark -> the reason, as at the newest
        for row in rows:
            for rule in row.rules:
                if rule.violations is None and rule.reason:
                    why.setdefault(rule.name, {})[_cell(rule)] = printable_line(rule.reason)
        lines += [
            f"  R{i}  {printable_line(name)}{_reasons(why.get(name, {}))}"
            for i, name in enumerate(names, 1)
        ]
    if any(row.coverage is not None for row in rows):
        lines += ["", "coverage: the share of the modules a rule governs (see fitness coverage)"]
    found = introductions(rows)
    new = [item for item in found if not item.at_start]
    if new:
        lines += ["", "New violations:"]
        for item in new:
            fixed = f" (fixed in {item.fixed_in.short})" if item.fixed_in else ""
            lines.append(
                f"  {item.commit.short} {item.commit.date[:10]}  {printable_line(item.rule)}: "
                f"{printable_line(item.violation)}{fixed}"
            )
    order = {row.commit.sha: position for position, row in enumerate(rows)}
    older = sorted(
        (item for item in found if item.at_start and item.fixed_in is not None),
        key=lambda item: order[(item.fixed_in or item.commit).sha],
    )
    if older:
        lines += ["", "Fixed violations that were there when their rule was first checked:"]
        for item in older:
            assert item.fixed_in is not None
            lines.append(
                f"  {item.fixed_in.short} {item.fixed_in.date[:10]}  "
                f"{printable_line(item.rule)}: {printable_line(item.violation)} "
                f"(there at {item.commit.short})"
            )
    return "\n".join(lines) + "\n"


def _cell(rule: RuleCount | None) -> str:
    """A rule's cell in the text table: its violations, ``n/a`` where the commit lacks a
    module it names, ``-`` where it could not be checked (or did not exist)."""
    if rule is not None and rule.violations is None and not rule.applicable:
        return "n/a"
    return _short(None if rule is None else rule.violations)


def _legend(rows: Sequence[HistoryRow]) -> str:
    """What ``n/a`` means, if a cell says it."""
    if any(not rule.applicable for row in rows if row.ok for rule in row.rules):
        return " n/a not applicable: a module it names is not there yet;"
    return ""


def _reasons(marks: dict[str, str]) -> str:
    """`` (n/a: ...; -: ...)``: why a rule's cells are not numbers."""
    if not marks:
        return ""
    return " (" + "; ".join(f"{mark}: {marks[mark]}" for mark in sorted(marks, reverse=True)) + ")"
