"""The limits of what is read: a source file grimp would choke on is refused first.

grimp's Rust parser overflows its stack on some inputs (a segmentation fault:
nothing can catch it), takes gigabytes on others, and keeps a copy of a long
line with each name it imports. Each file is read once, in Python, at most
``max_file_size`` bytes, and checked here before grimp parses it: a refused
file stops the run with one line naming it (:class:`RefusedFile`), never a
crash or a traceback.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import stat
import sys
from collections.abc import Iterable

import grimp

from fitness.adapters.source_files import NOT_FILES, RefusedFile, too_large
from fitness.domain.rendering import quote_source

#: grimp's Rust parser overflows its thread's stack (a segmentation fault: nothing
#: can catch it) on a chain of some 40,000 binary operators, attribute accesses,
#: calls or subscripts (``x = 1+1+1...``); it refuses deep prefix and bracket
#: nesting itself (after gigabytes of memory for 100,000 braces). Each link of such
#: a chain has an operator or bracket byte, so a file with fewer of them than this
#: is safe (and most files are smaller than it).
SAFE_OPERATORS = 20_000
#: A file larger than this (rare: generated code) is parsed with Python's parser
#: whatever it holds: grimp takes gigabytes on some long valid or invalid inputs
#: without operators (100,000 ``elif`` branches, 100,000 ``await``), which Python
#: refuses (a ``RecursionError``) and so could not import either.
LARGE_FILE = 512 * 1024
_OPERATORS = b"+-*/%@&|^.([{<>"
_NOT_OPERATORS = bytes(range(256)).translate(None, _OPERATORS)
#: What a large file's one pass keeps: its operator bytes, and the commas and
#: semicolons that separate imported names and statements (:func:`_line_copies`).
_NOT_COUNTED = bytes(range(256)).translate(None, _OPERATORS + b",;")
#: Words whose long runs nest grimp's parse without an operator byte (``elif`` chains,
#: ``await await ...``, ``not not ...``, ``lambda: lambda: ...``): in a large file,
#: more of one of them than SAFE_OPERATORS sends the file to Python's parser.
_NESTING_WORDS = (b"elif", b"await", b"not", b"lambda")
#: Python's own refusals of deep nesting (its tokenizer's limits): grimp's parser
#: takes gigabytes of memory on the same input before it gives up (100,000 braces).
_NESTING_ERRORS = ("too many nested parentheses", "too many levels of indentation")


def check_sources(paths: Iterable[str], *, max_file_size: int | None = None) -> None:
    """:func:`read_source` then :func:`check_source`, file by file."""
    for path in paths:
        check_source(path, read_source(path, max_file_size))


def check_source(path: str, data: bytes) -> None:
    """Refuse, before grimp parses it, a source file grimp would choke on: a
    :class:`RefusedFile` says which and why.

    ``data`` is the file as :func:`read_source` read it (at most ``max_file_size``
    bytes: one that grew past it since it was listed is refused there, and so is one
    that cannot be read or is not a regular file any more). A file with a null byte is
    refused (Python cannot import it either: grimp's parser takes some 160 times its
    size on it, and quoted the whole line), and so is one whose import statements would
    make grimp keep more copies of their line than :data:`MAX_LINE_COPIES` allows
    (:func:`_line_copies`). Last, the nesting: :func:`check_nesting`."""
    null = data.find(b"\0")
    if null >= 0:  # quoted as grimp quoted it: the line, up to the null byte
        start = data.rfind(b"\n", 0, null) + 1
        line = data[start : null + 1].decode("utf-8", errors="replace")
        raise RefusedFile(
            path, quote_source(line), verb="parse", line=data.count(b"\n", 0, null) + 1
        )
    # A large file's operators and separators, both wanted below, counted in one pass.
    counts = _counts(data) if len(data) > SAFE_OPERATORS else None
    copies = _line_copies(data, None if counts is None else counts[1])
    if copies is not None:
        number, names, length = copies
        raise RefusedFile(
            path,
            f"{names:,} imported names share this first line of {length:,} characters "
            "(grimp keeps a copy of it with each of them); split the line or the import",
            verb="analyse",
            line=number,
        )
    check_nesting(path, data, None if counts is None else counts[0])


def _counts(data: bytes) -> tuple[int, int]:
    """The operator bytes of ``data`` (:data:`SAFE_OPERATORS`) and its commas and
    semicolons, from one pass (what ``translate`` keeps is small)."""
    kept = data.translate(None, _NOT_COUNTED)
    separators = kept.count(b",") + kept.count(b";")
    return len(kept) - separators, separators


def read_source(path: str, limit: int | None = None) -> bytes:
    """The bytes of the source file at ``path``, at most ``limit`` of them; a
    :class:`RefusedFile` if it cannot be read, is not a regular file (a named pipe is
    opened without blocking) or is larger than ``limit``."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise RefusedFile(path, error.strerror or str(error)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile(path, NOT_FILES.get(stat.S_IFMT(info.st_mode), "not a regular file"))
        # Without a file object (a third cheaper over a thousand small files); on until
        # the end, or one byte past the limit, if the file grew since fstat.
        wanted = info.st_size + 1 if limit is None else min(info.st_size, limit) + 1
        data = os.read(fd, wanted)
        if len(data) == wanted:
            chunks = [data]
            while limit is None or wanted <= limit:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
                wanted += len(chunk)
            data = b"".join(chunks)
    except OSError as error:
        raise RefusedFile(path, error.strerror or str(error)) from None
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise too_large(path, max(len(data), info.st_size), limit)
    return data


