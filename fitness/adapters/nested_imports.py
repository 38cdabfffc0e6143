"""Imports made inside a function (or a method), and imports under ``if TYPE_CHECKING:``,
found in the source text: what ``exclude_function_level_imports`` leaves out and
what messages mark.

grimp records each import with its line, not with where it is made. Only an indented
import statement can be inside a function, so only the files that have an indented
``import`` or ``from ... import`` line are looked at (a search of the bytes), and
in them only those lines: from each, the lines above it are walked up to the block
that encloses it (the first line less indented that opens a block). A ``def`` there
makes it a function-level import; an ``if TYPE_CHECKING:`` a type-checking one. A
line the walk cannot read as code (less indented, but neither a block's header nor
the closing bracket of a long signature) is most often the inside of a docstring
(an example that imports something): the walk is made again with the lines inside
multi-line strings left out (found by one regular expression over the file). If it
still meets such a line, the whole file goes to :mod:`ast`, which is exact, and
only its statements are walked. The code is parsed, never run.

The findings are part of the source scan (:mod:`fitness.adapters.source_scan`),
cached with the graph.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping

from fitness.domain.source_facts import FUNCTION, TYPE_CHECKING_ONLY, ImportContext

#: An indented import statement (a file without one has no function-level import).
INDENTED_IMPORT = re.compile(rb"^[ \t]+(?:import[ \t]+[\w.]|from[ \t]+[\w.]+[ \t]+import\b)", re.M)

#: An import statement, its indentation left out.
_IMPORT_LINE = re.compile(r"(?:import[ \t]+[\w.]|from[ \t]+[\w.]+[ \t]+import\b)")
#: The same, in the decoded text: its indentation is group 1.
_INDENTED = re.compile(r"^([ \t]+)(?:import[ \t]+[\w.]|from[ \t]+[\w.]+[ \t]+import\b)", re.M)
_HEADER = re.compile(
    r"(?:async[ \t]+)?(def|class|if|elif|else|try|except|finally|with|for|while|match|case)\b"
)
#: The end of a header written over several lines: ``):``, ``) -> int:``, ``]``.
_CLOSING = re.compile(r"[)\]}]+[ \t]*(?:->[^:]*)?:?[ \t]*(?:#.*)?$")
_TYPE_CHECKING_TEST = re.compile(r"if[ \t]+(?:[\w]+\.)?TYPE_CHECKING[ \t]*:[ \t]*(?:#.*)?$")
#: Strings and comments (a comment may hold a quote; a one-line string a ``#``), each
#: found by a regular expression that starts with a quote or ``#`` (a string's prefix,
#: ``r``, ``b``, ``f``..., is left out).
STRINGS_AND_COMMENTS = re.compile(
    r"""\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\#[^\n]*"""
)


class _Unreadable(Exception):
    """The walk met a line it cannot read as code: parse the file instead."""


