"""The plain-text report (``fitness check``'s default format), for the CLI and pytest.

A rule's failure message itself (description, violations, chains) is
:func:`fitness.domain.rendering.render_failure`: ``rule.check`` raises with it,
so it lives in the domain. This module puts the failures of a run together:
one status line per rule, the details, the blind spots and the summary line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from fitness._lazy import LazyModule
from fitness.adapters.reporters.context import ReportContext
from fitness.domain.graph import DynamicImport
from fitness.domain.rendering import (
    FULL,
    INDENT,
    Limits,
    printable_line,
    prose,
    quote_source,
    render_failure,
)
from fitness.domain.source_facts import UnreadFile, unread_summary
from fitness.domain.violations import RuleResult

# (only with --new-since: what a revision held, and the baseline's model, about 8 ms)
if TYPE_CHECKING:
    from fitness.domain import new_since as _new_since
else:
    _new_since = LazyModule("fitness.domain.new_since")


#: What a summary of the blind spots says to get the list (``fitness check``).
CLI_BLIND_SPOTS_HINT = "fitness check --blind-spots"


def status_of(result: RuleResult) -> str:
    """``KEPT``, ``BROKEN``, ``WARN`` (broken, a rule of severity warning) or ``ERROR``."""
    if result.errors:
        return "ERROR"
    if result.warned:
        return "WARN"
    return "BROKEN" if result.violations else "KEPT"


def render_report(
    results: Sequence[RuleResult],
    dynamic_imports: Iterable[DynamicImport] = (),
    notes: Iterable[str] = (),
    *,
    limits: Limits = FULL,
    blind_spots: str = "list",
    blind_spots_hint: str = CLI_BLIND_SPOTS_HINT,
    unread_files: Sequence[UnreadFile] = (),
) -> str:
    """The ``fitness check`` report: one line per rule, then the details of the failures.

    A rule's warnings are printed once: under its status line if it holds, in its
    details if not. ``limits`` bounds what is shown of each failure.
    """
    lines = []
    for result in results:
        lines.append(
            f"{status_of(result):<6} {printable_line(result.rule_name)}{_baseline_note(result)}"
        )
        if progress := progress_line(result):
            lines.extend(f"{INDENT}{line}" for line in prose(progress, limits))
        if result.passed:
            for warning in result.warnings:
                lines.extend(f"{INDENT}{line}" for line in prose(f"warning: {warning}", limits))
    for result in results:
        if result.passed:
            continue
        lines.append("")
        lines.append(f"{'=' * 3} {status_of(result)}: {printable_line(result.rule_name)} {'=' * 3}")
        lines.append(render_failure(result, limits).rstrip())
    extra = render_blind_spots(
        dynamic_imports, blind_spots, blind_spots_hint, unread_files=unread_files
    ) + [line for note in notes for line in prose(f"note: {note}", limits)]
    if extra:
        lines.append("")
        lines.extend(extra)
    if not limits.full and _shortened(results, limits):
        lines.append("")
        lines.append(
            "(shortened: fitness check --full shows every violation and chain, "
            "as --format json and sarif do)"
        )
    lines.append("")
    lines.append(summary_line(results))
    return "\n".join(lines) + "\n"


def _shortened(results: Sequence[RuleResult], limits: Limits) -> bool:
    """Whether ``limits`` leave out some violation or chain of a failed rule."""
    for result in results:
        if result.passed:
            continue
        if limits.violations is not None and len(result.violations) > limits.violations:
            return True
        for violation in result.violations[: limits.violations]:
            if limits.chains is not None and len(violation.chains) > limits.chains:
                return True
            for chain in violation.chains[: limits.chains]:
                extras = len(chain.extra_firsts) + len(chain.extra_lasts)
                if limits.extras is not None and extras > limits.extras:
                    return True
    return False


def render_blind_spots(
    dynamic_imports: Iterable[DynamicImport],
    mode: str = "list",
    hint: str = CLI_BLIND_SPOTS_HINT,
    *,
    unread_files: Sequence[UnreadFile] = (),
) -> list[str]:
    """The imports the static graph cannot see, and the files that were not read (a link
    out of the project...), so nobody mistakes a pass for proof.

    ``mode``: ``"summary"`` (one line each kind, saying how to list them; up to three
    files are named in it), ``"list"`` (one line each) or ``"off"``.
    """
    if mode == "off":
        return []
    lines = []
    found = list(dynamic_imports)
    if found:
        count = len(found)
        what = f"{count} dynamic import{'s' if count != 1 else ''} the rules cannot see"
        if mode == "summary":
            lines.append(f"Blind spots: {what} ({hint} lists them)")
        else:
            lines.append(f"Blind spots: {what}:")
            for spot in found:
                target = f"  (imports {printable_line(spot.target)})" if spot.target else ""
                lines.append(
                    f"{INDENT}{printable_line(spot.location)}  {quote_source(spot.code)}{target}"
                )
    if unread_files:
        count = len(unread_files)
        what = f"{count} file{'s' if count != 1 else ''} the rules cannot see (not read)"
        if mode == "summary":
            more = f" ({hint} lists them)" if count > UNREAD_NAMED else ""
            named = unread_summary(unread_files, UNREAD_NAMED)
            lines.append(printable_line(f"Blind spots: {what}: {named}{more}"))
        else:
            lines.append(f"Blind spots: {what}:")
            for unread in unread_files:
                lines.append(f"{INDENT}{printable_line(f'{unread.file}  {unread.reason}')}")
    return lines


#: How many files not read a summary of the blind spots names.
UNREAD_NAMED = 3


def summary_line(results: Sequence[RuleResult]) -> str:
    """``6 kept, 2 broken (2 violations)``; with ``--new-since REV``, ``(2 new violations
    since REV; 5 existed there)``."""
    kept = sum(1 for r in results if r.passed)
    broken = sum(1 for r in results if r.violations and not r.errors and not r.warned)
    warned = sum(1 for r in results if r.warned)
    errors = sum(1 for r in results if r.errors)
    violations = sum(len(r.violations) for r in results)
    parts = [f"{kept} kept", f"{broken} broken"]
    if warned:
        parts.append(f"{warned} warning{'s' if warned != 1 else ''}")
    if errors:
        parts.append(f"{errors} with errors")
    counted = f"{violations} violation{'s' if violations != 1 else ''}"
    if any(r.since is not None for r in results):
        summary = _new_since.since_totals(results)[0]
        counted = (
            f"{violations} new violation{'s' if violations != 1 else ''} since "
            f"{printable_line(summary.revision)}; {_new_since.existed_phrase(summary)}"
        )
    return f"{', '.join(parts)} ({counted})"


def progress_line(result: RuleResult) -> str:
    """``progress: 3 importers, 4 imports of app.legacy left (...)`` for a rule that
    reports a migration's progress (``strangler_fig``), else empty."""
    progress = result.progress
    return f"progress: {printable_line(progress.summary())}" if progress else ""


