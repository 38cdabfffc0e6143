"""Import statements: the names each binds, with relative imports resolved.

A module's imports are statements, anywhere in it (in functions too): only statement
bodies are visited, never expressions, and only those whose lines hold the word
``import`` (found in the text first, much faster than visiting every statement).
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from fitness.domain.code.model import ImportedName

#: Statements with statements inside them.
COMPOUND = frozenset(
    {
        ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor,
        ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar, ast.Match,
    }
)  # fmt: skip
BODIES = ("body", "orelse", "finalbody")
#: How many lines an import statement read on its own may take.
MAX_STATEMENT_LINES = 100


def absolute(module: str, level: int, package: str) -> str | None:
    """The absolute name of ``from <level dots><module> import ...`` in ``package``;
    None if it goes above the top package."""
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module] if module else base)


def import_lines(source: str) -> list[int]:
    """The numbers (from 1) of the lines that hold the word ``import``: every import
    statement has it on one of its lines (the other lines may hold it in a string)."""
    lines: list[int] = []
    line, position = 1, 0
    find, count = source.find, source.count
    at = find("import")
    while at != -1:
        before = source[at - 1 : at]
        after = source[at + 6 : at + 7]
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            line += count("\n", position, at)
            position = at
            if not lines or lines[-1] != line:
                lines.append(line)
        at = find("import", at + 6)
    return lines


@dataclass
class Imports:
    """The imports of a module (or of a statement), in source order."""

    names: list[ImportedName] = field(default_factory=list)
    #: Local name -> absolute dotted name (the last import of a name wins).
    bindings: dict[str, str] = field(default_factory=dict)
    #: The same, by the first import of each name.
    first: dict[str, str] = field(default_factory=dict)
    #: The modules star-imported from.
    stars: list[str] = field(default_factory=list)
    #: Blind spots: ``line 3: relative import from ... goes above the top package``.
    above_top: list[str] = field(default_factory=list)


def module_imports(
    body: Sequence[ast.stmt], package: str, lines: Sequence[int] | None = None
) -> Imports:
    """Every import statement in ``body`` and the statements inside it, in source order.
    ``lines`` (:func:`import_lines`), when given, spares the statements that cannot hold
    one; relative imports are resolved from ``package``."""
    stack: list[ast.stmt] = list(body)
    found: list[ast.Import | ast.ImportFrom] = []
    kinds = (ast.Import, ast.ImportFrom)
    compound = COMPOUND
    while stack:
        node = stack.pop()
        if isinstance(node, kinds):
            found.append(node)
        elif node.__class__ in compound:
            if lines is not None:
                at = bisect.bisect_left(lines, node.lineno)
                if at == len(lines) or lines[at] > (node.end_lineno or node.lineno):
                    continue  # no line of it says import
            for name in BODIES:
                inner = getattr(node, name, None)
                if inner:
                    stack.extend(inner)
            for handler in getattr(node, "handlers", ()) or ():
                stack.extend(handler.body)
            for case in getattr(node, "cases", ()) or ():
                stack.extend(case.body)
    # Source order, so that a later import of a name wins, as it does at run time.
    found.sort(key=lambda n: (n.lineno, n.col_offset))
    return _bound(found, package)


def _bound(found: Sequence[ast.Import | ast.ImportFrom], package: str) -> Imports:
    imports = Imports()
    names, bindings, first = imports.names, imports.bindings, imports.first
    for node in found:
        line = node.lineno
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    local, target = alias.asname, alias.name
                else:
                    local = target = alias.name.split(".")[0]
                names.append(ImportedName(alias.name, None, local, line))
                bindings[local] = target
                first.setdefault(local, target)
            continue
        base = absolute(node.module or "", node.level, package)
        if base is None:
            shown = "." * node.level + (node.module or "")
            imports.above_top.append(
                f"line {line}: relative import from {shown} goes above the top package"
            )
            continue
        for alias in node.names:
            if alias.name == "*":
                names.append(ImportedName(base, "*", "*", line))
                imports.stars.append(base)
                continue
            local = alias.asname or alias.name
            names.append(ImportedName(base, alias.name, local, line))
            bindings[local] = f"{base}.{alias.name}" if base else alias.name
            first.setdefault(local, bindings[local])
    return imports


def statement_imports(
    text: str | Sequence[str], package: str, line: int
) -> tuple[ImportedName, ...] | None:
    """The names bound by the import statements that start on line ``line`` of a module
    of ``package``: ``text`` is that line, or the lines of the module from it on (a
    statement may go on over several). None if no whole statement can be read there."""
    if isinstance(text, str):
        candidates: Sequence[str] = [text.strip().lstrip("\ufeff")]
    else:
        first = text[0].strip().lstrip("\ufeff") if text else ""
        rest = list(text[1:MAX_STATEMENT_LINES])
        candidates = ["\n".join([first, *rest[:count]]) for count in range(len(rest) + 1)]
    for candidate in candidates:
        try:
            tree = ast.parse(candidate)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        found = module_imports(tree.body, package).names
        return tuple(dataclasses.replace(i, line=i.line + line - 1) for i in found)
    return None
