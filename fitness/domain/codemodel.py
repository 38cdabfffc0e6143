"""A static model of the classes and functions of a project, read from source with ``ast``.

Static only: the source is parsed, never imported. :func:`module_code` turns
(module name, source text) into a :class:`ModuleCode` (imports, classes with their
resolved bases and decorators, functions with the names they call); reading the
files and caching the result is an adapter's job (``fitness.adapters.codemodel``).
:class:`CodeModel` joins the modules of a project and answers questions across
them: a class by its dotted name (following re-exports), its ancestry, whether it
subclasses a given base.
"""

from __future__ import annotations

import ast
import builtins
import collections
import functools
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, TypeVar

from fitness.domain.classfacts import (
    _ABSTRACT_DECORATORS,
    _BODIES,
    _PROTOCOL_NAMES,
    ABC_BASES,
    ABC_METACLASSES,
    _absolute,
    class_is_abstract,
    only_raises_not_implemented,
)
from fitness.domain.errors import ConfigError
from fitness.domain.syntax import dotted_name, is_main_test

_T = TypeVar("_T")


@dataclass(frozen=True)
class ImportedName:
    """One name an import statement binds."""

    #: The absolute module imported from: ``app.billing`` (relative imports resolved).
    module: str
    #: ``Invoice`` for ``from app.billing import Invoice``; None for ``import app.billing``.
    name: str | None
    #: The local name bound: ``Invoice``, ``inv`` for ``as inv``,
    #: ``app`` for ``import app.billing``.
    alias: str
    line: int


@dataclass(frozen=True)
class Call:
    """A call (or an attribute access like ``os.environ``, with ``kind="access"``)."""

    #: The resolved dotted name: ``print``, ``requests.get``, ``datetime.datetime.now``.
    target: str
    line: int
    #: False when the callee could not be resolved statically (kept as written).
    resolved: bool
    kind: str = "call"