#: How many bytes of copies of their lines the imports of one file may make grimp
#: keep, besides four times the file's size. grimp keeps, with each imported name, the
#: first line of its statement: ten thousand imports on one line of 120 KB took 1.2 GB,
#: forty thousand 18 GB; ten thousand names under a first line of 20 KB, 200 MB.
MAX_LINE_COPIES = 32 * 1024 * 1024
#: An import statement from its word ``import``: a parenthesised list of names (comments
#: skipped), or the rest of the logical line (continued by backslashes) up to a ``;``
#: or a comment. Each comma in it separates two names.
_IMPORT_STATEMENT = re.compile(
    rb"\bimport\b(?:[ \t]*\((?:[^)#]|#[^\n]*)*\)?|(?:[^;\n#\\]|\\[\s\S])*)"
)


def _line_copies(data: bytes, separators: int | None = None) -> tuple[int, int, int] | None:
    """``None`` if grimp's copies of the first lines of the file's import statements stay
    within :data:`MAX_LINE_COPIES` and four times the file's size; else the line number,
    the names and the length of the first line that costs most (``separators``: the
    file's commas and semicolons, if counted already).

    An estimate from above, cheap first: each name after the first of a statement
    follows a comma, each statement after the first on a line a semicolon, so the
    copies are at most the file's size plus its longest line times its commas and
    semicolons; only a file above the budget so is read statement by statement."""
    size = len(data)
    budget = MAX_LINE_COPIES + 4 * size
    if size * (size + 1) <= budget:  # (most files: fewer separators than bytes)
        return None
    if separators is None:  # (else counted already: _counts)
        separators = data.count(b",") + data.count(b";")
    if size * (separators + 1) <= budget:
        return None
    if b"import" not in data:
        return None
    if not _has_line_longer_than((budget - size) // separators, data):
        return None
    names_by_line: dict[int, int] = {}  # first line (its offset) -> names that copy it
    first = end = -1  # the first line of the last statement, the end of the line it is on
    for statement in _IMPORT_STATEMENT.finditer(data):
        if statement.start() > end:  # (several statements on one line: found once)
            start = data.rfind(b"\n", 0, statement.start()) + 1
            continued = start > 1 and data[start - 2 : start] == b"\\\n"
            if not (continued and start - 1 == end):  # (else: the last one's first line)
                # Back over the lines a backslash continues (each line once: those with
                # a statement are not gone back over again).
                first = start
                while first > 1 and data[first - 2 : first] == b"\\\n":
                    first = data.rfind(b"\n", 0, first - 1) + 1
            end = data.find(b"\n", statement.start())
            end = size if end < 0 else end
        names = 1 + statement.group().count(b",")
        names_by_line[first] = names_by_line.get(first, 0) + names
    length = {}
    for start in names_by_line:
        end = data.find(b"\n", start)
        length[start] = (size if end < 0 else end) - start
    if sum(names * length[start] for start, names in names_by_line.items()) <= budget:
        return None
    start = max(names_by_line, key=lambda start: names_by_line[start] * length[start])
    return data.count(b"\n", 0, start) + 1, names_by_line[start], length[start]


def _has_line_longer_than(length: int, data: bytes) -> bool:
    """Whether a line of ``data`` has more than ``length`` bytes, told in steps of
    ``length`` bytes from one newline to the last one within reach (no list of lines)."""
    position = 0
    while position + length < len(data):
        last = data.rfind(b"\n", position, position + length + 1)
        if last < 0:
            return True
        position = last + 1
    return False


def check_nesting(path: str, data: bytes, operators: int | None = None) -> None:
    """Refuse, before grimp sees it, a source file nested deeper than grimp's parser
    survives. A file with more operator bytes than :data:`SAFE_OPERATORS` (rare:
    generated code) is parsed with Python's own parser, which stops at a depth of a
    few thousand with a ``RecursionError``: if it can parse the file, so can grimp; if
    it cannot, neither can Python import it, and
    :class:`grimp.exceptions.SourceSyntaxError` says so. So is a file larger than
    :data:`LARGE_FILE`. (``operators``: the file's operator bytes, if counted already.)"""
    size = len(data)
    if size <= SAFE_OPERATORS:
        return
    if operators is None:  # (else counted already: _counts)
        operators = len(data.translate(None, _NOT_OPERATORS))
    if operators <= SAFE_OPERATORS and (
        size <= LARGE_FILE or all(data.count(w) <= SAFE_OPERATORS for w in _NESTING_WORDS)
    ):
        return
    # Many operators, as in large tables of numbers or generated formulas: deep only
    # if one expression chains that many (Python's parser, the slow check, confirms).
    if _longest_chain(data) <= SAFE_OPERATORS and all(
        data.count(w) <= SAFE_OPERATORS for w in _NESTING_WORDS
    ):
        return
    if not _parses_within_python_limits(data, path):
        raise grimp.exceptions.SourceSyntaxError(
            path, _densest_line(data), "too deeply nested (Python's parser gives up)"
        )


#: What the chain estimate reads: comments and one-line strings (skipped), brackets,
#: commas, and the runs of code between them (whose operator bytes count, at C speed:
#: a long formula is one run, not one token per operator).
_CHAIN_TOKENS = re.compile(
    rb"#[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|[([{]|[)\]}]|,|[^()\[\]{},\"'#]+"
)
#: Deeper bracket nesting than Python's tokenizer allows (200) is refused by the
#: slow check.
_MAX_BRACKETS = 200


def _longest_chain(data: bytes) -> int:
    """An upper estimate of the longest chain of operators, attribute accesses and calls
    in one expression. Statements (lines joined while brackets are open or a line ends
    with a backslash) with fewer operator bytes than SAFE_OPERATORS are safe as they
    are; the others are read token by token (:func:`_chain_in`)."""
    longest = current = depth = start = offset = 0
    for line in data.split(b"\n"):
        current += len(line.translate(None, _NOT_OPERATORS))
        depth += line.count(b"(") + line.count(b"[") + line.count(b"{")
        depth -= line.count(b")") + line.count(b"]") + line.count(b"}")
        offset += len(line) + 1
        if depth <= 0 and not line.rstrip().endswith(b"\\"):
            if current > SAFE_OPERATORS:
                current = _chain_in(data[start:offset])
            longest = max(longest, current)
            current = depth = 0
            start = offset
    if current > SAFE_OPERATORS:
        current = _chain_in(data[start:])
    return max(longest, current)


def _chain_in(statement: bytes) -> int:
    """The longest chain in one statement, estimated from above: operator bytes counted
    per bracket level, a count ending at a comma of its level (list items and arguments
    are siblings, not links of a chain); brackets nested deeper than Python allows count
    as a chain of that depth."""
    counts = [0]
    longest = 0
    for match in _CHAIN_TOKENS.finditer(statement):
        token = match.group()
        first = token[:1]
        if first in (b"#", b'"', b"'"):
            continue
        if first in (b"(", b"[", b"{"):
            counts[-1] += 1
            counts.append(0)
            if len(counts) > _MAX_BRACKETS:
                return SAFE_OPERATORS + len(counts)
        elif first in (b")", b"]", b"}"):
            if len(counts) > 1:
                inner = counts.pop()
                longest = max(longest, inner)
        elif first == b",":
            longest = max(longest, counts[-1])
            counts[-1] = 0
        else:
            counts[-1] += len(token.translate(None, _NOT_OPERATORS))
    return max(longest, *counts)


def _parses_within_python_limits(data: bytes, path: str) -> bool:

    limit = sys.getrecursionlimit()
    # Python's parser allows three times the recursion limit: with the default limit
    # it gives up well below the depth that overflows grimp's stack. (Already deeper
    # than that: the limit stays.)
    with contextlib.suppress(RecursionError):
        sys.setrecursionlimit(min(limit, 1000))
    try:
        compile(data, path, "exec", ast.PyCF_ONLY_AST)
    except (RecursionError, MemoryError):
        return False
    except SyntaxError as error:
        # An ordinary syntax error: grimp reports it, with its line.
        return not any(reason in str(error.msg) for reason in _NESTING_ERRORS)
    except ValueError:  # a null byte: grimp reports it
        return True
    finally:
        sys.setrecursionlimit(limit)
    return True


def _densest_line(data: bytes) -> int | None:
    """The number of the line with the most operator bytes (where a deep chain is);
    ``None`` if no line has any (the depth is in the statements)."""
    lines = data.split(b"\n")
    counts = [len(line.translate(None, _NOT_OPERATORS)) for line in lines]
    densest = max(counts)
    return counts.index(densest) + 1 if densest else None
