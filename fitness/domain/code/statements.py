"""How a module's statements nest, read from ``ast``: the bodies and headers of compound
statements, the definitions under them (a class or function under an ``if``, ``try``,
``with``... is the enclosing body's), the statements of a module with whether each is
guarded or only for type checkers, and the names a function binds itself. What
:mod:`fitness.domain.code.parsing` walks to build a module's code model."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from fitness.domain.code.calls import CODE_FIELDS, code_fields, parameters
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


#: The classes of :data:`GUARDS` and :data:`DEFINITIONS`, for a look-up by exact class
#: (a parsed tree's nodes are of the ``ast`` classes themselves, never subclasses).
_GUARD_KINDS = frozenset(GUARDS)
_DEFINITION_KINDS = frozenset(DEFINITIONS)
#: The fields of each compound statement that are statement bodies, as
#: :func:`statement_bodies` gives them (handlers and cases apart).
_BODY_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(name for name in BODIES if name in kind._fields) for kind in GUARDS
}


def statement_bodies(node: ast.stmt) -> list[list[ast.stmt]]:
    """The statement bodies of a compound statement (its branches, handlers, cases)."""
    fields = _BODY_FIELDS.get(node.__class__)
    if fields is None:
        fields = tuple(name for name in BODIES if getattr(node, name, None))
    found = [inner for name in fields if (inner := getattr(node, name))]
    handlers = getattr(node, "handlers", None)
    if handlers:
        found += [handler.body for handler in handlers]
    cases = getattr(node, "cases", None)
    if cases:
        found += [case.body for case in cases]
    return found


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


def nested_definitions(body: list[ast.stmt], guarded: bool = False) -> list[tuple[Any, bool]]:
    """The class and function statements of a body, under its compound statements too
    (not inside the definitions themselves), each with whether it is under one."""
    found: list[tuple[Any, bool]] = []
    _collect_definitions(body, guarded, found)
    return found


def _collect_definitions(body: list[Any], guarded: bool, found: list[tuple[Any, bool]]) -> None:
    for node in body:
        kind = node.__class__
        if kind in _DEFINITION_KINDS:
            found.append((node, guarded))
        elif kind is ast.If:  # the usual compound statement: its two bodies
            _collect_definitions(node.body, True, found)
            if node.orelse:
                _collect_definitions(node.orelse, True, found)
        elif kind in _GUARD_KINDS:
            for inner in statement_bodies(node):
                _collect_definitions(inner, True, found)


def _defines(node: ast.stmt) -> bool:
    """Whether a compound statement has a class or function statement in its bodies."""
    definitions, guards = _DEFINITION_KINDS, _GUARD_KINDS
    stack = statement_bodies(node)
    while stack:
        for inner in stack.pop():
            kind = inner.__class__
            if kind in definitions:
                return True
            if kind in guards:
                stack += statement_bodies(inner)
    return False


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
        if node.__class__ in _DEFINITION_KINDS:
            definitions.append((node, guarded))
        elif node.__class__ in _GUARD_KINDS and _defines(node):
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
    Name, Store, Lambda = ast.Name, ast.Store, ast.Lambda
    # (a name being bound is in a field that may hold code)
    definitions, fields_of = _DEFINITION_KINDS, CODE_FIELDS
    stack: list[Any] = list(node.body)
    while stack:
        child = stack.pop()
        kind = child.__class__
        if kind is Name:
            if child.ctx.__class__ is Store:
                found.add(child.id)
            continue
        if kind is ast.Global or kind is ast.Nonlocal:
            declared.update(child.names)
            continue
        if kind in definitions:
            found.add(child.name)
            continue  # their own names are theirs
        if kind is Lambda:
            continue
        fields = fields_of.get(kind)
        if fields is None:
            fields = code_fields(kind)
        for field in fields:
            value = getattr(child, field, None)
            if value.__class__ is list:
                stack += [item for item in value if isinstance(item, ast.AST)]
            elif isinstance(value, ast.AST):
                stack.append(value)
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