@dataclass(frozen=True)
class FunctionInfo:
    """A top-level function or a method."""

    module: str
    #: Qualified within the module: ``place_order``, ``OrderService.place``.
    name: str
    line: int
    #: ``function``, ``method``, ``staticmethod``, ``classmethod`` or ``property``.
    kind: str
    #: The name does not start with ``_`` (dunders count as public).
    public: bool
    #: ``@abstractmethod``, or (when configured) a body that only raises NotImplementedError.
    abstract: bool
    #: Resolved dotted names (``functools.cache``, ``abc.abstractmethod``).
    decorators: tuple[str, ...]
    #: In source order (line, column), nested functions and lambdas included;
    #: attribute accesses (``os.environ``) on imported names too, as ``kind="access"``.
    calls: tuple[Call, ...]
    #: Those of :attr:`calls` that create an instance of a class: one of the module's
    #: own classes, a builtin class, or (by PEP 8's naming convention, as an import
    #: does not say what it brings) a resolved CapWords name that is not a CONSTANT.
    #: Targets are as the module names them: ``class_named`` finds a project class
    #: under a re-exported name.
    instantiates: tuple[Call, ...]

    @property
    def qualified_name(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass(frozen=True)
class ClassInfo:
    """A class (top-level, or nested with ``Outer.Inner`` as its name)."""

    module: str
    name: str
    line: int
    #: Resolved dotted names: ``sqlalchemy.orm.DeclarativeBase``, ``shop.domain.Base``.
    bases: tuple[str, ...]
    #: Bases that are not names (calls, subscripts of unknowns, ``getattr``...), as written.
    unresolved_bases: tuple[str, ...]
    #: Resolved: ``dataclasses.dataclass``.
    decorators: tuple[str, ...]
    #: ``dataclass(frozen=True)``, attrs ``frozen``/``define(frozen=True)``, NamedTuple, Enum,
    #: pydantic ``frozen=True`` (class keyword or ``model_config``).
    frozen: bool
    methods: tuple[FunctionInfo, ...]
    #: An ABC or Protocol, abstract methods, or (when configured) public methods
    #: that only raise NotImplementedError.
    abstract: bool
    protocol: bool
    #: Calls and accesses in the class body outside its methods (``x = make()``), in
    #: source order; they are among the module's :attr:`ModuleCode.calls` too.
    calls: tuple[Call, ...] = ()
    #: Those of :attr:`calls` that instantiate a class.
    instantiates: tuple[Call, ...] = ()

    @property
    def qualified_name(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass(frozen=True)
class ModuleCode:
    """The classes, functions and imports of one module."""

    module: str
    #: As in ``graph.module_files()``.
    file: str
    imports: tuple[ImportedName, ...]
    #: ``__all__`` when it is a literal list or tuple of strings; None if absent or dynamic.
    exports: tuple[str, ...] | None
    #: Top-level and nested classes.
    classes: tuple[ClassInfo, ...]
    #: Top-level functions only (methods are in their class).
    functions: tuple[FunctionInfo, ...]
    #: Human sentences: ``line 12: base class of Foo is dynamic (make_base())``.
    blind_spots: tuple[str, ...]
    #: Calls and accesses outside any function (module and class bodies), in source order.
    calls: tuple[Call, ...] = ()
    #: Those of :attr:`calls` that instantiate a class.
    instantiates: tuple[Call, ...] = ()
    #: (first line, last line) of each top-level ``if __name__ == "__main__":`` block.
    main_blocks: tuple[tuple[int, int], ...] = ()

    def in_main_block(self, line: int) -> bool:
        """Whether the line is in an ``if __name__ == "__main__":`` block (run as a
        script, not on import)."""
        return any(first <= line <= last for first, last in self.main_blocks)

    def module_level(self) -> tuple[tuple[Call, ...], tuple[Call, ...]]:
        """The calls and instantiations at module level only (run at import time):
        those of :attr:`calls` and :attr:`instantiates` outside every class body."""
        in_classes = {call for cls in self.classes for call in cls.calls}
        if not in_classes:
            return self.calls, self.instantiates
        return (
            tuple(c for c in self.calls if c not in in_classes),
            tuple(c for c in self.instantiates if c not in in_classes),
        )


#: Bump when the model changes shape, so cached models are rebuilt.
MODEL_VERSION = 7


def module_code(
    module: str,
    source: str,
    *,
    is_package: bool = False,
    file: str = "",
    not_implemented_is_abstract: bool = True,
) -> ModuleCode:
    """The code model of one module, parsed from ``source`` (never imported).

    ``is_package`` says the source is a package's ``__init__.py`` (relative
    imports are resolved from the package itself); ``file`` is the file as
    messages show it. ``not_implemented_is_abstract`` (the default) counts a
    method whose body only raises ``NotImplementedError`` as abstract, and so a
    class with such a public method (see :func:`fitness.domain.classfacts.class_is_abstract`).
    A syntax error is a :class:`~fitness.domain.errors.ConfigError` naming the
    file and line.
    """
    try:
        tree = ast.parse(source, filename=file or module)
    except SyntaxError as error:
        raise ConfigError(
            f"cannot parse {file or module}, line {error.lineno or '?'}: {error.msg}"
        ) from None
    package = module if is_package else module.rpartition(".")[0]
    return _ModuleParser(module, file, package, not_implemented_is_abstract).run(tree)


_BUILTINS = frozenset(dir(builtins))
_FROZEN_BASES = {
    "typing.NamedTuple",
    "typing_extensions.NamedTuple",
    "enum.Enum",
    "enum.IntEnum",
    "enum.StrEnum",
    "enum.Flag",
    "enum.IntFlag",
}
#: Decorators that make a frozen class when called with ``frozen=True``.
_DATACLASS_DECORATORS = {
    "dataclasses.dataclass",
    "pydantic.dataclasses.dataclass",
    "attr.s",
    "attr.attrs",
    "attr.define",
    "attrs.define",
    "attr.mutable",
    "attrs.mutable",
}
#: Calls that make a class deriving from tuple (usable as a base).
_TUPLE_FACTORIES = {"collections.namedtuple", "typing.NamedTuple", "typing_extensions.NamedTuple"}
#: Decorators that always make a frozen class.
_FROZEN_DECORATORS = {"attr.frozen", "attrs.frozen"}
_PROPERTIES = {"property", "functools.cached_property", "abc.abstractproperty"}

_Function = ast.FunctionDef | ast.AsyncFunctionDef
#: Statements with statements inside them.
_COMPOUND = frozenset(
    {
        ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor,
        ast.While, ast.With, ast.AsyncWith, ast.Try, ast.TryStar, ast.Match,
    }
)  # fmt: skip
_Scope = Mapping[str, str]


def _shown(node: ast.AST) -> str:
    """Some code as written (cut at 60 characters), for a blind spot."""
    try:
        text = ast.unparse(node)
    except RecursionError:  # a very long expression
        return "a very long expression"
    return text if len(text) <= 60 else text[:57] + "..."


def _is_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _frozen_config(node: ast.ClassDef) -> bool:
    """pydantic's ``model_config = ConfigDict(frozen=True)`` (or a dict literal
    saying so) in the class body."""
    for item in node.body:
        if not (
            isinstance(item, ast.Assign | ast.AnnAssign)
            and any(
                isinstance(t, ast.Name) and t.id == "model_config"
                for t in (item.targets if isinstance(item, ast.Assign) else [item.target])
            )
        ):
            continue
        value = item.value
        if isinstance(value, ast.Call):
            return any(k.arg == "frozen" and _is_true(k.value) for k in value.keywords)
        if isinstance(value, ast.Dict):
            return any(
                isinstance(k, ast.Constant) and k.value == "frozen" and _is_true(v)
                for k, v in zip(value.keys, value.values, strict=True)
            )
    return False


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a module, with those under ``if``/``try``/``with`` blocks
    (definitions guarded by a version check or an optional import)."""
    for node in body:
        if isinstance(node, ast.If | ast.Try | ast.With | ast.AsyncWith | ast.TryStar):
            yield node  # its tests and items are code too
            for name in ("body", "orelse", "finalbody"):
                yield from _top_level(getattr(node, name, None) or [])
            for handler in getattr(node, "handlers", ()) or ():
                yield from _top_level(handler.body)
        else:
            yield node


def _call_order(call: Call) -> int:
    return call.line


class _ModuleParser:
    """One pass over a module's tree."""

    def __init__(self, module: str, file: str, package: str, not_implemented: bool) -> None:
        self.module = module
        self.file = file
        self.package = package
        self.not_implemented = not_implemented
        self.imports: list[ImportedName] = []
        #: Local name -> absolute dotted name (imports, then the module's own definitions).
        self.bindings: dict[str, str] = {}
        #: Module-level names bound by an assignment (to that value): not classes.
        self.assigned: dict[str, ast.expr] = {}
        self.classes: set[str] = set()
        self.star_imports: list[str] = []
        self.class_infos: list[ClassInfo] = []
        self.functions: list[FunctionInfo] = []
        self.blind_spots: list[str] = []
        self.exports: list[str] | None = None
        self.exports_dynamic = False
        #: Calls outside any function (module and class bodies).
        self.calls: list[Call] = []
        self.instantiates: list[Call] = []
        self.used_imports: frozenset[str] = frozenset()

    def run(self, tree: ast.Module) -> ModuleCode:
        self._collect_imports(tree)
        #: Imported names whose bare use (not a call: ``environ["X"]``, ``map(helper, x)``)
        #: is recorded as an access; CapWords names (classes: annotations, isinstance
        #: checks) are left out.
        self.used_imports = frozenset(
            i.alias
            for i in self.imports
            if i.alias != "*" and not (i.alias[:1].isupper() and not i.alias.isupper())
        )
        top = list(_top_level(tree.body))
        for node in top:
            if isinstance(node, ast.ClassDef):
                self.bindings[node.name] = f"{self.module}.{node.name}"
                self.classes.add(node.name)
            elif isinstance(node, _Function):
                self.bindings[node.name] = f"{self.module}.{node.name}"
                self.classes.discard(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                self._assignment(node)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                self._exports_call(node.value)
        main_blocks = tuple(
            (node.lineno, node.end_lineno or node.lineno)
            for node in tree.body
            if isinstance(node, ast.If) and is_main_test(node.test)
        )
        rest: list[ast.AST] = []
        for node in top:
            if isinstance(node, ast.ClassDef):
                self._class(node, "", {})
            elif isinstance(node, _Function):
                self.functions.append(self._function(node, node.name, None, set())[0])
            elif isinstance(node, ast.If | ast.Try | ast.With | ast.AsyncWith | ast.TryStar):
                # Only the parts that are not statement bodies (those come on their own).
                rest.extend(getattr(node, "items", ()) or ())
                test = getattr(node, "test", None)
                if test is not None:
                    rest.append(test)
                for handler in getattr(node, "handlers", ()) or ():
                    if handler.type is not None:
                        rest.append(handler.type)
            else:
                rest.append(node)
        self._scan_outside(rest, "module level")
        exports = None if self.exports_dynamic or self.exports is None else tuple(self.exports)
        if self.star_imports:
            self.blind_spots.append(
                f"star import from {', '.join(sorted(set(self.star_imports)))}: "
                "the names it binds are not known statically"
            )
        return ModuleCode(
            module=self.module,
            file=self.file,
            imports=tuple(self.imports),
            exports=exports,
            classes=tuple(sorted(self.class_infos, key=lambda c: (c.line, c.name))),
            functions=tuple(self.functions),
            blind_spots=tuple(dict.fromkeys(self.blind_spots)),
            calls=tuple(sorted(self.calls, key=_call_order)),
            instantiates=tuple(sorted(self.instantiates, key=_call_order)),
            main_blocks=main_blocks,
        )

    def _scan_outside(
        self, nodes: Sequence[ast.AST], where: str
    ) -> tuple[tuple[Call, ...], tuple[Call, ...]]:
        calls, instantiates = _CallScan(self, set(), where).scan(nodes)
        self.calls.extend(calls)
        self.instantiates.extend(instantiates)
        return calls, instantiates

    # Imports -----------------------------------------------------------------

    def _collect_imports(self, tree: ast.Module) -> None:
        """Every import statement of the module, in functions too (imports are
        statements: only statement bodies are visited, never expressions)."""
        stack: list[ast.stmt] = list(tree.body)
        found: list[ast.Import | ast.ImportFrom] = []
        imports = (ast.Import, ast.ImportFrom)
        compound = _COMPOUND
        while stack:
            node = stack.pop()
            if isinstance(node, imports):
                found.append(node)
            elif node.__class__ in compound:
                for name in _BODIES:
                    body = getattr(node, name, None)
                    if body:
                        stack.extend(body)
                for handler in getattr(node, "handlers", ()) or ():
                    stack.extend(handler.body)
                for case in getattr(node, "cases", ()) or ():
                    stack.extend(case.body)
        # Source order, so that a later import of a name wins, as it does at run time.
        found.sort(key=lambda n: (n.lineno, n.col_offset))
        for node in found:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        local, target = alias.asname, alias.name
                    else:
                        local = target = alias.name.split(".")[0]
                    self.imports.append(ImportedName(alias.name, None, local, node.lineno))
                    self.bindings[local] = target
                continue
            base = _absolute(node.module or "", node.level, self.package)
            if base is None:
                shown = "." * node.level + (node.module or "")
                self.blind_spots.append(
                    f"line {node.lineno}: relative import from {shown} goes above the top package"
                )
                continue
            for alias in node.names:
                if alias.name == "*":
                    self.imports.append(ImportedName(base, "*", "*", node.lineno))
                    self.star_imports.append(base)
                    continue
                local = alias.asname or alias.name
                self.imports.append(ImportedName(base, alias.name, local, node.lineno))
                self.bindings[local] = f"{base}.{alias.name}" if base else alias.name

    def _assignment(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if not isinstance(target, ast.Name):
                continue
            if target.id == "__all__":
                self._exports(node)
                continue
            if isinstance(node, ast.AugAssign):
                continue
            self.bindings[target.id] = f"{self.module}.{target.id}"
            self.classes.discard(target.id)
            if node.value is not None:
                self.assigned[target.id] = node.value

    def _exports(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        value = node.value
        names: list[str] | None = None
        if isinstance(value, ast.List | ast.Tuple) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
        ):
            names = [str(e.value) for e in value.elts if isinstance(e, ast.Constant)]
        if names is None:
            self.exports_dynamic = True
        elif isinstance(node, ast.AugAssign):
            if self.exports is None or not isinstance(node.op, ast.Add):
                self.exports_dynamic = True
            else:
                self.exports.extend(names)
        else:
            self.exports = names

    def _exports_call(self, call: ast.Call) -> None:
        """``__all__.append("A")`` and ``__all__.extend(["B"])`` add to the exports;
        any other call on ``__all__`` makes them unknown."""
        func = call.func
        if not (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "__all__"
        ):
            return
        argument = call.args[0] if len(call.args) == 1 and not call.keywords else None
        items: list[ast.expr] | None = None
        if func.attr == "append" and argument is not None:
            items = [argument]
        elif func.attr == "extend" and isinstance(argument, ast.List | ast.Tuple):
            items = list(argument.elts)
        if (
            items is None
            or self.exports is None
            or not all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items)
        ):
            self.exports_dynamic = True
            return
        self.exports.extend(str(i.value) for i in items if isinstance(i, ast.Constant))

    # Names -------------------------------------------------------------------

    def resolve(self, dotted: str, scope: _Scope | None = None) -> str | None:
        """The absolute name of ``dotted`` as this module sees it; a builtin as it
        is; None if the module neither defines nor imports it."""
        head, dot, rest = dotted.partition(".")
        target = scope.get(head) if scope else None
        if target is None:
            target = self.bindings.get(head)
        if target is None:
            return dotted if head in _BUILTINS else None
        return target + dot + rest if rest else target

    def _decorators(self, node: ast.ClassDef | _Function, scope: _Scope) -> list[str]:
        names = []
        for decorator in node.decorator_list:
            expr = decorator.func if isinstance(decorator, ast.Call) else decorator
            dotted = dotted_name(expr)
            if dotted is None:
                names.append(_shown(expr))
            else:
                names.append(self.resolve(dotted, scope) or dotted)
        return names

    # Classes -----------------------------------------------------------------

    def _class(self, node: ast.ClassDef, outer: str, scope: dict[str, str]) -> None:
        name = f"{outer}.{node.name}" if outer else node.name
        bases: list[str] = []
        unresolved: list[str] = []
        named_tuple = False
        for base in node.bases:
            expr = base.value if isinstance(base, ast.Subscript) else base
            dotted = dotted_name(expr)
            if isinstance(base, ast.Call) and self._makes_named_tuple(base, scope):
                # class Point(namedtuple("Point", "x y")): a tuple, whatever its fields.
                bases.append("tuple")
                named_tuple = True
                continue
            if dotted is None:
                unresolved.append(_shown(base))
                self.blind_spots.append(
                    f"line {base.lineno}: base class of {name} is dynamic ({_shown(base)})"
                )
                continue
            resolved = self.resolve(dotted, scope)
            if resolved is None:
                bases.append(dotted)
                if not self.star_imports:
                    self.blind_spots.append(
                        f"line {base.lineno}: base class {dotted} of {name} is neither "
                        "defined nor imported in the module"
                    )
                continue
            bases.append(resolved)
            head = dotted.partition(".")[0]
            if head in self.assigned and head not in scope:
                self.blind_spots.append(
                    f"line {base.lineno}: base class {dotted} of {name} is made at run time "
                    f"({_shown(self.assigned[head])})"
                )
        metaclass = None
        frozen = False
        for keyword in node.keywords:
            if keyword.arg == "metaclass":
                dotted = dotted_name(keyword.value)
                metaclass = (self.resolve(dotted, scope) or dotted) if dotted else None
            elif keyword.arg == "frozen":  # pydantic: class Point(BaseModel, frozen=True)
                frozen = _is_true(keyword.value)
        decorators = self._decorators(node, scope)
        frozen = (
            frozen or named_tuple or any(b in _FROZEN_BASES for b in bases) or _frozen_config(node)
        )
        for resolved_name, written in zip(decorators, node.decorator_list, strict=True):
            if resolved_name in _FROZEN_DECORATORS:
                frozen = True
            elif resolved_name in _DATACLASS_DECORATORS and isinstance(written, ast.Call):
                frozen = frozen or any(
                    k.arg == "frozen" and _is_true(k.value) for k in written.keywords
                )
        # The names the class body binds, for its nested classes' bases.
        inner_scope = dict(scope)
        for item in node.body:
            if isinstance(item, ast.ClassDef):
                inner_scope[item.name] = f"{self.module}.{name}.{item.name}"
        functions = [item for item in node.body if isinstance(item, _Function)]
        method_names = {f.name for f in functions}
        methods: list[FunctionInfo] = []
        declared = not_implemented = False
        for item in functions:
            info, is_declared, is_not_implemented = self._function(
                item, f"{name}.{item.name}", name, method_names
            )
            methods.append(info)
            declared = declared or is_declared
            not_implemented = not_implemented or (info.public and is_not_implemented)
        protocol = any(b in _PROTOCOL_NAMES for b in bases)
        body_calls, body_instantiates = self._scan_outside(
            [item for item in node.body if not isinstance(item, ast.ClassDef | _Function)],
            name,
        )
        self.class_infos.append(
            ClassInfo(
                module=self.module,
                name=name,
                line=node.lineno,
                bases=tuple(bases),
                unresolved_bases=tuple(unresolved),
                decorators=tuple(decorators),
                frozen=frozen,
                methods=tuple(methods),
                abstract=class_is_abstract(
                    protocol=protocol,
                    abc=any(b in ABC_BASES for b in bases) or metaclass in ABC_METACLASSES,
                    abstract_methods=declared,
                    not_implemented_methods=not_implemented,
                    not_implemented_is_abstract=self.not_implemented,
                ),
                protocol=protocol,
                calls=tuple(sorted(body_calls, key=_call_order)),
                instantiates=tuple(sorted(body_instantiates, key=_call_order)),
            )
        )
        for item in node.body:
            if isinstance(item, ast.ClassDef):
                self._class(item, name, inner_scope)

    def _makes_named_tuple(self, call: ast.Call, scope: _Scope) -> bool:
        called = dotted_name(call.func)
        return called is not None and self.resolve(called, scope) in _TUPLE_FACTORIES

    # Functions ---------------------------------------------------------------

    def _function(
        self, node: _Function, name: str, owner: str | None, method_names: set[str]
    ) -> tuple[FunctionInfo, bool, bool]:
        """The function, whether it is declared abstract, and whether it only
        raises NotImplementedError."""
        decorators = self._decorators(node, {})
        kind = "function"
        if owner is not None:
            kind = "method"
            for decorator in decorators:
                if decorator == "staticmethod":
                    kind = "staticmethod"
                elif decorator == "classmethod":
                    kind = "classmethod"
                elif decorator in _PROPERTIES or decorator.endswith((".setter", ".deleter")):
                    kind = "property"
        declared = any(d.rpartition(".")[2] in _ABSTRACT_DECORATORS for d in decorators)
        not_implemented = only_raises_not_implemented(node)
        receiver = None
        if owner is not None and kind != "staticmethod":
            args = node.args.posonlyargs + node.args.args
            receiver = args[0].arg if args else None
        scan = _CallScan(
            self, _parameters(node), name, owner=owner, receiver=receiver, methods=method_names
        )
        calls, instantiates = scan.scan(node.body)
        short = node.name
        info = FunctionInfo(
            module=self.module,
            name=name,
            line=node.lineno,
            kind=kind,
            public=not short.startswith("_") or (short.startswith("__") and short.endswith("__")),
            abstract=declared or (self.not_implemented and not_implemented),
            decorators=tuple(decorators),
            calls=calls,
            instantiates=instantiates,
        )
        return info, declared, not_implemented


def _parameters(node: _Function) -> set[str]:
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


def _child_fields(kind: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = tuple(f for f in getattr(kind, "_fields", ()) if f not in _SKIPPED_FIELDS)
        _CHILD_FIELDS[kind] = fields
    return fields


class _CallScan:
    """The calls and attribute accesses in some code, resolved through the module's
    names (and, in a method, ``self.other_method()`` to the class's method).

    One pass over the code collects the calls as written and the names the code
    binds itself (parameters, assignments, loop and ``with`` targets), which hide
    the module's names of the same spelling; then the calls are resolved."""

    def __init__(
        self,
        parser: _ModuleParser,
        parameters: set[str],
        where: str,
        *,
        owner: str | None = None,
        receiver: str | None = None,
        methods: set[str] | None = None,
    ) -> None:
        self.parser = parser
        self.local_names = parameters
        self.where = where
        self.owner = owner
        self.receiver = receiver
        self.methods = methods or set()

    def target(self, dotted: str) -> tuple[str, bool]:
        head, _, rest = dotted.partition(".")
        if head in self.local_names:
            if head == self.receiver and self.owner is not None and rest in self.methods:
                return f"{self.parser.module}.{self.owner}.{rest}", True
            return dotted, False
        resolved = self.parser.resolve(dotted)
        return (resolved, True) if resolved is not None else (dotted, False)

    def scan(self, nodes: Sequence[ast.AST]) -> tuple[tuple[Call, ...], tuple[Call, ...]]:
        found: list[tuple[int, int, str, str]] = []  # (line, column, dotted, kind)
        dynamic: list[ast.Call] = []
        stores = set()
        global_names: set[str] = set()
        Attribute, Name, Call_, Constant, Store = (
            ast.Attribute, ast.Name, ast.Call, ast.Constant, ast.Store,
        )  # fmt: skip
        fields_of = _CHILD_FIELDS
        binders = _BINDERS
        used_imports = self.parser.used_imports
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
                elif node.id in used_imports:
                    found.append((node.lineno, node.col_offset, node.id, "access"))
                continue
            if kind is Constant:
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
                    stores.update(_parameters(node))
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
        self.local_names = (self.local_names | stores) - global_names
        return self._resolved(found, dynamic)

    def _resolved(
        self, found: list[tuple[int, int, str, str]], dynamic: list[ast.Call]
    ) -> tuple[tuple[Call, ...], tuple[Call, ...]]:
        parser = self.parser
        calls: list[Call] = []
        instantiates: list[Call] = []
        own = parser.module + "."
        bindings = parser.bindings
        local_names = self.local_names
        found.sort()  # source order
        for line, _, dotted, kind in found:
            if kind == "access":
                head = dotted.partition(".")[0]
                if head in local_names or head not in bindings:
                    continue
                target, resolved = self.target(dotted)
                if resolved and not target.startswith(own):
                    calls.append(Call(target, line, True, "access"))
                continue
            target, resolved = self.target(dotted)
            call = Call(target, line, resolved)
            calls.append(call)
            if resolved and _is_class_name(target, parser):
                instantiates.append(call)
        for node in dynamic:
            if "getattr" in local_names or len(node.args) < 2:
                continue
            name = node.args[1]
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                parser.blind_spots.append(
                    f"line {node.lineno}: {self.where} reads an attribute whose "
                    f"name is computed ({_shown(node)})"
                )
        return tuple(calls), tuple(instantiates)


def _is_class_name(target: str, parser: _ModuleParser) -> bool:
    """Whether a resolved callee names a class: one of the module's own classes,
    or (by Python's naming convention, PEP 8) a CapWords name that is not a
    CONSTANT."""
    module, _, name = target.rpartition(".")
    if module == parser.module:
        return name in parser.classes
    if not module:
        return name in _BUILTIN_CLASSES
    return name[:1].isupper() and not name.isupper()


_BUILTIN_CLASSES = frozenset(
    name for name in dir(builtins) if isinstance(getattr(builtins, name), type)
) - {"bool", "int", "float", "str", "bytes", "object", "type", "super"}


class ModuleTable(Mapping[str, ModuleCode]):
    """The modules of a model by name, in order, each made from its cached data
    (:func:`to_data`) only when it is first asked for: a rule that looks at a few
    packages does not pay for the rest."""

    def __init__(self, modules: Mapping[str, ModuleCode | tuple[Any, ...]]) -> None:
        self._items: dict[str, ModuleCode | tuple[Any, ...]] = dict(sorted(modules.items()))

    def __getitem__(self, module: str) -> ModuleCode:
        item = self._items[module]
        if not isinstance(item, tuple):  # made already (not by class: a re-import
            return item  # of this module, as pytester's in-process runs do, is another)
        try:
            code = from_data(item)
        except (ValueError, TypeError):
            raise ConfigError(
                f"the cached code model of {module} is damaged: run again without the "
                "cache (--no-cache, --fitness-no-cache) or delete the cache directory"
            ) from None
        self._items[module] = code
        return code

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, module: object) -> bool:
        return module in self._items


class CodeModel:
    """The code model of a whole project: its modules, and questions across them."""

    def __init__(
        self,
        modules: Mapping[str, ModuleCode],
        *,
        source: Callable[[str], str | None] | None = None,
    ) -> None:
        """``source`` gives a module's source text (None if it cannot be read), for
        :meth:`line_text`: the adapter that builds the model reads the file, only
        when a violation quotes a line of it."""
        self.modules: Mapping[str, ModuleCode] = (
            modules if isinstance(modules, ModuleTable) else ModuleTable(modules)
        )
        self._source = source
        self._lines: dict[str, list[str]] = {}
        self._by_module: dict[str, dict[str, ClassInfo]] = {}
        self._named: dict[str, ClassInfo | None] = {}
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._derived: dict[Hashable, Any] = {}

    def __repr__(self) -> str:
        return f"<CodeModel of {len(self.modules)} modules>"

    def classes(self) -> Iterator[ClassInfo]:
        """Every class, sorted by (module, line, name)."""
        for code in self.modules.values():
            yield from code.classes

    def functions(self, *, methods: bool = True) -> Iterator[FunctionInfo]:
        """Every top-level function (and method, unless ``methods=False``), sorted
        by (module, line, name)."""
        for code in self.modules.values():
            if not methods:
                yield from code.functions
                continue
            items = list(code.functions)
            for cls in code.classes:
                items.extend(cls.methods)
            yield from sorted(items, key=lambda f: (f.line, f.name))

    def line_text(self, module: str, line: int) -> str:
        """Line ``line`` (from 1) of the module's source, stripped, as a violation
        quotes it (as import lines are quoted); "" when the source is not known."""
        lines = self._lines.get(module)
        if lines is None:
            text = self._source(module) if self._source is not None else None
            lines = text.splitlines() if text else []
            self._lines[module] = lines
        if 0 < line <= len(lines):
            return lines[line - 1].strip().lstrip("\ufeff")
        return ""

    def blind_spots(self) -> Iterator[tuple[str, str]]:
        """(file, sentence) for everything the model could not resolve statically."""
        for code in self.modules.values():
            for spot in code.blind_spots:
                yield code.file or code.module, spot

    def class_named(self, qualified: str) -> ClassInfo | None:
        """The class of that dotted name, following re-exports
        (``from .x import A`` in an ``__init__``, also through ``import x as y``
        and star imports); None if not in the project."""
        if qualified in self._named:
            return self._named[qualified]
        found = self._find(qualified, set())
        self._named[qualified] = found
        return found

    def _classes_of(self, module: str) -> dict[str, ClassInfo]:
        classes = self._by_module.get(module)
        if classes is None:
            classes = {c.name: c for c in self.modules[module].classes}
            self._by_module[module] = classes
        return classes

    def _find(self, qualified: str, seen: set[str]) -> ClassInfo | None:
        if qualified in seen:
            return None
        seen.add(qualified)
        # The longest module the name starts with, then the name within it.
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:cut])
            if module not in self.modules:
                continue
            direct = self._classes_of(module).get(".".join(parts[cut:]))
            if direct is not None:
                return direct
            code = self.modules[module]
            head, tail = parts[cut], "".join("." + p for p in parts[cut + 1 :])
            for imported in reversed(code.imports):  # the last binding wins
                if imported.alias != head:
                    continue
                if imported.name is not None:
                    target = f"{imported.module}.{imported.name}"
                elif imported.module.partition(".")[0] == head:
                    target = head  # import a.b binds a
                else:
                    target = imported.module  # import a.b as c binds c to a.b
                return self._find(target + tail, seen)
            for imported in code.imports:
                if imported.name == "*":
                    found = self._find(f"{imported.module}.{head}{tail}", seen)
                    if found is not None:
                        return found
            return None
        return None

    def ancestors(self, cls: ClassInfo) -> tuple[str, ...]:
        """All bases of ``cls``, transitively, across modules; external ones are
        included but not followed further. A base reached through a re-export is
        listed under both names (as written and where the class is defined)."""
        key = cls.qualified_name
        if self.class_named(key) is not cls:  # hidden by a later class of the same name
            return tuple(self._walk_up([cls], {key}))
        cached = self._ancestors.get(key)
        if cached is None:
            cached = self._ancestors[key] = tuple(self._walk_up([cls], {key}))
        return cached

    def ancestors_of_all(self, classes: Iterable[ClassInfo]) -> set[str]:
        """The ancestors of every class of ``classes`` (what :meth:`ancestors` gives for
        each), in one walk: each class above them is followed once."""
        starts = list(classes)
        return set(self._walk_up(starts, set(), expanded={c.qualified_name for c in starts}))

    def _walk_up(
        self, starts: list[ClassInfo], seen: set[str], expanded: AbstractSet[str] = frozenset()
    ) -> dict[str, None]:
        """The names above ``starts``, breadth first: bases as written, and the project
        classes they name under their own names (except those in ``seen``); the
        classes in ``expanded`` are named but not followed again."""
        found: dict[str, None] = {}
        queue = collections.deque(base for cls in starts for base in cls.bases)
        while queue:
            base = queue.popleft()
            if base in found:
                continue
            found[base] = None
            target = self.class_named(base)
            if target is None:
                queue.extend(builtin_bases(base))
                continue
            if target.qualified_name in seen:
                continue
            seen.add(target.qualified_name)
            found[target.qualified_name] = None
            if target.qualified_name not in expanded:
                queue.extend(target.bases)
        return found

    def derived(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """What ``make()`` gives, made once per model for ``key``: an index a rule builds
        over the model's classes (:mod:`fitness.domain.inheritance`), shared by every
        rule that asks the same question."""
        try:
            return self._derived[key]  # type: ignore[no-any-return]
        except KeyError:
            made = self._derived[key] = make()
            return made

    def is_subclass(self, cls: ClassInfo, base: str) -> bool:
        """Whether ``cls`` derives from ``base`` (a dotted name, glob allowed:
        ``pydantic.*`` one level, ``pydantic.**`` any depth), directly or through
        other classes; a base of the project is found under any name it is
        re-exported as."""
        ancestors = self.ancestors(cls)
        if "*" in base:
            return any(name_matches(name, base) for name in ancestors)
        if base in ancestors:
            return True
        target = self.class_named(base)
        return target is not None and target.qualified_name in ancestors


def builtin_bases(name: str) -> tuple[str, ...]:
    """The bases of a builtin class, transitively (``RuntimeError``: ``Exception``,
    ``BaseException``), ``object`` left out; () for any other name. Python's own
    classes, known without importing the code under analysis."""
    if "." in name or name not in _BUILTIN_TYPES:
        return ()
    return tuple(c.__name__ for c in _BUILTIN_TYPES[name].__mro__[1:] if c is not object)


_BUILTIN_TYPES: dict[str, type] = {
    name: value for name in dir(builtins) if isinstance(value := getattr(builtins, name), type)
}


def name_matches(name: str, pattern: str) -> bool:
    """Whether a dotted name matches a pattern: ``*`` stands for one part of the
    name (or part of one: ``*Repository``), ``**`` for any number of parts."""
    if "*" not in pattern:
        return name == pattern
    return _pattern(pattern).fullmatch(name) is not None


@functools.lru_cache(maxsize=512)
def _pattern(pattern: str) -> re.Pattern[str]:
    parts = []
    for piece in re.split(r"(\*\*|\*)", pattern):
        if piece == "**":
            parts.append(".*")
        elif piece == "*":
            parts.append("[^.]*")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts))


