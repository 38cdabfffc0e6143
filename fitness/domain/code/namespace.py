"""What a module binds at its top level, and how it builds ``__all__``, read from its
statements: the parser's part (:mod:`fitness.domain.code.linking` evaluates what needs
other modules: another module's ``__all__``, what a star import binds).

Python's rules, statically:

- a name is bound at the top level by a definition (``class``, ``def``), an assignment
  (``x = ...``, ``a, b = ...``, ``x: int = ...``, ``x += ...``), a ``for`` or ``with``
  target, or an import (``import a.b`` binds ``a``); ``del x`` unbinds it. Statements
  under ``if``, ``try``, ``with``, ``for``, ``while`` and ``match`` count (the names any
  branch binds), except under ``if TYPE_CHECKING:``, which never runs;
- importing a submodule (``from .orders import Order`` in ``app/__init__.py``) binds it
  in its package as well, unless the package binds that name itself;
- ``__all__`` is evaluated where it is built from string literals, other modules'
  ``__all__`` (``from .models import __all__ as models_all``, ``models.__all__``),
  module-level lists of literals, ``+``, ``+=``, ``.append``, ``.extend``, ``.insert``,
  unpacking (``[*a, "b"]``), ``list()``, ``tuple()`` and ``sorted()``; assignments in
  the branches of an ``if`` or a ``try`` add up (the names any branch lists). Anything
  else (a comprehension, a call, ``.remove``) makes it unknown, with the line that
  does it: never a narrower guess.
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Callable, Iterator

from fitness.domain.code.imports import absolute
from fitness.domain.syntax import dotted_name

#: A recipe entry that stands for every name of another module's ``__all__``: ``*app.models``.
OTHER_ALL = "*"
_NO_OPS = frozenset({"sort", "reverse", "copy"})
_SAME_LIST = frozenset({"list", "tuple", "sorted"})


def shown_statement(node: ast.AST) -> str:
    """A statement as written, cut at 60 characters."""
    try:
        text = ast.unparse(node)
    except (RecursionError, ValueError):
        return "a very long statement"
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def is_type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``typing.TYPE_CHECKING`` (any module's)."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def target_names(target: ast.expr) -> Iterator[str]:
    """The names an assignment target binds: ``a``, ``a, (b, *c)``."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)


