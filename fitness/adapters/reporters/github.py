"""GitHub Actions workflow commands: one ``::error`` annotation per violation.

GitHub shows at most 10 error and 10 warning annotations of a step (and 50 of a
job), so a bounded report (the default) annotates the first 9 in the order of
the rules and their violations, and one more annotation counts the rest, rule
by rule; ``fitness check`` then writes the whole markdown report to
``$GITHUB_STEP_SUMMARY``.

Escaping follows the runner's rules (actions/toolkit ``command.ts``): in the
message ``%``, ``\\r`` and ``\\n`` are percent-encoded; in properties ``:`` and
``,`` are too. Control characters (terminal escapes in a quoted source line)
are written as ``\\x1b``: the log viewer would interpret them.
"""

from __future__ import annotations

from collections.abc import Sequence

from fitness.adapters.reporters.context import ReportContext, first_site
from fitness.adapters.reporters.text import summary_line
from fitness.domain.rendering import printable, quote_source, sentence, shorten
from fitness.domain.violations import RuleResult, Violation

#: Annotations of each level GitHub shows for a step.
MAX_ANNOTATIONS = 10
#: Chains quoted in one annotation.
MAX_CHAINS = 3
#: Characters of a warning in one annotation.
MAX_MESSAGE = 1_000


def escape_data(text: str) -> str:
    encoded = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(encoded)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None and value != ""
    )
    return f"::{kind}{' ' + props if props else ''}::{escape_data(message)}"


def _violation_message(violation: Violation, bounded: bool = True) -> str:
    lines = [sentence(violation.summary)]
    chains = violation.chains[:MAX_CHAINS] if bounded else violation.chains
    for chain in chains:
        lines.append(f"  {chain}")
        for link in chain.links:
            mark = f"  {link.mark}" if link.mark else ""
            lines.append(f"    {link.location}  {quote_source(link.code)}{mark}".rstrip())
    if len(chains) < len(violation.chains):
        rest = len(violation.chains) - len(chains)
        lines.append(f"  ... and {rest} more chain{'s' if rest != 1 else ''}")
    return "\n".join(lines)


def _cap(annotations: list[tuple[str, str]], kind: str, limit: int) -> list[str]:
    """The annotations of one level, at most ``limit``: the first ``limit - 1`` and one
    that counts the others by rule (annotations are ``(rule name, command)``)."""
    if len(annotations) <= limit:
        return [line for _, line in annotations]
    shown, rest = annotations[: limit - 1], annotations[limit - 1 :]
    counts: dict[str, int] = {}
    for rule, _ in rest:
        counts[rule] = counts.get(rule, 0) + 1
    what = "error" if kind == "error" else "warning"
    message = (
        f"{len(rest)} more {what}s are not annotated (GitHub shows {limit} {what} annotations "
        "of a step): "
        + "; ".join(f"{rule}: {count}" for rule, count in counts.items())
        + ". The job summary lists them all; so does `fitness check --full` "
        "(or --format json or sarif)."
    )
    return [
        *(line for _, line in shown),
        command(kind, message, title=f"fitness: {len(rest)} more {what}s"),
    ]


def render(results: Sequence[RuleResult], context: ReportContext) -> str:
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    for result in results:
        title = f"fitness: {result.rule_name}"
        if result.since is not None:
            title += f" (new since {result.since.revision})"
        config_file, config_line = context.rule_location(result.rule_name)
        config_file = context.path(config_file)
        adr = f"\nDecision record: {context.adr(result.adr)}" if result.adr else ""
        for violation in result.violations:
            links = [link for chain in violation.chains for link in chain.links]
            site = first_site(links)
            if site is not None and site.file:
                file, line = context.path(site.file), (site.line_numbers or (None,))[0]
            else:
                file, line = config_file, config_line
            (warnings if result.warned else errors).append(
                (
                    result.rule_name,
                    command(
                        "warning" if result.warned else "error",
                        _violation_message(violation, context.bounded) + adr,
                        file=file,
                        line=line,
                        title=title,
                    ),
                )
            )
        for error in result.errors:
            errors.append(
                (
                    result.rule_name,
                    command(
                        "error",
                        error,
                        file=config_file,
                        line=config_line,
                        title=f"fitness: {result.rule_name}",
                    ),
                )
            )
        for warning in result.warnings:
            warnings.append(
                (
                    result.rule_name,
                    command(
                        "warning",
                        shorten(warning, MAX_MESSAGE) if context.bounded else warning,
                        file=config_file,
                        line=config_line,
                        title=f"fitness: {result.rule_name}",
                    ),
                )
            )
    if context.bounded:
        lines = _cap(errors, "error", MAX_ANNOTATIONS) + _cap(warnings, "warning", MAX_ANNOTATIONS)
    else:
        lines = [line for _, line in errors + warnings]
    lines.append(command("notice", summary_line(results), title="pytest-fitness"))
    return "\n".join(lines) + "\n"
