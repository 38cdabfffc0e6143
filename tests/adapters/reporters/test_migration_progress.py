"""Every report shows a strangler fig's progress: importers and imports of the legacy code
left, and fixed or new since the baseline (text, JSON, markdown, HTML)."""

from __future__ import annotations

import json

from fitness.adapters.reporters import ReportContext, render
from fitness.adapters.reporters.html import HtmlReport, render_html
from fitness.adapters.reporters.json_report import result_from_data, result_to_data
from fitness.adapters.reporters.migration import progress_section
from fitness.domain.baseline import Baseline, apply_baseline
from fitness.domain.options import build_rule
from fitness.domain.progress import progress_of
from fitness.domain.rules import StranglerFigRule
from fitness.domain.violations import RuleResult
from tests.helpers import fake_graph

BEFORE = """
    app.web.customers -> app.legacy.pdf
    app.reports.monthly -> app.legacy.tax
    app.reports.monthly -> app.legacy.db
    app.jobs.reminders -> app.legacy.db
    app.billing.tax
"""
#: One importer migrated, one new import by a new importer.
AFTER = """
    app.web.customers -> app.legacy.pdf
    app.reports.monthly -> app.legacy.tax
    app.reports.monthly -> app.legacy.db
    app.jobs.reminders -> app.billing.tax
    app.web.refunds -> app.legacy.tax
"""


def strangler(text: str, baseline: Baseline | None = None) -> RuleResult:
    rule = build_rule(
        StranglerFigRule,
        {"name": "Billing <strangler>", "legacy": "app.legacy", "replacement": "app.billing"},
    )
    result = rule.result(fake_graph(text))
    return result if baseline is None else apply_baseline(result, baseline).result


def migrated() -> RuleResult:
    return strangler(AFTER, Baseline.from_results([strangler(BEFORE)]))


def test_the_text_report_shows_the_progress_under_the_rules_status_line() -> None:
    text = render("text", [migrated()], ReportContext())
    assert text.splitlines()[:2] == [
        "BROKEN Billing <strangler> (2 known violations in the baseline)",
        "  progress: 3 importers, 4 imports of app.legacy left (1 importer, 1 import fixed since "
        "the baseline; 1 new importer, 1 new import)",
    ]


def test_the_text_report_says_when_there_is_no_baseline_yet() -> None:
    text = render("text", [strangler(BEFORE)], ReportContext())
    assert "  progress: 3 importers, 4 imports of app.legacy left (no baseline)" in text


def test_the_json_report_holds_the_progress_figures_and_survives_the_round_trip() -> None:
    data = json.loads(render("json", [migrated()], ReportContext()))
    assert data["rules"][0]["details"]["progress"] == {
        "legacy": "app.legacy",
        "replacement": "app.billing",
        "importers": 3,
        "imports": 4,
        "recorded_importers": 3,
        "recorded_imports": 4,
        "fixed_importers": 1,
        "fixed_imports": 1,
        "new_importers": 1,
        "new_imports": 1,
    }
    assert data["rules"][0]["details"]["legacy_importers"]["app.web.refunds"] == ["app.legacy.tax"]
    # As results travel between pytest-xdist workers.
    again = result_from_data(json.loads(json.dumps(result_to_data(migrated()))))
    assert progress_of(again) == progress_of(migrated())


def test_the_markdown_report_has_a_migration_table() -> None:
    text = render("markdown", [migrated()], ReportContext())
    assert (
        "| Billing &lt;strangler&gt; | `app.legacy` → `app.billing` | 3 | 4 | "
        "1 importer, 1 import (25%) | 1 importer, 1 import |"
    ) in text.splitlines()


def test_reports_without_a_strangler_fig_have_no_migration_block() -> None:
    other = RuleResult("Layers", "layered")
    assert "Migration progress" not in render("markdown", [other], ReportContext())
    assert progress_section([other]) == ""


def test_the_html_report_has_a_self_contained_migration_section() -> None:
    section = progress_section([migrated()])
    assert section.startswith('<section id="migration"><h2>Migration progress</h2>')
    assert '<tr data-rule="Billing &lt;strangler&gt;">' in section
    assert 'aria-valuenow="25"' in section
    assert "1 importer, 1 import</td>" in section
    assert "<code>app.legacy</code> → <code>app.billing</code>" in section
    from fitness.adapters.reporters.diagram import Diagram

    page = render_html(HtmlReport("report", [migrated()], Diagram(None, (), (), ())))
    assert page.count('<section id="migration">') == 1
