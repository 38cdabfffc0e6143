"""How a module's statements nest, read from ``ast``: the bodies and headers of compound
statements, the definitions under them (a class or function under an ``if``, ``try``,
``with``... is the enclosing body's), the statements of a module with whether each is
guarded or only for type checkers, and the names a function binds itself. What
:mod:`fitness.domain.code.parsing` walks to build a module's code model."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from fitness.domain.code.calls import parameters
from fitness.domain.code.imports import BODIES
from fitness.domain.code.namespace import is_type_checking

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
#: Statements whose bodies are at the level of the statement itself (a definition under
#: an ``if`` at module level is a module's, under a ``for`` in a function the function's).
GUARDS = (
    ast.If, ast.Try, ast.With, ast.AsyncWith, ast.TryStar, ast.For, ast.AsyncFor, ast.While,
    ast.Match,
)  # fmt: skip
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def statement_bodies(node: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement bodies of a compound statement (its branches, handlers, cases)."""
    for name in BODIES:
        inner = getattr(node, name, None)
        if inner:
            yield inner
    for handler in getattr(node, "handlers", ()) or ():
        yield handler.body
    for case in getattr(node, "cases", ()) or ():
        yield case.body


def statement_headers(node: ast.stmt) -> list[ast.AST]:
    """The code of a compound statement outside its statement bodies: a test, a loop's
    target and iterable, the items of a ``with``, the types of the handlers, a match's
    subject, patterns and guards."""
    found: list[ast.AST] = []
    if isinstance(node, ast.For | ast.AsyncFor):
        found += [node.target, node.iter]
    elif isinstance(node, ast.Match):
        found.append(node.subject)
        for case in node.cases:
            found.append(case.pattern)
            if case.guard is not None:
                found.append(case.guard)
    found.extend(getattr(node, "items", ()) or ())
    test = getattr(node, "test", None)
    if test is not None:
        found.append(test)
    for handler in getattr(node, "handlers", ()) or ():
        if handler.type is not None:
            found.append(handler.type)
    return found


def nested_definitions(body: list[ast.stmt], guarded: bool = False) -> Iterator[tuple[Any, bool]]:
    """The class and function statements of a body, under its compound statements too
    (not inside the definitions themselves), each with whether it is under one."""
    for node in body:
        if isinstance(node, DEFINITIONS):
            yield node, guarded
        elif isinstance(node, GUARDS):
            for inner in statement_bodies(node):
                yield from nested_definitions(inner, True)


def split_class_body(body: list[ast.stmt]) -> tuple[list[tuple[Any, bool]], list[ast.AST]]:
    """A class body's definitions (with whether each is under an ``if``, ``try``...),
    and the rest of its code (compound statements without definitions whole)."""
    definitions: list[tuple[Any, bool]] = []
    code: list[ast.AST] = []
    _split(body, False, definitions, code)
    return definitions, code


def _split(
    statements: list[ast.stmt],
    guarded: bool,
    definitions: list[tuple[Any, bool]],
    code: list[ast.AST],
) -> None:
    # (A module-level function: a recursive closure is a reference cycle, which would
    # keep the whole tree alive until the cyclic collector runs; parsing pauses it.)
    for node in statements:
        if isinstance(node, DEFINITIONS):
            definitions.append((node, guarded))
        elif isinstance(node, GUARDS) and next(nested_definitions([node]), None) is not None:
            code.extend(statement_headers(node))
            for inner in statement_bodies(node):
                _split(inner, True, definitions, code)
        else:
            code.append(node)


def names_bound_in(node: FunctionNode) -> set[str]:
    """The names a function binds itself (parameters, assignments, loop targets,
    definitions), not counting those it declares ``global`` or ``nonlocal``: for what is
    defined inside it, they hide the module's names."""
    found = parameters(node)
    declared: set[str] = set()
    stack: list[ast.AST] = list(node.body)
    while stack:
        child = stack.pop()
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
            found.add(child.id)
        elif isinstance(child, ast.Global | ast.Nonlocal):
            declared.update(child.names)
        elif isinstance(child, DEFINITIONS):
            found.add(child.name)
            continue  # their own names are theirs
        elif isinstance(child, ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(child))
    return found - declared


def top_level_statements(
    body: list[ast.stmt], guarded: bool = False, type_checking: bool = False
) -> Iterator[tuple[ast.stmt, bool, bool]]:
    """The statements of a module, with those under ``if``, ``try``, ``with``, ``for``,
    ``while`` and ``match`` (definitions guarded by a version check or an optional
    import), each with whether it is so guarded, and whether it is under
    ``if TYPE_CHECKING:`` (which never runs)."""
    for node in body:
        if isinstance(node, GUARDS):
            yield node, guarded, type_checking  # its tests and items are code too
            if isinstance(node, ast.If) and is_type_checking(node.test):
                yield from top_level_statements(node.body, True, True)
                yield from top_level_statements(node.orelse, True, type_checking)
                continue
            for inner in statement_bodies(node):
                yield from top_level_statements(inner, True, type_checking)
        else:
            yield node, guarded, type_checking
