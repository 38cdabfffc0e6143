"""Where a key of a TOML configuration is: its line, found from the text alone (for
``file:line`` in errors and reports). The headers are indexed once per text."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import NamedTuple

from fitness.domain.errors import Key

SECTION = "tool.fitness"


class TomlKeys:
    """The lines of ``[tool.fitness]``'s keys in ``text`` (a :class:`KeyLocator`).
    ``coverage``: the indexes of the rules ``require_coverage`` stands for."""

    def __init__(self, text: str, coverage: frozenset[int] = frozenset()) -> None:
        self.text = text
        self.coverage = coverage

    def line_of(self, key: Key) -> int | None:
        return locate_key(self.text, SECTION, key)

    def line_of_rule(self, index: int) -> int | None:
        if index in self.coverage:
            return locate_key(self.text, SECTION, ("require_coverage",))
        return locate_key(self.text, SECTION, ("rules", index))

    def line_of_root_packages(self) -> int | None:
        return locate_key(self.text, SECTION, ("root_packages",)) or locate_key(
            self.text, SECTION, ("root_package",)
        )


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


class _TomlIndex(NamedTuple):
    """The table headers of a TOML text, found in one pass."""

    lines: list[str]
    #: (table name, occurrence of that name, 1-based line), in the order of the file
    tables: list[tuple[str, int, int]]
    #: (table name, occurrence) -> position in ``tables``
    positions: dict[tuple[str, int], int]
    #: table name -> the line of its first header
    first_lines: dict[str, int]


@functools.lru_cache(maxsize=8)
def _toml_index(text: str) -> _TomlIndex:
    """One scan of ``text`` for all its headers, so that locating every rule of a large
    configuration costs one pass, not one per rule (the text's hash is kept by the
    string, so looking it up again is cheap)."""
    lines = text.splitlines()
    tables: list[tuple[str, int, int]] = []
    positions: dict[tuple[str, int], int] = {}
    first_lines: dict[str, int] = {}
    array_counts: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if "[" not in line:
            continue
        header = _HEADER.match(line)
        if not header:
            continue
        name = _SPACES.sub("", header.group(2))
        if header.group(1) == "[[":
            index = array_counts.get(name, 0)
            array_counts[name] = index + 1
        else:
            index = 0
        positions.setdefault((name, index), len(tables))
        first_lines.setdefault(name, number)
        tables.append((name, index, number))
    return _TomlIndex(lines, tables, positions, first_lines)


_SPACES = re.compile(r"\s+")


def locate_key(text: str, section: str, key: Sequence[str | int]) -> int | None:
    """The 1-based line of a key path inside ``section`` (``("rules", 2, "type")`` is the
    ``type`` key of the third ``[[section.rules]]`` table); the closest enclosing line
    that can be found, or ``None``.

    The headers are indexed once per text: a rule's line costs a dictionary lookup
    and a scan of its own table (linear in the size of the configuration overall)."""
    index = _toml_index(text)
    section_line = index.first_lines.get(section)
    parts = list(key)
    target, occurrence = section, 0
    if len(parts) >= 2 and isinstance(parts[1], int):
        target, occurrence = f"{section}.{parts[0]}", parts[1]
        parts = parts[2:]
    position = index.positions.get((target, occurrence))
    if position is None:
        return section_line
    _, _, number = index.tables[position]
    if not parts:
        return number
    if len(parts) == 1 and "." in str(parts[0]):
        # "modules.app.billing": the key "app.billing" of the table option "modules"
        parts = list[str | int](str(parts[0]).split(".", 1))
    found = _key_line(index, number, parts[0])
    if found is not None:
        return found
    # Written under this rule as a sub-table [section.key] (perhaps with its own keys), or
    # as [[section.key]] tables: the one the next part counts.
    sub = f"{target}.{parts[0]}"
    under = []
    for name, _, header_line in index.tables[position + 1 :]:
        if not name.startswith(f"{target}."):
            break  # the next rule, or another section
        if name == sub:
            under.append(header_line)
    if under:
        if len(parts) > 1 and isinstance(parts[1], int):
            return under[min(parts[1], len(under) - 1)]
        inner = _key_line(index, under[0], parts[1]) if len(parts) > 1 else None
        return inner if inner is not None else under[0]
    first = index.first_lines.get(sub)
    return first if first is not None else number


def _key_line(index: _TomlIndex, header_line: int, key: str | int) -> int | None:
    """The line of ``key = ...`` in the table whose header is at ``header_line``."""
    following = [line for _, _, line in index.tables if line > header_line]
    end = following[0] if following else len(index.lines) + 1
    pattern = re.compile(rf"^\s*[\"']?{re.escape(str(key))}[\"']?\s*=")
    for line_number in range(header_line + 1, end):
        if pattern.match(index.lines[line_number - 1]):
            return line_number
    return None