class FileContexts(Mapping[int, str]):
    """Where the import statements of one file are made, by line (1-based): only the
    lines asked are walked (a message marks the few imports of its chains), each once;
    iterating reads them all."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines = text.split("\n")
        self._strings: frozenset[int] | None = None
        self._all: dict[int, str] | None = None
        self._known: dict[int, str] = {}

    def context(self, line: int) -> str:
        """``FUNCTION``, ``TYPE_CHECKING_ONLY`` or ``""`` for the import on ``line``."""
        if self._all is not None:
            return self._all.get(line, "")
        found = self._known.get(line)
        if found is None:
            found = self._known[line] = self._at(line - 1)
        return found

    def _at(self, index: int) -> str:
        if not 0 <= index < len(self._lines):
            return ""
        code = self._lines[index].lstrip(" \t")
        indent = len(self._lines[index]) - len(code)
        if not indent or not _IMPORT_LINE.match(code):
            return ""
        try:
            return _enclosing(self._lines, index, indent, frozenset())
        except _Unreadable:
            pass
        if self._strings is None:
            self._strings = _string_lines(self._text)
        if index in self._strings:
            return ""
        try:
            return _enclosing(self._lines, index, indent, self._strings)
        except _Unreadable:
            return self._everything().get(index + 1, "")

    def _everything(self) -> dict[int, str]:
        if self._all is None:
            self._all = {c.line: c.context for c in import_contexts("", self._text)}
        return self._all

    def __getitem__(self, line: int) -> str:
        found = self.context(line)
        if not found:
            raise KeyError(line)
        return found

    def __iter__(self) -> Iterator[int]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())


def import_contexts(module: str, text: str) -> list[ImportContext]:
    """The imports of ``module`` (its source ``text``) made inside a function, or under
    ``if TYPE_CHECKING:`` (outside any function), in line order."""
    lines = text.split("\n")
    try:
        return _walked(module, text, lines, frozenset())
    except _Unreadable:
        pass
    try:
        return _walked(module, text, lines, _string_lines(text))
    except _Unreadable:
        return _parsed(module, text)


def _walked(
    module: str, text: str, lines: list[str], strings: frozenset[int]
) -> list[ImportContext]:
    found: list[ImportContext] = []
    number, position = 0, 0
    for match in _INDENTED.finditer(text):
        number += text.count("\n", position, match.start())
        position = match.start()
        if number in strings:
            continue
        context = _enclosing(lines, number, len(match.group(1)), strings)
        if context:
            found.append(ImportContext(module, number + 1, context))
    return found


def _string_lines(text: str) -> frozenset[int]:
    """The lines (0-based) inside a string that spans several lines, after the line it
    starts on: they are not code."""
    inside: list[range] = []
    line, position = 0, 0
    for match in STRINGS_AND_COMMENTS.finditer(text):
        found = match.group()
        if found[0] == "#" or "\n" not in found:
            continue
        line += text.count("\n", position, match.start())
        last = line + found.count("\n")
        inside.append(range(line + 1, last + 1))
        line, position = last, match.end()
    return frozenset(number for span in inside for number in span)


def _enclosing(lines: list[str], number: int, indent: int, strings: frozenset[int]) -> str:
    """What encloses the import on line ``number`` (0-based) indented by ``indent``:
    ``FUNCTION``, ``TYPE_CHECKING_ONLY`` or ``""`` (``strings``: lines to pass over)."""
    context = ""
    level = indent
    for above in range(number - 1, -1, -1):
        if above in strings:
            continue
        line = lines[above]
        code = line.lstrip(" \t")
        if not code or code.startswith("#"):
            continue
        depth = len(line) - len(code)
        if depth >= level:
            continue
        header = _HEADER.match(code)
        if header is None:
            if _CLOSING.match(code):
                continue  # (the end of a signature over several lines)
            raise _Unreadable
        keyword = header.group(1)
        if keyword == "def":
            return FUNCTION
        if keyword != "class" and not code.rstrip().endswith(":") and "#" not in code:
            raise _Unreadable  # (a header over several lines, or not code at all)
        if keyword == "if" and _TYPE_CHECKING_TEST.match(code):
            context = TYPE_CHECKING_ONLY
        level = depth
        if depth == 0:
            break
    return context


def _parsed(module: str, text: str) -> list[ImportContext]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # (grimp reports a file that does not parse)
    return sorted(
        ImportContext(module, node.lineno, context)
        for node, context in _walk(tree, "")
        if context and isinstance(node, ast.Import | ast.ImportFrom)
    )


#: Where statements are (an import is a statement: expressions need no walk).
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(node: ast.AST) -> Iterator[ast.AST]:
    for field in _BODIES:
        value = getattr(node, field, None)
        if isinstance(value, list):
            yield from value


def _walk(node: ast.AST, context: str) -> Iterator[tuple[ast.AST, str]]:
    for child in _statements(node):
        inner = context
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = FUNCTION
        yield child, inner
        if isinstance(child, ast.If) and not context and _is_type_checking(child.test):
            for statement in child.body:
                yield statement, TYPE_CHECKING_ONLY
                yield from _walk(statement, TYPE_CHECKING_ONLY)
            for statement in child.orelse:
                yield statement, context
                yield from _walk(statement, context)
            continue
        yield from _walk(child, inner)


def _is_type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``typing.TYPE_CHECKING`` (any module's)."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
