"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

A summary table first, then each rule that failed or warned in a folded
``<details>`` block. A comment holds 65,536 characters and a job summary 1 MiB,
so the report is kept within a budget (UTF-8 bytes): violations that do not fit
are counted in a closing note that says how to see them all.

Text from the analysed code (module names, quoted source lines) is escaped: in
code spans fenced with more backticks than the longest run in the text, and
elsewhere with HTML entities and backslashes, so a source line cannot inject
images, links or HTML into the comment.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fitness.adapters.reporters.context import ReportContext, known_count, stale_entries
from fitness.adapters.reporters.text import status_of, summary_line
from fitness.domain.rendering import is_url, printable_line, quote_source, sentence, shorten
from fitness.domain.violations import RuleResult, Violation

if TYPE_CHECKING:
    from fitness.domain.baseline_summary import SinceSummary

ICONS = {"KEPT": "✅", "BROKEN": "❌", "WARN": "🟡", "ERROR": "⚠️"}

#: What a report for a pull-request comment may take (GitHub: 65,536 characters), in
#: UTF-8 bytes (at least as many as characters), with room for text around it.
COMMENT_BUDGET = 60_000
#: What a job summary may take (GitHub: 1 MiB per step).
STEP_SUMMARY_BUDGET = 1_000_000
#: Characters of a warning, an error or guidance shown in a bounded report.
MAX_PROSE = 1_000

#: Where everything can be seen when a report leaves some of it out.
EVERYTHING = (
    "`fitness check --full` prints every violation; `fitness check --format json` "
    "or `--format sarif` (or `--output report.json`) report them all"
)

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~<>&])")
_BACKTICKS = re.compile(r"`+")


def text(value: str) -> str:
    """Plain text safe in markdown: one line, no markup, no HTML, no control characters."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in "<>&":
            return html.escape(char)
        return "\\" + char

    return _MARKDOWN_SPECIAL.sub(escape, printable_line(value))


def cell(value: str) -> str:
    """Text safe inside a table cell (no pipes, no newlines, no markup)."""
    return text(value)


def code(value: str) -> str:
    """A code span that nothing in ``value`` can close: fenced with more backticks than
    its longest run of them (CommonMark), padded when it starts or ends with one."""
    value = printable_line(value)
    longest = max((len(run) for run in _BACKTICKS.findall(value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or longest else ""
    return f"{fence}{pad}{value}{pad}{fence}"


class _Budget:
    """Lines added while they fit in ``limit`` UTF-8 bytes (``None``: no limit)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.used = 0

    def fits(self, lines: Sequence[str], reserve: int = 0) -> bool:
        if self.limit is None:
            return True
        size = sum(len(line.encode()) + 1 for line in lines)
        return self.used + size + reserve <= self.limit

    def take(self, out: list[str], lines: Sequence[str]) -> None:
        self.used += sum(len(line.encode()) + 1 for line in lines)
        out.extend(lines)


#: Bytes kept free for the end of a section and the closing note.
_RESERVE = 1_500


def _prose(value: str, bounded: bool) -> str:
    return text(shorten(value, MAX_PROSE) if bounded else value)


def _adr(reference: str) -> str:
    """A link for a URL (``<...>``: markdown's autolink, nothing in it is markup), else a
    code span (a path in a comment would resolve against the pull request's page)."""
    if is_url(reference) and not re.search(r"[\s<>]", reference):
        return f"<{printable_line(reference)}>"
    return code(reference)


def _violation_lines(violation: Violation, context: ReportContext) -> list[str]:
    lines = [f"- **{text(sentence(violation.summary))}**"]
    for chain in violation.chains:
        lines.append(f"  - {code(str(chain))}")
        for link in chain.links:
            where = context.path(link.location)
            quoted = f" {code(quote_source(link.code))}" if link.code else ""
            quoted += f" {link.mark}" if link.mark else ""
            lines.append(f"    - {code(where)}{quoted}")
    return lines


def _progress_lines(results: Sequence[RuleResult]) -> list[str]:
    """A table of the migrations the rules follow (``strangler_fig``): what is left of
    each, and what was fixed or is new since the baseline; none without such rules."""
    rows = []
    for result in results:
        progress = result.progress
        if progress is None:
            continue
        fixed, new = "no baseline", "no baseline"
        if progress.recorded_imports is not None:
            fixed, new = progress.fixed_summary(), progress.new_summary()
            if progress.done:  # the share of the recorded imports fixed
                fixed += f" ({progress.done:.0%})"
        rows.append(
            f"| {cell(result.rule_name)} | {code(progress.legacy)} → {code(progress.replacement)} "
            f"| {progress.importers} | {progress.imports} | {fixed} | {new} |"
        )
    if not rows:
        return []
    return [
        "",
        "**Migration progress**",
        "",
        "| rule | legacy → replacement | importers left | imports left | fixed since the "
        "baseline | new since the baseline |",
        "|---|---|---:|---:|---|---|",
        *rows,
    ]


