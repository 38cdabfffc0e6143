"""What the import graph does not record: dynamic imports, inline suppressions, and
which imports are made inside a function or under ``if TYPE_CHECKING:``.

Reads the source files of the analysed packages as text (never imports them).
Dynamic imports are looked for in the files that mention ``import_module`` or
``__import__``, skipping strings and comments; where imports are made, in the
files with an indented import (:mod:`fitness.adapters.nested_imports`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from fitness.adapters.nested_imports import INDENTED_IMPORT, import_contexts
from fitness.domain.graph import DynamicImport
from fitness.domain.source_facts import MAX_QUOTE, ImportContext, Suppression, shorten
from fitness.domain.suppressions import MARKER, parse_suppressions

_DYNAMIC_NAMES = ("import_module", "__import__")
#: In both of ``_DYNAMIC_NAMES``.
_DYNAMIC_WORD = b"import_"
_MARKER = MARKER.encode()


class SourceScan(NamedTuple):
    dynamic_imports: tuple[DynamicImport, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    #: The imports made inside a function or under ``if TYPE_CHECKING:``.
    import_contexts: tuple[ImportContext, ...] = ()


def scan_sources(project_dir: Path, module_files: Mapping[str, str]) -> SourceScan:
    dynamic: list[DynamicImport] = []
    suppressions: list[Suppression] = []
    contexts: list[ImportContext] = []
    base = str(project_dir)
    for module, file in sorted(module_files.items()):
        # Strings, not Path objects: thousands of files, and the same file is read.
        path = file if os.path.isabs(file) else os.path.join(base, file)
        try:
            data = _read_bytes(path)
        except OSError:
            continue
        # Most files mention neither: three searches of the bytes, and no decoding.
        marked = _MARKER in data
        nested = INDENTED_IMPORT.search(data) is not None
        if not marked and not nested and _DYNAMIC_WORD not in data:
            continue
        text = data.decode("utf-8", errors="replace")
        if marked:
            suppressions.extend(parse_suppressions(module, file, text))
        if any(name in text for name in _DYNAMIC_NAMES):
            dynamic.extend(find_dynamic_imports(module, file, text))
        if nested:
            contexts.extend(import_contexts(module, text))
    return SourceScan(tuple(dynamic), tuple(suppressions), tuple(contexts))


def _read_bytes(path: str) -> bytes:
    """The whole file: ``open(path, "rb").read()`` without the file object (a third
    cheaper over a thousand small files)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) > size:  # the file grew since fstat (or fstat does not know): read on
            chunks = [data]
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data
    finally:
        os.close(fd)


# The calls, and the strings and comments to skip, are found separately and walked
# in step: the calls by looking for the words they start with (``str.find``), the
# strings and comments by a C regular expression that starts with a quote or ``#``
# (so the engine jumps to the next one). The findings are those of one scan with
# all three as alternatives, without trying each alternative at every character.
_CALL = re.compile(r"\b(?:importlib\s*\.\s*)?(?:import_module|__import__)\s*\(")
#: Every match of ``_CALL`` starts with one of these.
_CALL_WORDS = ("importlib", "import_module", "__import__")
_SKIPPED = re.compile(
    r"""\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\#[^\n]*"""
)
_LITERAL = re.compile(r"""\s*[rRuU]?(['"])([\w.]+)\1""")
_DEFINITION = re.compile(r"\bdef\s+$")


def _next_call(text: str, pos: int, words: list[int]) -> re.Match[str] | None:
    """``_CALL.search(text, pos)``, trying ``_CALL`` only where one of ``_CALL_WORDS``
    starts. ``words`` holds the next start of each word at or after some earlier
    ``pos`` (-1: none), and is updated."""
    while True:
        for i, word in enumerate(_CALL_WORDS):
            if 0 <= words[i] < pos:
                words[i] = text.find(word, pos)
        candidates = [w for w in words if w >= 0]
        if not candidates:
            return None
        start = min(candidates)
        match = _CALL.match(text, start)
        if match is not None:
            return match
        pos = start + 1


def _calls_in_code(text: str) -> list[tuple[int, int]]:
    """Where the calls start and end that are not inside a string or a comment.

    A string's prefix (``r``, ``b``, ``f``...) is left out of ``_SKIPPED``: no call
    starts with one of those letters, so skipping from the quote skips the same text.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    words = [text.find(word) for word in _CALL_WORDS]
    call: re.Match[str] | None = None
    skipped: re.Match[str] | None = None
    while True:
        if call is None or call.start() < pos:
            call = _next_call(text, pos, words)
            if call is None:
                return spans
        if skipped is None or skipped.start() < pos:
            skipped = _SKIPPED.search(text, pos)
        if skipped is not None and skipped.start() < call.start():
            pos = skipped.end()  # a string or comment comes first: what is in it is not code
        else:
            spans.append(call.span())
            pos = call.end()


def find_dynamic_imports(module: str, file: str, text: str) -> list[DynamicImport]:
    """Calls of ``importlib.import_module(...)``, ``import_module(...)`` and ``__import__(...)``
    in code: not in strings or comments, and not the definition of such a function."""
    lines: list[str] | None = None
    found = []
    for start, end in _calls_in_code(text):
        if _DEFINITION.search(text, text.rfind("\n", 0, start) + 1, start):
            continue
        if lines is None:
            lines = text.splitlines()
        number = text.count("\n", 0, start) + 1
        literal = _LITERAL.match(text, end)
        target = literal.group(2) if literal else ""
        code = lines[number - 1].strip() if 0 < number <= len(lines) else ""
        code = shorten(code, MAX_QUOTE)  # (the line may be megabytes)
        found.append(DynamicImport(module, file, number, code, target))
    return found
