"""Imports under ``if __name__ == "__main__":``, found in the source text and left out
of the graph when ``exclude_main_block_imports`` asks for it.

grimp has no such option (it has one for ``if TYPE_CHECKING:``), so the imports are
removed from the built graph: the lines of each module's top-level ``__main__``
blocks are found with :mod:`ast` (the code is parsed, never run), and every import
grimp recorded on those lines is removed. An import of the same module that also
appears outside the block stays.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence

import grimp

from fitness.domain.graph import drop_import_lines
from fitness.domain.source_facts import DynamicImport
from fitness.domain.syntax import is_main_test

#: A line that may start a top-level ``if __name__ == "__main__":`` (confirmed by ast).
_CANDIDATE = re.compile(r"^if\b[^\n]*(?:__name__[^\n]*__main__|__main__[^\n]*__name__)", re.M)


def main_block_lines(text: str) -> list[tuple[int, int]]:
    """The first and last line of each top-level ``if __name__ == "__main__":`` block.

    Such a block starts at column 0. Each candidate line is parsed from there to the
    end of the file (the block is usually last: a few lines, not the whole module);
    where that is not valid Python on its own, the whole file is parsed instead."""
    spans: list[tuple[int, int]] = []
    for match in _CANDIDATE.finditer(text):
        offset = text.count("\n", 0, match.start())
        span = _block_at(text[match.start() :])
        if span is None:
            return _main_blocks(text)
        if span:
            spans.append((offset + span[0], offset + span[1]))
    return spans


def _block_at(fragment: str) -> tuple[int, int] | tuple[()] | None:
    """The lines of the main block ``fragment`` starts with; ``()`` if it starts with
    another statement; None if ``fragment`` does not parse on its own."""
    try:
        tree = ast.parse(fragment)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    first = tree.body[0] if tree.body else None
    if isinstance(first, ast.If) and is_main_test(first.test):
        return (first.lineno, first.end_lineno or first.lineno)
    return ()


def _main_blocks(text: str) -> list[tuple[int, int]]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return [
        (node.lineno, node.end_lineno or node.lineno)
        for node in tree.body
        if isinstance(node, ast.If) and is_main_test(node.test)
    ]


def drop_main_block_imports(
    graph: grimp.ImportGraph,
    main_blocks: Mapping[str, Sequence[tuple[int, int]]],
    module_files: Mapping[str, str],
) -> tuple[DynamicImport, ...]:
    """Remove from ``graph`` the imports made under ``if __name__ == "__main__":``
    (``main_blocks``: each module's blocks, as :func:`main_block_lines` found them when
    its file was read); the imports removed, in module and line order."""
    lines = {
        module: {line for first, last in spans for line in range(first, last + 1)}
        for module, spans in main_blocks.items()
        if spans
    }
    return drop_import_lines(graph, lines, module_files)
