"""Renderers of check results and graphs: pure functions from data to text.

One module per format. Every result renderer takes the results and a
:class:`ReportContext` (where the configuration is, how to turn the project's
file paths into paths relative to the repository) and returns the text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import NamedTuple

from fitness.domain.errors import ConfigError, did_you_mean
from fitness.domain.graph import DynamicImport
from fitness.domain.rendering import FULL, Limits
from fitness.domain.violations import Link, RuleResult


class ReportContext(NamedTuple):
    """What a renderer needs besides the results.

    ``path_prefix`` turns a file path relative to the project (``shop/x.py``)
    into one relative to where the report is used (the repository root, for
    GitHub: ``examples/shop/shop/x.py``). ``rule_lines`` locate each rule in
    ``config_file``, for rules whose violations have no file of their own.
    """

    config_file: str = "pyproject.toml"
    path_prefix: str = ""
    rule_lines: Mapping[str, int] = MappingProxyType({})
    tool_version: str = ""
    #: What the static graph cannot see (``importlib.import_module(...)``, ``__import__``).
    dynamic_imports: Sequence[DynamicImport] = ()
    #: Other things worth saying (e.g. a suppression that names no rule).
    notes: Sequence[str] = ()
    #: How much the text report shows of a large result (``fitness check``: a summary).
    limits: Limits = FULL
    #: How the text report shows the blind spots: "summary", "list" or "off".
    blind_spots: str = "summary"
    #: Whether a report meant for a bounded place (a GitHub comment, annotations) may
    #: leave details out; False: everything (``--full``, ``$GITHUB_STEP_SUMMARY``).
    bounded: bool = True

    def path(self, file: str) -> str:
        if not self.path_prefix or file.startswith("/"):
            return file
        return str(PurePosixPath(self.path_prefix) / file)

    def rule_location(self, rule_name: str) -> tuple[str, int]:
        """The configuration file (relative to the project) and the rule's line in it."""
        return self.config_file, self.rule_lines.get(rule_name, 1)


def first_site(links: Sequence[Link]) -> Link | None:
    """The first link that has a file (the import a reader should look at first)."""
    return next((link for link in links if link.file), None)


def known_count(result: RuleResult) -> int:
    """How many violations the baseline forgave (0 without a baseline)."""
    return result.baseline.known if result.baseline else 0


def stale_entries(result: RuleResult) -> list[tuple[str, str]]:
    """The fixed entries of the baseline: (importer, imported) of each."""
    if not result.baseline:
        return []
    return [(entry.importer, entry.imported) for entry in result.baseline.fixed]


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
