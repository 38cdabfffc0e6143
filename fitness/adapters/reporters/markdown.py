"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

from collections.abc import Sequence

from fitness.adapters.reporters import ReportContext, known_count, stale_entries
from fitness.adapters.text import status_of, summary_line
from fitness.domain.rendering import sentence
from fitness.domain.violations import RuleResult

ICONS = {"KEPT": "✅", "BROKEN": "❌", "ERROR": "⚠️"}


def cell(text: str) -> str:
    """Text safe inside a table cell (no pipes, no newlines)."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render(results: Sequence[RuleResult], context: ReportContext) -> str:
    lines = ["## Architecture fitness", "", f"**{summary_line(results)}**", ""]
    lines += ["| | rule | new violations | in baseline | stale |", "|---|---|---:|---:|---:|"]
    for result in results:
        status = status_of(result)
        lines.append(
            f"| {ICONS[status]} | {cell(result.rule_name)} | {len(result.violations)} | "
            f"{known_count(result)} | {len(stale_entries(result))} |"
        )
    for result in results:
        if result.passed and not result.warnings:
            continue
        lines += ["", f"### {ICONS[status_of(result)]} {result.rule_name}", ""]
        lines.append(sentence(result.description))
        lines.append("")
        for error in result.errors:
            lines.append(f"- **error**: {error}")
        for violation in result.violations:
            lines.append(f"- **{sentence(violation.summary)}**")
            for chain in violation.chains:
                lines.append(f"  - {code(str(chain))}")
                for link in chain.links:
                    where = context.path(link.location)
                    lines.append(
                        f"    - {code(where)}" + (f" {code(link.code)}" if link.code else "")
                    )
        for warning in result.warnings:
            lines.append(f"- warning: {warning}")
        if result.violations and result.guidance:
            lines += ["", f"> **How to fix:** {result.guidance}"]
    return "\n".join(lines).rstrip() + "\n"
