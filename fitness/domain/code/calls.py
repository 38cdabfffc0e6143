"""What a piece of code does with names: the calls and attribute accesses it makes,
resolved through its module's names (:attr:`Detail.CALLS`), and what it uses of its
instance and refers to (:attr:`Detail.COHESION`).

This is the expensive part of the model: every expression of the code is visited, in
one pass per function (or class body), on an explicit stack.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Protocol

from fitness.domain.code.vocabulary import BUILTIN_CLASSES

#: A call as data: (target, line, resolved, kind), as
#: :class:`~fitness.domain.code.model.Call` holds it.
CallData = tuple[str, int, bool, str]
#: A call or an access as a scan finds it: (line, column, dotted name, kind, the name
#: it starts with).
_Found = tuple[int, int, str, str, str]


class ModuleNames(Protocol):
    """What a scan needs to know of its module (the parser that reads the module)."""

    module: str
    #: The module's own class names (a call of one creates an instance).
    classes: set[str]
    #: Local name -> absolute dotted name: imports and the module's own definitions.
    bindings: dict[str, str]
    #: Imported names whose bare use (``environ["X"]``, ``map(helper, x)``) is an access.
    used_imports: frozenset[str]
    blind_spots: list[str]
    #: The uses of names a star import may bind, when the module has one (else None).
    free: set[tuple[str, int]] | None
    #: The names a reference to another class can start with: the module's classes and
    #: imports (what the names a class refers to are kept of).
    referable: AbstractSet[str]
    #: Dotted name -> (target, resolved, names a class), as the module resolves it
    #: (filled by the scans, once its names are all known).
    targets: dict[str, tuple[str, bool, bool]]

    def resolve(self, dotted: str, scope: Mapping[str, str] | None = None) -> str | None:
        """The absolute name of ``dotted`` as the module sees it; None if unknown."""

    def note_free(self, name: str, line: int) -> None:
        """A use of ``name`` (on ``line``) that a star import may bind."""


#: Fields that never hold code worth scanning: names, operators, contexts, and
#: annotations (a type is not a call).
_SKIPPED_FIELDS = frozenset(
    {
        "ctx", "op", "ops", "annotation", "returns", "type_comment", "id", "attr", "arg",
        "name", "names", "module", "level", "kind", "is_async", "conversion", "simple",
        "type_ignores", "kwd_attrs", "rest", "decorator_list",
    }
)  # fmt: skip
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
#: Fields that never hold code: names, numbers, flags (and the operators and contexts,
#: which name nothing). What a walk over the code skips at once (statements.py's too).
NO_CODE = frozenset(
    {
        "ctx", "op", "ops", "id", "attr", "arg", "name", "names", "module", "level", "kind",
        "is_async", "conversion", "simple", "type_comment", "type_ignores", "kwd_attrs",
        "rest", "tag",
    }
)  # fmt: skip
#: The fields of each class of node that may hold code (filled as met).
CODE_FIELDS: dict[type, tuple[str, ...]] = {}


def code_fields(kind: type) -> tuple[str, ...]:
    """The fields of a class of node that may hold code (:data:`CODE_FIELDS`, filled)."""
    fields = CODE_FIELDS.get(kind)
    if fields is None:
        fields = CODE_FIELDS[kind] = tuple(
            f for f in getattr(kind, "_fields", ()) if f not in NO_CODE
        )
    return fields


#: Nodes that bind names in other ways than an assignment.
_BINDERS = frozenset(
    {ast.ExceptHandler, ast.Global, ast.Nonlocal, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda}
)
#: Nodes whose annotations or decorators name things (read for cohesion, not for calls).
_ANNOTATED = frozenset(
    {ast.arg, ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef}
)
#: The nodes a scan reads more of than their children (with cohesion, or without).
_SPECIAL = _BINDERS | _ANNOTATED
_NO_METHODS: frozenset[str] = frozenset()
#: A string that is a dotted name: an annotation written as a string (``"Order"``).
NAME_TEXT = re.compile(r"\s*[A-Za-z_][\w.]*\s*\Z")


def _child_fields(kind: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = tuple(f for f in getattr(kind, "_fields", ()) if f not in _SKIPPED_FIELDS)
        _CHILD_FIELDS[kind] = fields
    return fields


def parameters(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    arguments = node.args
    found = {a.arg for a in arguments.args}
    if arguments.posonlyargs:
        found.update([a.arg for a in arguments.posonlyargs])
    if arguments.kwonlyargs:
        found.update([a.arg for a in arguments.kwonlyargs])
    if arguments.vararg is not None:
        found.add(arguments.vararg.arg)
    if arguments.kwarg is not None:
        found.add(arguments.kwarg.arg)
    return found


def signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
    """The code in a function's signature: its decorators, the annotations and default
    values of its parameters, its return annotation."""
    arguments = node.args
    found = [a.annotation for a in arguments.args if a.annotation is not None]
    for extra in (arguments.posonlyargs, arguments.kwonlyargs):
        if extra:
            found += [a.annotation for a in extra if a.annotation is not None]
    for single in (arguments.vararg, arguments.kwarg):
        if single is not None and single.annotation is not None:
            found.append(single.annotation)
    if arguments.defaults:
        found += arguments.defaults
    if arguments.kw_defaults:
        found += [d for d in arguments.kw_defaults if d is not None]
    if node.decorator_list:
        found += node.decorator_list
    if node.returns is not None:
        found.append(node.returns)
    return found


def shown(node: ast.AST) -> str:
    """Some code as written (cut at 60 characters), for a blind spot."""
    try:
        text = ast.unparse(node)
    except RecursionError:  # a very long expression
        return "a very long expression"
    return text if len(text) <= 60 else text[:57] + "..."


class BodyScan:
    """The calls and attribute accesses in some code, resolved through the module's
    names (and, in a method, ``self.other_method()`` to the class's method); with
    ``uses``, the names a method uses on its receiver; with ``referred``, every dotted
    name the code refers to (annotations too).

    One pass over the code collects the calls as written and the names the code
    binds itself (parameters, assignments, loop and ``with`` targets), which hide
    the module's names of the same spelling; then the calls are resolved."""

    def __init__(
        self,
        names: ModuleNames,
        parameters: set[str],
        where: str,
        *,
        owner: str | None = None,
        receiver: str | None = None,
        methods: set[str] | None = None,
        calls: bool = True,
        uses: set[str] | None = None,
        referred: set[str] | None = None,
    ) -> None:
        self.names = names
        self.local_names = parameters
        self.where = where
        self.owner = owner
        self.receiver = receiver
        self.methods: AbstractSet[str] = methods or _NO_METHODS
        self.calls = calls
        self.uses = uses
        self.referred = referred

    def target(self, dotted: str) -> tuple[str, bool]:
        head, _, rest = dotted.partition(".")
        if head in self.local_names:
            if head == self.receiver and self.owner is not None and rest in self.methods:
                return f"{self.names.module}.{self.owner}.{rest}", True
            return dotted, False
        resolved = self.names.resolve(dotted)
        return (resolved, True) if resolved is not None else (dotted, False)

    def scan(self, nodes: Sequence[ast.AST]) -> tuple[tuple[CallData, ...], tuple[CallData, ...]]:
        """The calls (and accesses) in the code, in source order, and those of them that
        create an instance, as data (:data:`CallData`)."""
        found: list[_Found] = []
        dynamic: list[ast.Call] = []
        stores: set[str] = set()
        global_names: set[str] = set()
        Attribute, Name, Call_, Constant, Store = (
            ast.Attribute, ast.Name, ast.Call, ast.Constant, ast.Store,
        )  # fmt: skip
        Assign, Expr, Return, If, Compare = ast.Assign, ast.Expr, ast.Return, ast.If, ast.Compare
        Tuple, List, Subscript, BinOp, BoolOp, UnaryOp = (
            ast.Tuple, ast.List, ast.Subscript, ast.BinOp, ast.BoolOp, ast.UnaryOp,
        )  # fmt: skip
        fields_of = _CHILD_FIELDS
        used_imports = self.names.used_imports
        # In a module with a star import, any name it does not bind may come from it.
        starred = self.names.free is not None
        bindings = self.names.bindings
        receiver = self.receiver if self.uses is not None else None
        uses = self.uses if self.uses is not None else set()
        referred = self.referred
        special = _SPECIAL if referred is not None else _BINDERS
        # Only what starts with a name of the module's classes or imports is kept of
        # the names referred to (a class's references are those).
        referable = self.names.referable
        deferred: list[ast.AST] = []
        record, store = found.append, stores.add
        # Each node is dispatched on its exact class (``kind is Name``), which is faster
        # than isinstance and which mypy does not narrow on: the branches read the
        # fields of that class, so the nodes are typed Any here. The names and constants
        # among a node's children are read as they are met rather than stacked (they
        # are most of the nodes); the order in which the other nodes are visited is
        # that of the stack (the computed ``getattr`` calls are reported in it).
        stack: list[Any] = list(nodes)
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            kind = node.__class__
            if kind is Call_:
                func = node.func
                fkind = func.__class__
                if fkind is Name:
                    dotted = func.id
                    record((node.lineno, node.col_offset, dotted, "call", dotted))
                    if dotted == "getattr":
                        dynamic.append(node)
                    if referred is not None and dotted in referable:
                        referred.add(dotted)
                elif fkind is Attribute:
                    inner = func.value
                    if inner.__class__ is Name:  # a.b(): the usual case
                        head = inner.id
                        dotted = f"{head}.{func.attr}"
                        record((node.lineno, node.col_offset, dotted, "call", head))
                        if referred is not None and head in referable:
                            referred.add(dotted)
                        if head == receiver:
                            uses.add(func.attr)
                    else:
                        parts = [func.attr]
                        while inner.__class__ is Attribute:
                            parts.append(inner.attr)
                            inner = inner.value
                        if inner.__class__ is Name:
                            head = inner.id
                            parts.append(head)
                            dotted = ".".join(reversed(parts))
                            record((node.lineno, node.col_offset, dotted, "call", head))
                            if referred is not None and head in referable:
                                referred.add(dotted)
                            if head == receiver:
                                uses.add(parts[-2])
                        else:
                            push(inner)
                else:
                    push(func)
                # Its arguments are code too (the callee is done).
                children = node.args
                if node.keywords:
                    children = [*children, *[k.value for k in node.keywords]]
            elif kind is Attribute:
                inner = node.value
                if inner.__class__ is Name:  # a.b: the usual case
                    head = inner.id
                    dotted = f"{head}.{node.attr}"
                    record((node.lineno, node.col_offset, dotted, "access", head))
                    if referred is not None and head in referable:
                        referred.add(dotted)
                    if head == receiver:
                        uses.add(node.attr)
                    continue
                parts = [node.attr]
                while inner.__class__ is Attribute:
                    parts.append(inner.attr)
                    inner = inner.value
                if inner.__class__ is Name:
                    head = inner.id
                    parts.append(head)
                    dotted = ".".join(reversed(parts))
                    record((node.lineno, node.col_offset, dotted, "access", head))
                    if referred is not None and head in referable:
                        referred.add(dotted)
                    if head == receiver:
                        uses.add(parts[-2])
                else:
                    push(inner)
                continue
            elif kind is Assign:
                children = [*node.targets, node.value]
            elif kind is Expr or kind is Return:
                children = (node.value,)
            elif kind is If:
                children = [node.test, *node.body, *node.orelse]
            elif kind is Compare:
                children = [node.left, *node.comparators]
            elif kind is Tuple or kind is List:
                children = node.elts
            elif kind is Subscript:
                children = (node.value, node.slice)
            elif kind is BinOp:
                children = (node.left, node.right)
            elif kind is BoolOp:
                children = node.values
            elif kind is UnaryOp:
                children = (node.operand,)
            elif kind is Name or kind is Constant:
                children = (node,)
            else:
                if kind in special:
                    if kind is ast.ExceptHandler:
                        if node.name:
                            store(node.name)
                    elif kind is ast.Global or kind is ast.Nonlocal:
                        global_names.update(node.names)
                    elif kind in _BINDERS:
                        stores.update(parameters(node))
                    if referred is not None and kind in _ANNOTATED:
                        deferred.extend(annotations_of(node))
                children = []
                for field in fields_of.get(kind) or _child_fields(kind):
                    child = getattr(node, field)
                    if child.__class__ is list:
                        children += child
                    elif child is not None:
                        children.append(child)
            for child in children:
                ckind = child.__class__
                if ckind is Name:
                    ident = child.id
                    if child.ctx.__class__ is Store:
                        store(ident)
                    elif ident in used_imports or (starred and ident not in bindings):
                        record((child.lineno, child.col_offset, ident, "access", ident))
                    if referred is not None and ident in referable:
                        referred.add(ident)
                elif ckind is Constant:
                    if referred is not None:
                        value = child.value
                        if value.__class__ is str and NAME_TEXT.match(value):
                            referred.add(value.strip())  # a string annotation: "Order"
                elif child is not None:
                    push(child)
        if referred is not None and deferred:
            referred_in(deferred, referred)
        if not self.calls or not (found or dynamic):
            return (), ()
        if stores:
            self.local_names = self.local_names | stores
        if global_names:
            self.local_names = self.local_names - global_names
        return self._resolved(found, dynamic)

    def _resolved(
        self, found: list[_Found], dynamic: list[ast.Call]
    ) -> tuple[tuple[CallData, ...], tuple[CallData, ...]]:
        names = self.names
        calls: list[CallData] = []
        instantiates: list[CallData] = []
        own = names.module + "."
        bindings = names.bindings
        local_names = self.local_names
        starred = names.free is not None
        known = names.targets
        receiver = self.receiver if self.owner is not None else None
        methods = self.methods
        # The accesses through the code's own names (self.x) are not the module's.
        found = [f for f in found if f[3] == "call" or f[4] not in local_names]
        if not found and not dynamic:
            return (), ()
        found.sort()  # source order
        for line, _, dotted, kind, head in found:
            if kind == "access":
                if head not in bindings:
                    if starred:  # a name a star import may bind: kept until the model knows
                        names.note_free(head, line)
                        calls.append((dotted, line, False, "access"))
                    continue
                target, resolved, _ = known.get(dotted) or self._target(dotted)
                if resolved and not target.startswith(own):
                    calls.append((target, line, True, "access"))
                continue
            if head in local_names:
                if head == receiver and dotted[len(head) + 1 :] in methods:
                    target, resolved = self.target(dotted)  # self.other_method()
                    instance = _is_class_name(target, names)
                else:
                    target, resolved, instance = dotted, False, False
            else:
                if starred:
                    names.note_free(head, line)
                target, resolved, instance = known.get(dotted) or self._target(dotted)
            call = (target, line, resolved, "call")
            calls.append(call)
            if instance:
                instantiates.append(call)
        for node in dynamic:
            if "getattr" in local_names or len(node.args) < 2:
                continue
            name = node.args[1]
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                names.blind_spots.append(
                    f"line {node.lineno}: {self.where} reads an attribute whose "
                    f"name is computed ({shown(node)})"
                )
        return tuple(calls), tuple(instantiates)

    def _target(self, dotted: str) -> tuple[str, bool, bool]:
        """What a name that is not the code's own refers to, as the module resolves it:
        (target, resolved, names a class), kept for the module's other code."""
        names = self.names
        resolved = names.resolve(dotted)
        if resolved is None:
            found = (dotted, False, False)
        else:
            found = (resolved, True, _is_class_name(resolved, names))
        names.targets[dotted] = found
        return found


def annotations_of(node: Any) -> list[ast.AST]:
    """The annotations and decorators of a node (what a call scan leaves out)."""
    kind = node.__class__
    if kind is ast.arg or kind is ast.AnnAssign:
        return [node.annotation] if node.annotation is not None else []
    found = list(node.decorator_list)
    if kind is not ast.ClassDef and node.returns is not None:
        found.append(node.returns)
    return found


def referred_in(nodes: Sequence[ast.AST], referred: set[str]) -> None:
    """Every dotted name in ``nodes`` (``a.b.c`` once, not ``a`` and ``a.b``), names in
    strings (``"Order"``) included, into ``referred``."""
    stack: list[Any] = list(nodes)
    pop, push = stack.pop, stack.append
    Attribute, Name, Constant, Arg = ast.Attribute, ast.Name, ast.Constant, ast.arg
    fields_of = CODE_FIELDS
    while stack:
        node = pop()
        kind = node.__class__
        if kind is Name:
            referred.add(node.id)
        elif kind is Arg:
            if node.annotation is not None:
                push(node.annotation)
        elif kind is Attribute:
            parts = [node.attr]
            value = node.value
            while value.__class__ is Attribute:
                parts.append(value.attr)
                value = value.value
            if value.__class__ is Name:
                parts.append(value.id)
                referred.add(".".join(reversed(parts)))
            else:
                push(value)
        elif kind is Constant:
            if node.value.__class__ is str and NAME_TEXT.match(node.value):
                referred.add(node.value.strip())
        else:
            fields = fields_of.get(kind)
            if fields is None:
                fields = code_fields(kind)
            for field in fields:
                child = getattr(node, field, None)
                if child is None:
                    continue
                if child.__class__ is list:
                    stack += [item for item in child if isinstance(item, ast.AST)]
                elif isinstance(child, ast.AST):
                    push(child)


def _is_class_name(target: str, names: ModuleNames) -> bool:
    """Whether a resolved callee names a class: one of the module's own classes,
    or (by Python's naming convention, PEP 8) a CapWords name that is not a
    CONSTANT."""
    module, _, name = target.rpartition(".")
    if module == names.module:
        return name in names.classes
    if not module:
        return name in BUILTIN_CLASSES
    return looks_like_class(target)


def looks_like_class(target: str) -> bool:
    """Whether a dotted name of another module names a class by PEP 8's convention: a
    CapWords name that is not a CONSTANT."""
    name = target.rpartition(".")[2]
    return name[:1].isupper() and not name.isupper()
