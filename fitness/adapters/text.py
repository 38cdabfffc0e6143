"""Plain-text rendering of results, shared by the command line and pytest."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fitness.domain.graph import DynamicImport
from fitness.domain.rendering import INDENT as INDENT
from fitness.domain.rendering import render_chain as render_chain
from fitness.domain.rendering import render_failure as render_failure
from fitness.domain.rendering import render_link as render_link
from fitness.domain.rendering import render_violation as render_violation
from fitness.domain.rendering import sentence as sentence
from fitness.domain.violations import RuleResult


def status_of(result: RuleResult) -> str:
    if result.errors:
        return "ERROR"
    return "BROKEN" if result.violations else "KEPT"


def render_report(
    results: Sequence[RuleResult],
    dynamic_imports: Iterable[DynamicImport] = (),
    notes: Iterable[str] = (),
) -> str:
    """The ``fitness check`` report: one line per rule, then the details of the failures."""
    lines = []
    for result in results:
        lines.append(f"{status_of(result):<6} {result.rule_name}{_baseline_note(result)}")
        for warning in result.warnings:
            lines.append(f"{INDENT}warning: {warning}")
    for result in results:
        if result.passed:
            continue
        lines.append("")
        lines.append(f"{'=' * 3} {status_of(result)}: {result.rule_name} {'=' * 3}")
        lines.append(render_failure(result).rstrip())
    extra = render_blind_spots(dynamic_imports) + [f"note: {note}" for note in notes]
    if extra:
        lines.append("")
        lines.extend(extra)
    lines.append("")
    lines.append(summary_line(results))
    return "\n".join(lines) + "\n"


def render_blind_spots(dynamic_imports: Iterable[DynamicImport]) -> list[str]:
    """The imports the static graph cannot see, so nobody mistakes a pass for proof."""
    found = list(dynamic_imports)
    if not found:
        return []
    count = len(found)
    lines = [
        f"Blind spots: {count} dynamic import{'s' if count != 1 else ''} the rules cannot see:"
    ]
    for spot in found:
        target = f"  (imports {spot.target})" if spot.target else ""
        lines.append(f"{INDENT}{spot.location}  {spot.code}{target}")
    return lines


def summary_line(results: Sequence[RuleResult]) -> str:
    kept = sum(1 for r in results if r.passed)
    broken = sum(1 for r in results if r.violations and not r.errors)
    errors = sum(1 for r in results if r.errors)
    violations = sum(len(r.violations) for r in results)
    parts = [f"{kept} kept", f"{broken} broken"]
    if errors:
        parts.append(f"{errors} with errors")
    return f"{', '.join(parts)} ({violations} violation{'s' if violations != 1 else ''})"


def _baseline_note(result: RuleResult) -> str:
    """`` (2 known violations in the baseline)`` when a baseline forgave some."""
    info = result.details.get("baseline")
    known = info.get("known", 0) if isinstance(info, dict) else 0
    if not known:
        return ""
    return f" ({known} known violation{'s' if known != 1 else ''} in the baseline)"
