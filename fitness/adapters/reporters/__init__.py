"""Renderers of check results and graphs: pure functions from data to text.

One module per format. Every result renderer takes the results and a
:class:`ReportContext` (in :mod:`~fitness.adapters.reporters.context`: where the
configuration is, how to turn the project's file paths into paths relative to
the repository) and returns the text. This module picks a format by name or by
a file's extension and imports only that format's module; the format modules
never import it (no cycle).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePosixPath

from fitness.adapters.reporters.context import ReportContext
from fitness.domain.errors import ConfigError, did_you_mean
from fitness.domain.violations import RuleResult

Renderer = Callable[[Sequence[RuleResult], ReportContext], str]


FORMATS = ("text", "json", "sarif", "github", "markdown")


def renderer(fmt: str) -> Renderer:
    """The renderer of one format; only its module is imported (a run needs one)."""
    if fmt == "text":
        from fitness.adapters.reporters import text

        return text.render
    if fmt == "json":
        from fitness.adapters.reporters import json_report

        return json_report.render
    if fmt == "sarif":
        from fitness.adapters.reporters import sarif

        return sarif.render
    if fmt == "github":
        from fitness.adapters.reporters import github

        return github.render
    if fmt == "markdown":
        from fitness.adapters.reporters import markdown

        return markdown.render
    raise ConfigError(f"unknown format '{fmt}'{did_you_mean(fmt, FORMATS)}")


#: File extensions of ``--fitness-report`` and ``--output`` and their formats.
EXTENSIONS = {
    ".json": "json",
    ".sarif": "sarif",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
}


def format_for_path(path: str) -> str:
    """The format a report file's extension selects; a :class:`ConfigError` otherwise."""
    name = path.lower()
    for extension, fmt in EXTENSIONS.items():
        if fmt != "json" and name.endswith(extension + ".json"):
            return fmt  # report.sarif.json
    for extension, fmt in EXTENSIONS.items():
        if name.endswith(extension):
            return fmt
    suffix = PurePosixPath(name).suffix
    raise ConfigError(
        f"cannot tell the report format of '{path}' from its extension '{suffix}'"
        f"{did_you_mean(suffix, EXTENSIONS)} (use one of {', '.join(EXTENSIONS)})"
    )


def render(fmt: str, results: Sequence[RuleResult], context: ReportContext) -> str:
    return renderer(fmt)(results, context)


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Renderer",
    "ReportContext",
    "format_for_path",
    "render",
    "renderer",
]
