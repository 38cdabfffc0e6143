"""A rule's failure message: its description, then each violation with its chains.

Pure text, shared by the pytest items, ``fitness check`` and the fluent API's
``check`` (whose ``AssertionError`` carries this message).

Everything here may carry text from the analysed code (a source line quoted
with its import, a module name taken from a file name), so control characters
are escaped (:func:`printable`) and a quoted line is capped (:func:`quote_source`):
the output of a check must not be able to move the cursor, recolour or clear a
terminal, nor run to megabytes because one line of source is long.

:class:`Limits` says how much of a large result to show: ``fitness check``
summarises (the first violations of a rule, the first chains of each), ``--full``
and the pytest failure of a rule show everything.
"""

from __future__ import annotations

import re
import textwrap
from typing import NamedTuple

from fitness.domain.source_facts import MAX_QUOTE as MAX_QUOTE
from fitness.domain.source_facts import shorten as shorten
from fitness.domain.violations import Chain, Link, RuleResult, Violation

INDENT = "  "

# C0 and C1 control characters (not the tab and newline the layout itself uses), DEL, and
# the bidirectional formatting characters that can make text read in another order.
_CONTROL = re.compile(
    # C0 and C1 controls, bidirectional marks and overrides, and the line and paragraph
    # separators (a reader's splitlines() breaks there).
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    r"""``text`` with control characters written as escapes (``\x1b``, ``\u202e``).

    Newlines and tabs are kept: callers lay out lines with them.
    """
    return _CONTROL.sub(_escape, text)


def printable_line(text: str) -> str:
    r"""One line: control characters escaped, newlines and tabs too (``\x0a``)."""
    return printable(text).replace("\n", "\\x0a").replace("\t", "\\x09")


def quote_source(code: str) -> str:
    """A source line as it is quoted: one line, printable, at most :data:`MAX_QUOTE` characters."""
    return printable_line(shorten(code.strip(), MAX_QUOTE))


class Limits(NamedTuple):
    """How much of a rule's result a report shows (``None``: all of it)."""

    #: Violations shown per rule, then "and N more violations".
    violations: int | None = None
    #: Chains shown per violation, then "and N more chains".
    chains: int | None = None
    #: Other imports making the same route ("also a -> b") shown per chain.
    extras: int | None = None
    #: Characters per line of prose (a warning, an error, guidance): longer ones are wrapped.
    width: int | None = None
    #: Lines of one paragraph of prose after wrapping; the rest is left out.
    lines: int | None = None

    @property
    def full(self) -> bool:
        return self == FULL


#: Everything (``fitness check --full``, a pytest failure, the fluent API's message).
FULL = Limits()
#: What ``fitness check`` shows by default: enough to act on, bounded on any codebase.
SUMMARY = Limits(violations=5, chains=3, extras=3, width=100, lines=8)


def _more(count: int, what: str) -> str:
    return f"... and {count} more {what}{'s' if count != 1 else ''}"


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


def is_url(reference: str) -> bool:
    """Whether an ``adr`` is a web address (``https://...``) rather than a path to a file."""
    return reference.lower().startswith(("https://", "http://"))


def render_link(link: Link) -> str:
    code = f"  {quote_source(link.code)}" if link.code else ""
    mark = f"  {link.mark}" if link.mark else ""
    return f"{printable_line(link.location)}{code}{mark}"


def render_chain(chain: Chain, limits: Limits = FULL) -> list[str]:
    extras = [*chain.extra_firsts, *chain.extra_lasts]
    shown = extras if limits.extras is None else extras[: limits.extras]
    lines = [printable_line(str(chain))]
    for link in shown:
        lines.append(f"{INDENT}(also {printable_line(f'{link.importer} -> {link.imported}')})")
    if len(shown) < len(extras):
        lines.append(f"{INDENT}({_more(len(extras) - len(shown), 'import')} making the same route)")
    sites: dict[str, None] = {}  # (one statement may make several of the grouped imports)
    for link in (*chain.links, *shown):
        sites.setdefault(f"{INDENT}{render_link(link)}", None)
    return lines + list(sites)


def render_violation(violation: Violation, limits: Limits = FULL) -> list[str]:
    count = len(violation.chains)
    suffix = f" ({count} chains)" if count > 1 else ""
    lines = [printable(f"{violation.summary}{suffix}" + (":" if count else ""))]
    shown = violation.chains if limits.chains is None else violation.chains[: limits.chains]
    for chain in shown:
        lines.extend(INDENT + line for line in render_chain(chain, limits))
    if len(shown) < count:
        lines.append(f"{INDENT}{_more(count - len(shown), 'chain')}")
    return lines


def prose(text: str, limits: Limits = FULL) -> list[str]:
    """Lines of a message (an error, a warning, guidance): wrapped at ``limits.width``
    and at most ``limits.lines`` lines each paragraph, the last ending in an ellipsis."""
    lines = printable(text).splitlines() or [""]
    if limits.width is None:
        return lines

    out: list[str] = []
    for line in lines:
        indent = line[: len(line) - len(line.lstrip(" "))]
        wrapped = textwrap.wrap(
            line,
            limits.width,
            subsequent_indent=indent + INDENT,
            break_long_words=True,
            break_on_hyphens=False,
        ) or [line]
        if limits.lines is not None and len(wrapped) > limits.lines:
            wrapped = wrapped[: limits.lines]
            wrapped[-1] = shorten(wrapped[-1], limits.width - 1) + " …"
        out.extend(wrapped)
    return out


def render_failure(result: RuleResult, limits: Limits = FULL) -> str:
    """The whole failure message of a rule: description, then each violation."""
    lines = [*prose(sentence(result.description), limits), ""]
    if result.adr:
        lines.extend([*prose(f"Decision record: {result.adr}", limits), ""])
    for error in result.errors:
        lines.extend(prose(error, limits))
    if result.errors:
        lines.append("")
    violations = result.violations
    shown = violations if limits.violations is None else violations[: limits.violations]
    for violation in shown:
        lines.extend(render_violation(violation, limits))
        lines.append("")
    if len(shown) < len(violations):
        lines.append(_more(len(violations) - len(shown), "violation") + " of this rule")
        lines.append("")
    if result.violations and result.guidance:
        lines.extend(prose(f"How to fix: {result.guidance}", limits))
    for warning in result.warnings:
        lines.extend(prose(f"warning: {warning}", limits))
    return "\n".join(lines).rstrip() + "\n"
