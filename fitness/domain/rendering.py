"""A rule's failure message: its description, then each violation with its chains.

Pure text, shared by the pytest items, ``fitness check`` and the fluent API's
``check`` (whose ``AssertionError`` carries this message).
"""

from __future__ import annotations

from fitness.domain.violations import Chain, Link, RuleResult, Violation

INDENT = "  "


def format_value(value: float | int | None) -> str:
    """``0.625`` -> ``"0.62"``; ``1.0`` -> ``"1"``; ``None`` -> ``"undefined"``."""
    if value is None:
        return "undefined"
    if isinstance(value, int):
        return str(value)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


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
    for link in (*chain.extra_firsts, *chain.extra_lasts):
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
