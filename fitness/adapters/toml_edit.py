"""Replacing the ``[tool.fitness]`` part of a TOML file and nothing else.

A small scanner walks the file statement by statement (table headers and
``key = value`` lines) the way a TOML parser does: strings (also multi-line
ones), arrays and inline tables spanning lines, and comments are skipped as
wholes, so text that only *looks* like a header inside a string is never
taken for one. It reports the exact span of each statement and the key path it
defines. The spans that belong to ``tool.fitness`` are replaced; every other
byte stays as it was. The caller checks the result with :mod:`tomllib`: the
rest of the document must parse to the same data.

Written here rather than with tomlkit: tomlkit keeps a comment that precedes a
table inside the table *before* it, so deleting ``[tool.fitness]`` with it
deletes the comment above the next table (the defect this module fixes), and
it would be a new run-time dependency for one command.
"""

from __future__ import annotations

import re
import tomllib
from typing import NamedTuple

Key = tuple[str, ...]
FITNESS: Key = ("tool", "fitness")

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_DATE_TIME_GAP = re.compile(r"\d{4}-\d{2}-\d{2} \d")
_SCALAR_END = frozenset(" \t\r\n#,]}")


class Statement(NamedTuple):
    """One table header or ``key = value``: where it starts (its line's start) and ends
    (after its line's newline), and the key path it defines."""

    kind: str  # "table", "array" (an array-of-tables header) or "value"
    key: Key
    start: int
    end: int


class TomlScanError(Exception):
    """The text is not TOML the scanner can follow (the caller parsed it first)."""


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def fail(self, what: str) -> TomlScanError:
        line = self.text.count("\n", 0, self.pos) + 1
        return TomlScanError(f"{what} at line {line}")

    def skip_blank(self, *, newlines: bool) -> None:
        """Whitespace and comments (and newlines, if asked)."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t" or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end if not newlines else end + 1
            else:
                return

    def line_end(self) -> int:
        """After the rest of the line: whitespace, a comment, the newline."""
        self.skip_blank(newlines=False)
        if self.pos < len(self.text) and self.text[self.pos] not in "\r\n":
            raise self.fail("unexpected text after a statement")
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end + 1
        return self.pos

    def key(self) -> Key:
        parts: list[str] = []
        while True:
            self.skip_blank(newlines=False)
            char = self.peek()
            if char in ('"', "'"):
                start = self.pos
                self.string()
                parts.append(tomllib.loads(f"k = {self.text[start : self.pos]}")["k"])
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if not match:
                    raise self.fail("expected a key")
                parts.append(match.group())
                self.pos = match.end()
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return tuple(parts)
            self.pos += 1

    def string(self) -> None:
        text = self.text
        for quote in ('"""', "'''"):
            if text.startswith(quote, self.pos):
                self.pos += 3
                while True:
                    end = text.find(quote, self.pos)
                    if end < 0:
                        raise self.fail("unterminated string")
                    if quote == '"""' and _escaped(text, end):
                        self.pos = end + 1
                        continue
                    self.pos = end + 3
                    extra = 0  # up to two quotes may end the content: """a"""""
                    while extra < 2 and text.startswith(quote[0], self.pos):
                        self.pos += 1
                        extra += 1
                    return
        quote = text[self.pos]
        self.pos += 1
        while True:
            end = text.find(quote, self.pos)
            if end < 0 or "\n" in text[self.pos : end]:
                raise self.fail("unterminated string")
            if quote == '"' and _escaped(text, end):
                self.pos = end + 1
                continue
            self.pos = end + 1
            return

    def value(self) -> None:
        char = self.peek()
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.pos += 1
            while True:
                self.skip_blank(newlines=True)
                if self.peek() == "]":
                    self.pos += 1
                    return
                self.value()
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.pos += 1
        elif char == "{":
            self.pos += 1
            while True:
                self.skip_blank(newlines=True)
                if self.peek() == "}":
                    self.pos += 1
                    return
                self.key()
                if self.peek() != "=":
                    raise self.fail("expected '='")
                self.pos += 1
                self.skip_blank(newlines=False)
                self.value()
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.pos += 1
        else:
            start = self.pos
            if _DATE_TIME_GAP.match(self.text, self.pos):
                self.pos += 11
            while self.pos < len(self.text) and self.text[self.pos] not in _SCALAR_END:
                self.pos += 1
            if self.pos == start:
                raise self.fail("expected a value")

    def statements(self) -> list[Statement]:
        found: list[Statement] = []
        table: Key = ()
        text = self.text
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(text):
                return found
            start = text.rfind("\n", 0, self.pos) + 1
            if self.peek() == "[":
                array = self.peek(2) == "[["
                self.pos += 2 if array else 1
                table = self.key()
                closing = "]]" if array else "]"
                if not text.startswith(closing, self.pos):
                    raise self.fail(f"expected '{closing}'")
                self.pos += len(closing)
                found.append(
                    Statement("array" if array else "table", table, start, self.line_end())
                )
            else:
                key = self.key()
                if self.peek() != "=":
                    raise self.fail("expected '='")
                self.pos += 1
                self.skip_blank(newlines=False)
                self.value()
                found.append(Statement("value", table + key, start, self.line_end()))