# Serialisation (for the cache): nested tuples of str, int, bool and None -----------


def _call_data(call: Call) -> tuple[Any, ...]:
    return (call.target, call.line, call.resolved, call.kind)


def _function_data(f: FunctionInfo) -> tuple[Any, ...]:
    return (
        f.name,
        f.line,
        f.kind,
        f.public,
        f.abstract,
        f.decorators,
        tuple(map(_call_data, f.calls)),
        tuple(map(_call_data, f.instantiates)),
    )


def to_data(code: ModuleCode) -> tuple[Any, ...]:
    """``code`` as nested tuples of plain values (for ``marshal`` or JSON)."""
    return (
        code.module,
        code.file,
        tuple((i.module, i.name, i.alias, i.line) for i in code.imports),
        code.exports,
        tuple(
            (
                c.name,
                c.line,
                c.bases,
                c.unresolved_bases,
                c.decorators,
                c.frozen,
                tuple(map(_function_data, c.methods)),
                c.abstract,
                c.protocol,
                tuple(map(_call_data, c.calls)),
                tuple(map(_call_data, c.instantiates)),
            )
            for c in code.classes
        ),
        tuple(map(_function_data, code.functions)),
        code.blind_spots,
        tuple(map(_call_data, code.calls)),
        tuple(map(_call_data, code.instantiates)),
        code.main_blocks,
    )