def _since_sentence(since: SinceSummary) -> str:
    """Which revision the violations are new since, and that only those fail."""
    where = code(since.revision) + (f" ({code(since.commit[:10])})" if since.commit else "")
    if since.problem:
        return (
            f"Only violations new since {where} fail; nothing is known there "
            f"({_prose(since.problem, True)}), so every violation is new."
        )
    return (
        f"Only violations new since {where} fail; those that existed there are counted, not shown."
    )


def render_markdown(
    results: Sequence[RuleResult], context: ReportContext, budget: int | None = COMMENT_BUDGET
) -> str:
    """The report, at most ``budget`` bytes of UTF-8 (``None``: all of it)."""
    bounded = budget is not None
    room = _Budget(budget)
    out: list[str] = []
    since = next((r.since for r in results if r.since is not None), None)
    verdict = summary_line(results)
    if since is not None:  # it names the revision: the user's text
        verdict = text(verdict)
    room.take(out, ["## Architecture fitness", "", f"**{verdict}**", ""])
    if since is not None:
        room.take(out, [_since_sentence(since), ""])
    existed = [] if since is None else [f"existed at {code(since.revision)}"]
    room.take(
        out,
        [
            "| | rule | new violations | in baseline | fixed |"
            + "".join(f" {h} |" for h in existed),
            "|---|---|---:|---:|---:|" + "---:|" * len(existed),
        ],
    )
    rows_left = 0
    for result in results:
        row = (
            f"| {ICONS[status_of(result)]} | {cell(result.rule_name)} | {len(result.violations)} | "
            f"{known_count(result)} | {len(stale_entries(result))} |"
        )
        if since is not None:
            row += f" {result.since.existed if result.since else 0} |"
        if rows_left or not room.fits([row], _RESERVE):
            rows_left += 1
            continue
        room.take(out, [row])
    if rows_left:
        room.take(out, [f"| | *{rows_left} more rules* | | | |" + " |" * len(existed)])
    progress = _progress_lines(results)
    if progress and room.fits(progress, _RESERVE):
        room.take(out, progress)
    left_out = 0  # violations not shown
    rules_left_out: list[str] = []
    sections = [result for result in results if not (result.passed and not result.warnings)]
    for number, result in enumerate(sections):
        count = len(result.violations)
        what = f": {count} violation{'s' if count != 1 else ''}" if count else ""
        if result.warned:
            what += " (severity warning: it fails nothing)"
        head = [
            "",
            f"<details><summary>{ICONS[status_of(result)]} "
            f"<b>{html.escape(printable_line(result.rule_name))}</b>{what}</summary>",
            "",
            _prose(sentence(result.description), bounded),
            "",
        ]
        if result.adr:
            head += [f"Decision record: {_adr(context.adr(result.adr))}", ""]
        head += [f"- **error**: {_prose(error, bounded)}" for error in result.errors]
        tail = [f"- warning: {_prose(warning, bounded)}" for warning in result.warnings]
        if result.violations and result.guidance:
            guidance = result.guidance.splitlines() or [""]
            tail += ["", f"> **How to fix:** {_prose(guidance[0], bounded)}"]
            tail += [f"> {_prose(line, bounded)}" for line in guidance[1:]]
        tail += ["", "</details>"]
        if not room.fits([*head, *tail], _RESERVE):
            left_out += count
            if count:
                rules_left_out.append(result.rule_name)
            continue
        room.take(out, head)
        # Each rule gets an equal share of what is left (what one leaves, the next may use).
        share = _Budget(
            None
            if room.limit is None
            else (room.limit - room.used - _RESERVE) // (len(sections) - number)
        )
        share.used = sum(len(line.encode()) + 1 for line in tail)
        for index, violation in enumerate(result.violations):
            lines = _violation_lines(violation, context)
            if not (share.fits(lines, 100) and room.fits([*lines, *tail], _RESERVE)):
                rest = count - index
                left_out += rest
                rules_left_out.append(result.rule_name)
                room.take(out, [f"- *… {rest} more violation{'s' if rest != 1 else ''}*"])
                break
            share.take([], lines)
            room.take(out, lines)
        room.take(out, tail)
    if left_out or rows_left:
        rules = len(set(rules_left_out))
        shown = f"{left_out} violation{'s' if left_out != 1 else ''}"
        if rules:
            shown += f" of {rules} rule{'s' if rules != 1 else ''}"
        out += [
            "",
            f"> **Shortened to fit:** {shown} not shown here. {EVERYTHING}.",
        ]
    return "\n".join(out).rstrip() + "\n"


def render(results: Sequence[RuleResult], context: ReportContext) -> str:
    return render_markdown(results, context, COMMENT_BUDGET if context.bounded else None)
