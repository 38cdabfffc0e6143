"""The history's charts (``fitness history --format html``, the report's Trend section),
from rows made here."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from fitness.adapters.reporters.trend import line_chart, render_page, trend_body, trend_section
from fitness.domain.history import (
    GRAPH_ERROR,
    Commit,
    CoveragePoint,
    HistoryRow,
    PackagePoint,
    RuleCount,
)


def row(day: int, violations: tuple[str, ...] | None, status: str = "ok") -> HistoryRow:
    commit = Commit(str(day) * 40, day * 86400, f"2026-01-{day:02d}T00:00:00Z", f"day {day}")
    if status != "ok":
        return HistoryRow(commit, status, "cannot parse app/x.py, line 1: def (")
    return HistoryRow(
        commit,
        rules=(RuleCount("Layers <main>", len(violations or ()), violations or ()),),
        system={
            "modules": 10,
            "propagation_cost": 0.1 * day,
            "nccd": 1.0,
            "largest_cycle_group": day,
            "modularity": 0.3,
        },
        packages=(PackagePoint("app.api", 0.5, None), PackagePoint("app.domain", 0.0, 1.0)),
    )


ROWS = [
    row(1, ()),
    row(2, ("app.domain -> app.api",)),
    row(3, None, status=GRAPH_ERROR),
    row(4, ()),
]


def test_a_chart_draws_a_point_per_measured_commit_with_its_commit_on_hover() -> None:
    svg = line_chart(ROWS, [("count", [0, 1, None, 0])], label="count")
    assert svg.count("<circle") == 3
    assert svg.count("<polyline") == 2  # the line breaks where a commit was not measured
    assert "<title>count: 1 at 2222222222 (2026-01-02) day 2</title>" in svg
    assert svg.count('fill="#b35900"') == 1  # the commit not measured, marked on the axis


def test_counts_get_whole_numbers_on_the_axis() -> None:
    svg = line_chart(ROWS, [("count", [0, 1, None, 0])], label="count")
    assert re.findall(r'text-anchor="end">([^<]*)</text>', svg)[:5] == ["0", "1", "2", "3", "4"]


def test_the_section_names_the_commit_that_introduced_a_violation_and_the_fix() -> None:
    section = trend_section(ROWS)
    assert section.startswith('<section id="trend">')
    assert (
        "<td>Layers &lt;main&gt;</td><td><code>app.domain -&gt; app.api</code></td>"
        '<td><span class="fixed">fixed in <code>4444444444</code></span></td>'
    ) in section
    assert "graph error: cannot parse app/x.py, line 1: def (" in section
    assert section.count("<svg") == 5 + 2 * 2
    assert "</span>Layers &lt;main&gt; (0)</li>" in section  # the legend: violations now


def test_the_page_is_self_contained_and_the_same_every_time() -> None:
    page = render_page(ROWS, title="History of app")
    assert page == render_page(list(ROWS), title="History of app")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "default-src 'none'" in page


def test_a_rule_that_reports_progress_gets_a_chart_of_what_is_left() -> None:
    def migrating(day: int, importers: int) -> HistoryRow:
        figures = (("importers", importers), ("imports", 2 * importers))
        base = row(day, ())
        return HistoryRow(base.commit, rules=(RuleCount("Off legacy", importers, (), figures),))

    section = trend_section([migrating(1, 3), migrating(2, 1)])
    assert "<figcaption>Progress: Off legacy (what is left)</figcaption>" in section
    assert "</span>importers (1)</li>" in section
    assert "</span>imports (2)</li>" in section
    assert "<title>imports: 6 at 1111111111 (2026-01-01) day 1</title>" in section
    assert "Progress:" not in trend_section(ROWS)


def test_a_rule_that_could_not_be_checked_says_why_under_its_gap() -> None:
    base = row(5, ())
    unchecked = HistoryRow(
        base.commit,
        rules=(RuleCount("Layers <main>", None, error="module 'app.api' is not in the graph"),),
        system=base.system,
    )
    section = trend_section([*ROWS, unchecked])
    commit = '<code title="' + "5" * 40 + '">5555555555</code>'
    assert (
        f'<h3>Rules not checked</h3><ul><li>{commit} <span class="muted">2026-01-05</span> '
        'day 5: Layers &lt;main&gt;: <span class="problem">module &#x27;app.api&#x27; is not '
        "in the graph</span></li></ul>"
    ) in section
    assert "Rules not checked" not in trend_section(ROWS)


def test_the_share_of_the_modules_the_rules_govern_gets_a_chart() -> None:
    covered = [
        dataclasses.replace(r, coverage=CoveragePoint(modules=10 + i, governed=10)) if r.ok else r
        for i, r in enumerate(ROWS)
    ]
    section = trend_section(covered)
    assert section.count("<svg") == 5 + 1 + 2 * 2
    assert "<figcaption>Architecture coverage (modules governed by a rule)</figcaption>" in section
    assert "<title>coverage: 90.9% at 2222222222 (2026-01-02) day 2</title>" in section
    assert '<p class="muted">now 10 of 13 modules (76.9%)</p>' in section  # (the newest)
    assert trend_body(covered) in render_page(covered, title="History of app")
    # rows measured before coverage was (none has it): no chart
    assert "Architecture coverage" not in trend_section(ROWS)


def test_no_rows_no_section() -> None:
    assert trend_section([]) == ""


@pytest.mark.slow
def test_the_page_shows_its_charts_in_chromium(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "history.html"
    page.write_text(render_page(ROWS, title="History of app"), encoding="utf-8")
    browser.get(page.as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    charts = browser.find_elements(By.CSS_SELECTOR, "#trend figure svg")
    assert len(charts) == 5
    assert all(chart.size["width"] > 300 and chart.size["height"] > 150 for chart in charts)
    assert [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#trend figcaption")] == [
        "Violations per rule (the baseline not applied)",
        "Propagation cost",
        "NCCD",
        "Largest cycle group (modules)",
        "Modularity Q",
    ]
