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
from typing import Any, Protocol

from fitness.domain.code.vocabulary import BUILTIN_CLASSES

#: A call as data: (target, line, resolved, kind), as
#: :class:`~fitness.domain.code.model.Call` holds it.
CallData = tuple[str, int, bool, str]


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
#: Nodes that bind names in other ways than an assignment.
_BINDERS = frozenset(
    {ast.ExceptHandler, ast.Global, ast.Nonlocal, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda}
)
#: Nodes whose annotations or decorators name things (read for cohesion, not for calls).
_ANNOTATED = frozenset(
    {ast.arg, ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef}
)
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
    return {
        a.arg
        for a in (
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            *(x for x in (arguments.vararg, arguments.kwarg) if x is not None),
        )
    }


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
        self.methods = methods or set()
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
        found: list[tuple[int, int, str, str]] = []  # (line, column, dotted, kind)
        dynamic: list[ast.Call] = []
        stores = set()
        global_names: set[str] = set()
        Attribute, Name, Call_, Constant, Store = (
            ast.Attribute, ast.Name, ast.Call, ast.Constant, ast.Store,
        )  # fmt: skip
        fields_of = _CHILD_FIELDS
        binders = _BINDERS
        used_imports = self.names.used_imports
        # In a module with a star import, any name it does not bind may come from it.
        starred = self.names.free is not None
        bindings = self.names.bindings
        receiver = self.receiver if self.uses is not None else None
        uses = self.uses if self.uses is not None else set()
        referred = self.referred
        annotated = _ANNOTATED if referred is not None else frozenset()
        deferred: list[ast.AST] = []
        # Each node is dispatched on its exact class (``kind is Name``), which is faster
        # than isinstance and which mypy does not narrow on: the branches read the
        # fields of that class, so the nodes are typed Any here.
        stack: list[Any] = list(nodes)
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            kind = node.__class__
            if kind is Name:
                if node.ctx.__class__ is Store:
                    stores.add(node.id)
                elif node.id in used_imports or (starred and node.id not in bindings):
                    found.append((node.lineno, node.col_offset, node.id, "access"))
                if referred is not None:
                    referred.add(node.id)
                continue
            if kind is Constant:
                value = node.value
                if referred is not None and value.__class__ is str and NAME_TEXT.match(value):
                    referred.add(value.strip())  # a string annotation: "Order"
                continue
            if kind is Attribute or kind is Call_:
                func = node.func if kind is Call_ else node
                parts = []
                inner = func
                while inner.__class__ is Attribute:
                    parts.append(inner.attr)
                    inner = inner.value
                if inner.__class__ is Name:
                    parts.append(inner.id)
                    dotted = ".".join(reversed(parts)) if len(parts) > 1 else parts[0]
                    if kind is Call_:
                        found.append((node.lineno, node.col_offset, dotted, "call"))
                        if dotted == "getattr":
                            dynamic.append(node)
                    else:
                        found.append((node.lineno, node.col_offset, dotted, "access"))
                        if inner.ctx.__class__ is Store and len(parts) == 1:
                            stores.add(inner.id)
                    if referred is not None:
                        referred.add(dotted)
                    if inner.id == receiver and len(parts) > 1:
                        uses.add(parts[-2])
                elif func is not node or parts:
                    push(inner)
                if kind is Attribute:
                    continue
                # A call: its arguments are code too (the callee is done).
                for arg in node.args:
                    push(arg)
                for keyword in node.keywords:
                    push(keyword.value)
                continue
            if kind in binders:
                if kind is ast.ExceptHandler:
                    if node.name:
                        stores.add(node.name)
                elif kind is ast.Global or kind is ast.Nonlocal:
                    global_names.update(node.names)
                else:
                    stores.update(parameters(node))
            if kind in annotated:
                deferred.extend(annotations_of(node))
            fields = fields_of.get(kind) or _child_fields(kind)
            for field in fields:
                child = getattr(node, field)
                if child is None:
                    continue
                if child.__class__ is list:
                    for item in child:
                        if item is not None:
                            push(item)
                else:
                    push(child)
        if referred is not None and deferred:
            referred_in(deferred, referred)
        if not self.calls:
            return (), ()
        self.local_names = (self.local_names | stores) - global_names
        return self._resolved(found, dynamic)

    def _resolved(
        self, found: list[tuple[int, int, str, str]], dynamic: list[ast.Call]
    ) -> tuple[tuple[CallData, ...], tuple[CallData, ...]]:
        names = self.names
        calls: list[CallData] = []
        instantiates: list[CallData] = []
        own = names.module + "."
        bindings = names.bindings
        local_names = self.local_names
        starred = names.free is not None
        found.sort()  # source order
        for line, _, dotted, kind in found:
            head = dotted.partition(".")[0]
            if kind == "access":
                if head in local_names:
                    continue
                if head not in bindings:
                    if starred:  # a name a star import may bind: kept until the model knows
                        names.note_free(head, line)
                        calls.append((dotted, line, False, "access"))
                    continue
                target, resolved = self.target(dotted)
                if resolved and not target.startswith(own):
                    calls.append((target, line, True, "access"))
                continue
            if starred and head not in local_names:
                names.note_free(head, line)
            target, resolved = self.target(dotted)
            call = (target, line, resolved, "call")
            calls.append(call)
            if resolved and _is_class_name(target, names):
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
    Attribute, Name, Constant = ast.Attribute, ast.Name, ast.Constant
    while stack:
        node = stack.pop()
        kind = node.__class__
        if kind is Attribute:
            parts = [node.attr]
            value = node.value
            while value.__class__ is Attribute:
                parts.append(value.attr)
                value = value.value
            if value.__class__ is Name:
                parts.append(value.id)
                referred.add(".".join(reversed(parts)))
            else:
                stack.append(value)
            continue
        if kind is Name:
            referred.add(node.id)
            continue
        if kind is Constant:
            if node.value.__class__ is str and NAME_TEXT.match(node.value):
                referred.add(node.value.strip())
            continue
        for field in kind._fields:
            child = getattr(node, field, None)
            if isinstance(child, ast.AST):
                stack.append(child)
            elif isinstance(child, list):
                stack.extend(item for item in child if isinstance(item, ast.AST))


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