def from_data(data: Any) -> ModuleCode:
    """The inverse of :func:`to_data`; raises ``ValueError`` or ``TypeError`` on
    data of the wrong shape (the values are trusted: the data comes from
    :func:`to_data`, through a cache keyed by the model's version)."""
    module, file, imports, exports, classes, functions, spots, calls, instantiates, mains = data
    if not isinstance(module, str) or not isinstance(file, str):
        raise ValueError("module and file must be strings")

    def calls_of(items: Any) -> tuple[Call, ...]:
        return tuple([Call(t, line, r, k) for t, line, r, k in items])

    def function(item: Any) -> FunctionInfo:
        name, line, kind, public, abstract, decorators, calls, instantiates = item
        return FunctionInfo(
            module,
            name,
            line,
            kind,
            public,
            abstract,
            tuple(decorators),
            calls_of(calls),
            calls_of(instantiates),
        )

    return ModuleCode(
        module,
        file,
        tuple([ImportedName(m, n, a, line) for m, n, a, line in imports]),
        None if exports is None else tuple(exports),
        tuple(
            [
                ClassInfo(
                    module,
                    name,
                    line,
                    tuple(bases),
                    tuple(unresolved),
                    tuple(decorators),
                    frozen,
                    tuple([function(m) for m in methods]),
                    abstract,
                    protocol,
                    calls_of(class_calls),
                    calls_of(class_instantiates),
                )
                for (
                    name,
                    line,
                    bases,
                    unresolved,
                    decorators,
                    frozen,
                    methods,
                    abstract,
                    protocol,
                    class_calls,
                    class_instantiates,
                ) in classes
            ]
        ),
        tuple([function(f) for f in functions]),
        tuple(spots),
        calls_of(calls),
        calls_of(instantiates),
        tuple([(first, last) for first, last in mains]),
    )


__all__ = [
    "MODEL_VERSION",
    "Call",
    "ClassInfo",
    "CodeModel",
    "FunctionInfo",
    "ImportedName",
    "ModuleCode",
    "ModuleTable",
    "builtin_bases",
    "from_data",
    "module_code",
    "name_matches",
    "to_data",
]
