"""The plain-text report of ``fitness check`` (the default format)."""

from __future__ import annotations

from collections.abc import Sequence

from fitness.adapters.reporters import ReportContext
from fitness.adapters.text import render_report
from fitness.domain.violations import RuleResult


def render(results: Sequence[RuleResult], context: ReportContext) -> str:
    return render_report(
        results,
        context.dynamic_imports,
        context.notes,
        limits=context.limits,
        blind_spots=context.blind_spots,
    )
