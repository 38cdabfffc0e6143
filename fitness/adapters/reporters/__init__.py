"""Renderers of check results and graphs: pure functions from data to text.

One module per format (listed in :mod:`fitness.adapters.report_formats`, with
those of the other commands). Every result renderer takes the results and a
:class:`ReportContext` (in :mod:`~fitness.adapters.reporters.context`: where the
configuration is, how to turn the project's file paths into paths relative to
the repository) and returns the text. This module picks a format by name or by
a file's extension and imports only that format's module; the format modules
never import it (no cycle).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from typing import cast

from fitness._lazy import resolve
from fitness.adapters.report_formats import BUILTIN_RESULT_FORMATS
from fitness.adapters.reporters.context import ReportContext
from fitness.domain.errors import ConfigError, did_you_mean
from fitness.domain.violations import RuleResult

Renderer = Callable[[Sequence[RuleResult], ReportContext], str]


def renderer(fmt: str) -> Renderer:
    """The renderer of one built-in format (in :mod:`fitness.adapters.report_formats`);
    only its module is imported (a run needs one)."""
    report_format = BUILTIN_RESULT_FORMATS.get(fmt)
    if report_format is None:
        raise ConfigError(f"unknown format '{fmt}'{did_you_mean(fmt, BUILTIN_RESULT_FORMATS)}")
    assert isinstance(report_format.renderer, str)
    return cast(Renderer, resolve(report_format.renderer))


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
    "Renderer",
    "ReportContext",
    "format_for_path",
    "render",
    "renderer",
]
