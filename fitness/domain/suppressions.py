"""Inline suppressions: ``# fitness: ignore[<rule name>] <reason>`` on an import line.

The import on that line is left out of the graph for that rule only. The
reason is required; a suppression that silences nothing (its line imports nothing
in the graph) is reported, so that suppressions cannot outlive the code they excuse.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable

from fitness.domain.errors import did_you_mean
from fitness.domain.graph import ProjectGraph
from fitness.domain.source_facts import Suppression

PATTERN = re.compile(r"#\s*fitness:\s*ignore\[(?P<rules>[^\]]*)\](?P<reason>.*)$")
MARKER = "fitness:"


def parse_suppressions(module: str, file: str, text: str) -> list[Suppression]:
    """The suppressions written in one source file (in comments: not in strings)."""
    if MARKER not in text:
        return []
    found = []
    for number, comment in _comments(text):
        match = PATTERN.search(comment)
        if match:
            rules = tuple(r.strip() for r in match.group("rules").split(",") if r.strip())
            found.append(Suppression(file, number, module, rules, match.group("reason").strip()))
    return found


def _comments(text: str) -> list[tuple[int, str]]:
    """``(line, comment)`` for every comment token (none if the file does not tokenize)."""
    try:
        return [
            (token.start[0], token.string)
            for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type == tokenize.COMMENT and MARKER in token.string
        ]
    except (tokenize.TokenError, SyntaxError, ValueError):
        return []


def silenced_imports(
    graph: ProjectGraph, suppressions: Iterable[Suppression]
) -> dict[Suppression, set[tuple[str, str]]]:
    """For each suppression, the direct imports written on its line."""
    silenced: dict[Suppression, set[tuple[str, str]]] = {}
    for suppression in suppressions:
        pairs = set()
        if suppression.module in graph:
            for imported in graph.grimp.find_modules_directly_imported_by(suppression.module):
                sites = graph.import_sites(suppression.module, imported)
                if any(site.line_number == suppression.line for site in sites):
                    pairs.add((suppression.module, imported))
        silenced[suppression] = pairs
    return silenced


def unknown_rule_names(suppressions: Iterable[Suppression], rule_names: Iterable[str]) -> list[str]:
    """Messages for suppressions that name no rule (with "did you mean")."""
    names = set(rule_names)
    messages = []
    for suppression in sorted(suppressions):
        for name in suppression.rules:
            if name not in names:
                messages.append(
                    f"{suppression.location}: '# fitness: ignore[{name}]' names no rule"
                    f"{did_you_mean(name, names)}"
                )
    return messages


def missing_reasons(suppressions: Iterable[Suppression]) -> list[str]:
    return [
        f"{s.location}: '# fitness: ignore[{', '.join(s.rules)}]' needs a reason after the "
        "brackets, e.g. '# fitness: ignore[My rule] legacy code, see ISSUE-12'"
        for s in sorted(suppressions)
        if not s.reason
    ]


def by_rule(suppressions: Iterable[Suppression], rule_name: str) -> list[Suppression]:
    return [s for s in suppressions if rule_name in s.rules]
