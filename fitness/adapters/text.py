"""Plain-text rendering of results, shared by the command line and pytest."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fitness.domain.graph import DynamicImport
from fitness.domain.violations import Chain, Link, RuleResult, Violation

INDENT = "  "


def sentence(text: str) -> str:
    """With a full stop (not capitalised: it may start with a module name)."""
    if not text:
        return text
    return text if text.endswith((".", "!", "?")) else text + "."


def render_link(link: Link) -> str:
    code = f"  {link.code}" if link.code else ""
    return f"{link.location}{code}"


def render_chain(chain: Chain) -> list[str]:
    lines = [str(chain)]
    for link in chain.extra_firsts:
        lines.append(f"{INDENT}(also {link.importer} -> {link.imported})")
    for link in chain.extra_lasts:
        lines.append(f"{INDENT}(also {link.importer} -> {link.imported})")
    for link in (*chain.links, *chain.extra_firsts, *chain.extra_lasts):
        lines.append(f"{INDENT}{render_link(link)}")
    return lines


def render_violation(violation: Violation) -> list[str]:
    count = len(violation.chains)
    suffix = f" ({count} chains)" if count > 1 else ""
    lines = [f"{violation.summary}{suffix}" + (":" if count else "")]
    for chain in violation.chains:
        lines.extend(INDENT + line for line in render_chain(chain))
    return lines


def render_failure(result: RuleResult) -> str:
    """The whole failure message of a rule: description, then each violation."""
    lines = [sentence(result.description), ""]
    for error in result.errors:
        lines.extend(error.splitlines())
    if result.errors:
        lines.append("")
    for violation in result.violations:
        lines.extend(render_violation(violation))
        lines.append("")
    if result.violations and result.guidance:
        lines.append(f"How to fix: {result.guidance}")
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines).rstrip() + "\n"


def status_of(result: RuleResult) -> str:
    if result.errors:
        return "ERROR"
    return "BROKEN" if result.violations else "KEPT"


def render_report(
    results: Sequence[RuleResult], dynamic_imports: Iterable[DynamicImport] = ()
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
    lines.append("")
    lines.append(summary_line(results))
    return "\n".join(lines) + "\n"


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