def weakly(method: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """``method`` (bound), called without keeping its object alive: a parser hands its
    namespace its ``resolve``, and a namespace holding the bound method would make a
    reference cycle, keeping the parser and its syntax tree alive until the cyclic
    collector runs (parsing pauses it: one collection then walked them all)."""
    reference = weakref.WeakMethod(method)

    def call(name: str) -> str | None:
        bound = reference()
        return bound(name) if bound is not None else None

    return call


class Namespace:
    """The names a module binds at its top level and its ``__all__``, statement by
    statement (in source order)."""

    def __init__(
        self, module: str, package: str, is_package: bool, resolve: Callable[[str], str | None]
    ) -> None:
        self.module = module
        self.package = package
        self.is_package = is_package
        self._resolve = resolve
        #: Name -> what it is bound to (``module.name`` for a definition or an assignment,
        #: the dotted name imported for an import); the last binding wins.
        self.names: dict[str, str] = {}
        #: Submodules bound in the package by being imported in its ``__init__``.
        self.submodules: dict[str, str] = {}
        #: Module-level names holding a list known statically (``__all__`` among them).
        self.lists: dict[str, list[str]] = {}
        self.has_all = False
        #: Why ``__all__`` cannot be known ("" while it can).
        self.all_unknown = ""
        #: Why the names the module binds cannot all be known (``globals()`` used).
        self.names_unknown = ""

    # Results ------------------------------------------------------------------------

    def bound(self) -> tuple[tuple[str, str], ...]:
        """(name, what it is bound to) of every name bound at the top level, sorted."""
        found = dict(self.submodules)
        found.update(self.names)
        return tuple(sorted(found.items()))

    def all_parts(self) -> tuple[str, ...] | None:
        """``__all__`` as built: names, and ``*module`` for another module's ``__all__``;
        None without an ``__all__``."""
        if not self.has_all:
            return None
        return tuple(self.lists.get("__all__", ()))

    def exports_unknown(self) -> str:
        """Why what ``from module import *`` gives cannot be known statically ("" if it can)."""
        if self.has_all:
            return self.all_unknown
        return self.names_unknown

    # Statements ---------------------------------------------------------------------

    def statement(self, node: ast.stmt, guarded: bool, type_checking: bool = False) -> None:
        """Take one top-level statement into account (a compound one for its own parts:
        the statements inside it come on their own)."""
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self._assigned(target, node.value, node, guarded, type_checking)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._assigned(node.target, node.value, node, guarded, type_checking)
        elif isinstance(node, ast.AugAssign):
            self._augmented(node, type_checking)
        elif isinstance(node, ast.Expr):
            if isinstance(node.value, ast.Call):
                self._called(node.value, node)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                for name in target_names(target):
                    if name == "__all__":
                        self._unknown_all(node)
                    self.names.pop(name, None)
                    self.lists.pop(name, None)
        elif type_checking:
            pass  # never runs: binds nothing
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            self._bind(node.name, f"{self.module}.{node.name}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            self._imported(node)
        elif isinstance(node, ast.For | ast.AsyncFor):
            for name in target_names(node.target):
                self._bind(name, f"{self.module}.{name}")
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                if item.optional_vars is not None:
                    for name in target_names(item.optional_vars):
                        self._bind(name, f"{self.module}.{name}")
        self._globals_used(node)

    def _bind(self, name: str, target: str) -> None:
        self.names[name] = target
        self.lists.pop(name, None)

    def _imported(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self._bind(alias.asname, alias.name)
                else:
                    head = alias.name.partition(".")[0]
                    self._bind(head, head)
                self._submodule(alias.name)
            return
        base = absolute(node.module or "", node.level, self.package)
        if base is None:
            return
        self._submodule(base)
        for alias in node.names:
            if alias.name == "*":
                continue
            target = f"{base}.{alias.name}" if base else alias.name
            self._bind(alias.asname or alias.name, target)

    def _submodule(self, imported: str) -> None:
        """An import of a submodule of this package binds it in the package."""
        if not self.is_package or not imported.startswith(self.module + "."):
            return
        name = imported[len(self.module) + 1 :].partition(".")[0]
        self.submodules.setdefault(name, f"{self.module}.{name}")

    def _globals_used(self, node: ast.stmt) -> None:
        """``globals().update(...)`` or ``globals()[name] = ...`` at the top level may bind
        any name."""
        if self.names_unknown:
            return
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = node.value.func
            used = isinstance(func, ast.Attribute) and _is_globals(func.value)
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            used = any(isinstance(t, ast.Subscript) and _is_globals(t.value) for t in targets)
        else:
            return
        if used:
            self.names_unknown = f"line {node.lineno}: {shown_statement(node)} may bind any name"

    # __all__ and other lists ----------------------------------------------------------

    def _unknown_all(self, node: ast.stmt) -> None:
        self.has_all = True
        if not self.all_unknown:
            self.all_unknown = f"line {node.lineno}: {shown_statement(node)}"

    def _assigned(
        self, target: ast.expr, value: ast.expr, node: ast.stmt, guarded: bool, type_checking: bool
    ) -> None:
        if isinstance(target, ast.Name):
            name = target.id
            if type_checking:
                return
            found = self.evaluate(value)
            if name == "__all__":
                if found is None:
                    self._unknown_all(node)
                    return
                if guarded and self.has_all and "__all__" in self.lists:
                    self._extend("__all__", found)  # the names any branch lists
                else:
                    self.lists["__all__"] = found
                self.has_all = True
                return
            self.names[name] = f"{self.module}.{name}"
            if found is None:
                self.lists.pop(name, None)
            else:
                self.lists[name] = found
            return
        if _touches_all(target):
            self._unknown_all(node)
            return
        if not type_checking:
            for name in target_names(target):
                self._bind(name, f"{self.module}.{name}")

    def _augmented(self, node: ast.AugAssign, type_checking: bool) -> None:
        target = node.target
        if not isinstance(target, ast.Name):
            if _touches_all(target):
                self._unknown_all(node)
            return
        name = target.id
        if type_checking:
            return
        found = self.evaluate(node.value) if isinstance(node.op, ast.Add) else None
        if name in self.lists and found is not None:
            self._extend(name, found)
        elif name == "__all__":
            self._unknown_all(node)
        else:
            self.lists.pop(name, None)
        if name != "__all__":
            self.names[name] = f"{self.module}.{name}"

    def _extend(self, name: str, parts: list[str]) -> None:
        current = self.lists[name]
        current.extend(p for p in parts if p not in current)

    def _called(self, call: ast.Call, node: ast.stmt) -> None:
        """``x.append("A")``, ``x.extend([...])``, ``x.insert(0, "A")`` on a list known
        statically; any other call on ``__all__`` makes it unknown."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return
        name = func.value.id
        if name != "__all__" and name not in self.lists:
            return
        found: list[str] | None = None
        arguments = call.args
        if call.keywords:
            pass
        elif func.attr == "append" and len(arguments) == 1:
            found = self.evaluate(ast.List(elts=[arguments[0]]))
        elif func.attr == "extend" and len(arguments) == 1:
            found = self.evaluate(arguments[0])
        elif func.attr == "insert" and len(arguments) == 2:
            found = self.evaluate(ast.List(elts=[arguments[1]]))
        elif func.attr in _NO_OPS and not arguments:
            found = []
        if found is not None and name in self.lists:
            self._extend(name, found)
        elif name == "__all__":
            self._unknown_all(node)
        else:
            self.lists.pop(name, None)

    def evaluate(self, node: ast.expr) -> list[str] | None:
        """The names a list expression holds (``*module`` for another module's
        ``__all__``); None if it cannot be known statically."""
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            found: list[str] = []
            for element in node.elts:
                if isinstance(element, ast.Constant) and isinstance(element.value, str):
                    found.append(element.value)
                elif isinstance(element, ast.Starred):
                    inner = self.evaluate(element.value)
                    if inner is None:
                        return None
                    found.extend(inner)
                else:
                    return None
            return found
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.evaluate(node.left)
            right = self.evaluate(node.right) if left is not None else None
            return None if left is None or right is None else left + right
        if isinstance(node, ast.Call):
            if (
                isinstance(node.func, ast.Name)
                and node.func.id in _SAME_LIST
                and node.func.id not in self.names
                and len(node.args) == 1
                and not node.keywords
            ):
                return self.evaluate(node.args[0])
            return None
        if isinstance(node, ast.Name):
            if node.id in self.lists:
                return list(self.lists[node.id])
            return self._other_all(node.id)
        if isinstance(node, ast.Attribute) and node.attr == "__all__":
            dotted = dotted_name(node)
            return self._other_all(dotted) if dotted is not None else None
        return None

    def _other_all(self, dotted: str) -> list[str] | None:
        """``[*module]`` when ``dotted`` is another module's ``__all__`` (as this module
        names it: ``models_all`` imported ``as`` it, ``models.__all__``)."""
        resolved = self._resolve(dotted)
        if resolved is None or not resolved.endswith(".__all__"):
            return None
        other = resolved.removesuffix(".__all__")
        return [OTHER_ALL + other] if other and other != self.module else None


def _touches_all(target: ast.expr) -> bool:
    """``__all__[0] = ...``, ``__all__[:] = ...``, ``(__all__, x) = ...``."""
    return any(isinstance(node, ast.Name) and node.id == "__all__" for node in ast.walk(target))


def _is_globals(node: ast.expr) -> bool:
    """``globals()`` or ``vars()``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("globals", "vars")
        and not node.args
    )
