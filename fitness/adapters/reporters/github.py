"""GitHub Actions workflow commands: one ``::error`` annotation per violation.

Escaping follows the runner's rules (actions/toolkit ``command.ts``): in the
message ``%``, ``\\r`` and ``\\n`` are percent-encoded; in properties ``:`` and
``,`` are too.
"""

from __future__ import annotations

from collections.abc import Sequence

from fitness.adapters.reporters import ReportContext, first_site
from fitness.adapters.text import summary_line
from fitness.domain.rendering import sentence
from fitness.domain.violations import RuleResult, Violation


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None and value != ""
    )
    return f"::{kind}{' ' + props if props else ''}::{escape_data(message)}"


def _violation_message(violation: Violation) -> str:
    lines = [sentence(violation.summary)]
    for chain in violation.chains:
        lines.append(f"  {chain}")
        for link in chain.links:
            lines.append(f"    {link.location}  {link.code}".rstrip())
    return "\n".join(lines)


def render(results: Sequence[RuleResult], context: ReportContext) -> str:
    lines = []
    for result in results:
        config_file, config_line = context.rule_location(result.rule_name)
        config_file = context.path(config_file)
        for violation in result.violations:
            links = [link for chain in violation.chains for link in chain.links]
            site = first_site(links)
            if site is not None and site.file:
                file, line = context.path(site.file), (site.line_numbers or (None,))[0]
            else:
                file, line = config_file, config_line
            lines.append(
                command(
                    "error",
                    _violation_message(violation),
                    file=file,
                    line=line,
                    title=f"fitness: {result.rule_name}",
                )
            )
        for error in result.errors:
            lines.append(
                command(
                    "error",
                    error,
                    file=config_file,
                    line=config_line,
                    title=f"fitness: {result.rule_name}",
                )
            )
        for warning in result.warnings:
            lines.append(
                command(
                    "warning",
                    warning,
                    file=config_file,
                    line=config_line,
                    title=f"fitness: {result.rule_name}",
                )
            )
    lines.append(command("notice", summary_line(results), title="pytest-fitness"))
    return "\n".join(lines) + "\n"
