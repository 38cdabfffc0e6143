"""What every report format needs besides the results: :class:`ReportContext`,
and what the formats read from a result in the same way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import NamedTuple

from fitness.domain.graph import DynamicImport
from fitness.domain.rendering import FULL, Limits, is_url
from fitness.domain.source_facts import UnreadFile
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
    #: Files named like modules that were not read (a link out of the project...).
    unread_files: Sequence[UnreadFile] = ()
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

    def adr(self, reference: str) -> str:
        """A rule's ``adr`` as the report shows it: a URL as it is, a file (relative to
        the project) as :meth:`path` shows files."""
        return reference if not reference or is_url(reference) else self.path(reference)

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