def _baseline_note(result: RuleResult) -> str:
    """`` (2 known violations in the baseline)`` when a baseline forgave some."""
    return f" ({baseline_note(result)})" if baseline_note(result) else ""


def baseline_note(result: RuleResult) -> str:
    """What the baseline forgave: whole violations, and the known chains of violations
    that have new ones too (``2 known violations, 1 known chain in the baseline``); and
    what existed at the revision of ``--new-since`` (``3 violations existed at main``)."""
    notes = []
    if result.baseline is not None:
        parts = []
        for count, noun in (
            (result.baseline.known, "violation"),
            (result.baseline.known_chains, "chain"),
        ):
            if count > 0:
                parts.append(f"{count} known {noun}{'s' if count != 1 else ''}")
        if parts:
            notes.append(f"{', '.join(parts)} in the baseline")
    if result.since is not None:
        parts = []
        for count, noun in (
            (result.since.existed, "violation"),
            (result.since.existed_chains, "chain"),
        ):
            if count > 0:
                parts.append(f"{count} {noun}{'s' if count != 1 else ''}")
        if parts:
            notes.append(f"{', '.join(parts)} existed at {printable_line(result.since.revision)}")
    return ", ".join(notes)


def render(results: Sequence[RuleResult], context: ReportContext) -> str:
    """The text format of :mod:`fitness.adapters.reporters`."""
    return render_report(
        results,
        context.dynamic_imports,
        context.notes,
        limits=context.limits,
        blind_spots=context.blind_spots,
        unread_files=context.unread_files,
    )