def _escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` is escaped by an odd run of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def statements(text: str) -> list[Statement]:
    """The statements of a TOML document, in order."""
    return _Scanner(text).statements()


def _is_fitness(key: Key) -> bool:
    return key[: len(FITNESS)] == FITNESS


def fitness_spans(text: str) -> list[tuple[int, int, bool]]:
    """The ``(start, end, is_table)`` spans that define ``tool.fitness``: each table
    under it from its header to the end of its last statement (comments and blank lines
    after that belong to what follows), and each ``tool.fitness...`` key elsewhere."""
    spans: list[tuple[int, int, bool]] = []
    inside = False
    adjacent = False  # the previous statement belongs to tool.fitness too
    for statement in statements(text):
        if statement.kind != "value":
            inside = _is_fitness(statement.key)
            if inside and adjacent and spans[-1][2]:
                spans[-1] = (spans[-1][0], statement.end, True)  # what is between goes too
            elif inside:
                spans.append((statement.start, statement.end, True))
            adjacent = inside
        elif inside:
            spans[-1] = (spans[-1][0], statement.end, True)
        elif _is_fitness(statement.key):
            spans.append((statement.start, statement.end, False))
            adjacent = False
        else:
            adjacent = False
    return spans


def replace_fitness(text: str, block: str) -> str:
    """``text`` with its ``tool.fitness`` definitions replaced by ``block`` (which ends
    with a newline): in the place of the first ``[tool.fitness...]`` table if there is
    one, else appended; blank lines that followed a removed part go with it."""
    spans = fitness_spans(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    in_place = next((start for start, _, is_table in spans if is_table), None)
    pieces: list[str] = []
    position = 0
    for start, end, _ in spans:
        pieces.append(text[position:start])
        if start == in_place:
            pieces.append(block)
            position = end
        else:
            position = _after_blank_lines(text, end)
    rest = text[position:]
    if in_place is None:
        return appended("".join(pieces) + rest, block, newline)
    return "".join(pieces) + rest


def _after_blank_lines(text: str, position: int) -> int:
    while True:
        end = text.find("\n", position)
        line = text[position:] if end < 0 else text[position:end]
        if line.strip() or position >= len(text):
            return position
        position = len(text) if end < 0 else end + 1


def appended(text: str, block: str, newline: str = "\n") -> str:
    """``block`` after ``text``, one blank line between them."""
    if not text:
        return block
    separator = (
        ""
        if text.endswith(newline + newline)
        else newline
        if text.endswith(newline)
        else newline * 2
    )
    return text + separator + block
