"""What the metrics need to know about classes, read from source text with ``ast``.

Static only: the source is parsed, never imported. One pure function,
:func:`module_facts`, turns (module name, source text) into plain, serialisable
facts; reading files and caching the facts is an adapter's job
(``fitness.adapters.classfacts``).

A class is **abstract** (:func:`class_is_abstract`, shared with the code model
of ``fitness.domain.codemodel``) when it

- lists ``Protocol`` (``typing.Protocol``, ``typing_extensions.Protocol``,
  ``Protocol[T]``) or ``abc.ABC`` among its bases, or has the metaclass
  ``abc.ABCMeta``;
- defines a method decorated with ``abstractmethod`` (``abc.abstractmethod``,
  ``abstractproperty``, ...);
- or (unless ``not_implemented_is_abstract`` is off) defines a public method
  whose body only raises ``NotImplementedError`` (after a docstring, if any):
  Python's informal abstract method.

Only top-level classes of a module are counted, as JDepend leaves inner classes
out by default.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fitness.domain.errors import ConfigError
from fitness.domain.syntax import dotted_name

#: Bump when the facts change shape, so cached facts are rebuilt.
FACTS_VERSION = 3

#: A top-level class statement starts a line with ``class``; a module without one
#: has no class to find, and is not parsed at all (a match inside a string only
#: costs a parse).
_TOP_LEVEL_CLASS = re.compile(r"^class\b", re.MULTILINE)
_PROTOCOL_NAMES = {"Protocol", "typing.Protocol", "typing_extensions.Protocol"}
_ABSTRACT_DECORATORS = {
    "abstractmethod",
    "abstractproperty",
    "abstractclassmethod",
    "abstractstaticmethod",
}
#: Bases and metaclasses (resolved through the imports) that make a class an ABC.
ABC_BASES = frozenset({"abc.ABC"})
ABC_METACLASSES = frozenset({"abc.ABCMeta"})


def class_is_abstract(
    *,
    protocol: bool,
    abc: bool,
    abstract_methods: bool,
    not_implemented_methods: bool,
    not_implemented_is_abstract: bool = True,
) -> bool:
    """Python's abstract class, for the metrics and the code model alike: a
    Protocol or an ABC, a class with abstract methods, or (when
    ``not_implemented_is_abstract``) a class with a public method that only
    raises ``NotImplementedError``."""
    return (
        protocol
        or abc
        or abstract_methods
        or (not_implemented_is_abstract and not_implemented_methods)
    )


def only_raises_not_implemented(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the body of a function is (after its docstring) only
    ``raise NotImplementedError`` (or ``NotImplementedError(...)``)."""
    body = function.body
    if (
        len(body) > 1
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.Raise):
        return False
    raised = body[0].exc
    if isinstance(raised, ast.Call):
        raised = raised.func
    return isinstance(raised, ast.Name | ast.Attribute) and (
        (raised.id if isinstance(raised, ast.Name) else raised.attr) == "NotImplementedError"
    )


@dataclass(frozen=True, order=True)
class MethodFacts:
    """One method: the instance (or class) attributes it uses and the methods it calls.

    ``attributes`` are the names ``x`` of ``self.x`` that are not methods of the
    class; ``calls`` are the names of the class's own methods it calls or
    references through ``self`` (a property read counts as a call).
    """

    name: str
    attributes: frozenset[str] = frozenset()
    calls: frozenset[str] = frozenset()
    #: Decorated with ``abstractmethod``.
    abstract: bool = False
    #: The body only raises ``NotImplementedError``.
    not_implemented: bool = False


@dataclass(frozen=True, order=True)
class ClassFacts:
    """One top-level class of a module."""

    module: str
    name: str
    line: int = 0
    #: Abstract by the whole definition (:func:`class_is_abstract`).
    abstract: bool = False
    protocol: bool = False
    methods: tuple[MethodFacts, ...] = ()
    #: Dotted names the class refers to (bases, annotations, bodies), resolved
    #: to absolute names where the module's imports say where they come from.
    references: frozenset[str] = frozenset()
    #: Abstract without counting methods that only raise NotImplementedError
    #: (``not_implemented_is_abstract = false``).
    declared_abstract: bool = False

    @property
    def qualified_name(self) -> str:
        return f"{self.module}.{self.name}"

    def is_abstract(self, *, not_implemented_is_abstract: bool = True) -> bool:
        return self.abstract if not_implemented_is_abstract else self.declared_abstract


@dataclass(frozen=True)
class ModuleFacts:
    """The classes of one module."""

    module: str
    classes: tuple[ClassFacts, ...] = ()

    # Serialisation (for the cache) -------------------------------------------

    def to_data(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "classes": [
                {
                    "name": c.name,
                    "line": c.line,
                    "abstract": c.abstract,
                    "declared_abstract": c.declared_abstract,
                    "protocol": c.protocol,
                    "references": sorted(c.references),
                    "methods": [
                        [
                            m.name,
                            sorted(m.attributes),
                            sorted(m.calls),
                            m.abstract,
                            m.not_implemented,
                        ]
                        for m in c.methods
                    ],
                }
                for c in self.classes
            ],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ModuleFacts:
        """The inverse of :meth:`to_data`; raises ``ValueError`` (or ``KeyError``,
        ``TypeError``) on data of the wrong shape."""
        module = data["module"]
        if not isinstance(module, str):
            raise ValueError("module must be a string")
        classes = []
        for c in data["classes"]:
            methods = tuple(
                MethodFacts(
                    name=str(name),
                    attributes=frozenset(map(str, attributes)),
                    calls=frozenset(map(str, calls)),
                    abstract=bool(abstract),
                    not_implemented=bool(not_implemented),
                )
                for name, attributes, calls, abstract, not_implemented in c["methods"]
            )
            classes.append(
                ClassFacts(
                    module=module,
                    name=str(c["name"]),
                    line=int(c["line"]),
                    abstract=bool(c["abstract"]),
                    declared_abstract=bool(c["declared_abstract"]),
                    protocol=bool(c["protocol"]),
                    methods=methods,
                    references=frozenset(map(str, c["references"])),
                )
            )
        return cls(module=module, classes=tuple(classes))


def module_facts(
    module: str, source: str, *, is_package: bool = False, filename: str = ""
) -> ModuleFacts:
    """The facts of every top-level class in ``source`` (the text of ``module``).

    ``is_package`` says the source is a package's ``__init__.py`` (relative
    imports are resolved from the package itself). A syntax error is a
    :class:`~fitness.domain.errors.ConfigError` naming the file and line.
    """
    if not _TOP_LEVEL_CLASS.search(source):
        return ModuleFacts(module=module)  # no class to find: skip the parse
    try:
        tree = ast.parse(source, filename=filename or module)
    except SyntaxError as error:
        where = filename or module
        raise ConfigError(
            f"cannot parse {where}, line {error.lineno or '?'}: {error.msg}"
        ) from None
    nodes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    if not nodes:
        return ModuleFacts(module=module)
    package = module if is_package else module.rpartition(".")[0]
    imports = _import_bindings(tree, package)
    class_names = {node.name for node in nodes}
    classes = tuple(_class_facts(module, node, imports, class_names) for node in nodes)
    return ModuleFacts(module=module, classes=classes)


# Imports ---------------------------------------------------------------------


def _import_bindings(tree: ast.Module, package: str) -> dict[str, str]:
    """Local name -> absolute dotted name, for the imports anywhere in the module.

    Imports are statements, so only statement bodies are visited, never
    expressions: much cheaper than walking the whole tree.
    """
    bindings: dict[str, str] = {}
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bindings[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    bindings[top] = top
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module or "", node.level, package)
            if base is None:
                continue
            for alias in node.names:
                if alias.name == "*":
                    continue
                target = f"{base}.{alias.name}" if base else alias.name
                bindings[alias.asname or alias.name] = target
        else:
            for name in _BODIES:
                body = getattr(node, name, None)
                if body:
                    stack.extend(body)
            for handler in getattr(node, "handlers", ()) or ():
                stack.extend(handler.body)
            for case in getattr(node, "cases", ()) or ():
                stack.extend(case.body)
    return bindings


_BODIES = ("body", "orelse", "finalbody")


def _absolute(module: str, level: int, package: str) -> str | None:
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module] if module else base)


# Classes -----------------------------------------------------------------------


def _resolve(name: str, module: str, imports: Mapping[str, str], classes: set[str]) -> str:
    head, dot, rest = name.partition(".")
    if head in classes:
        return f"{module}.{name}"
    if head in imports:
        return imports[head] + (dot + rest if rest else "")
    return name


def _is_protocol(base: ast.expr, imports: Mapping[str, str]) -> bool:
    if isinstance(base, ast.Subscript):
        base = base.value
    dotted = dotted_name(base)
    if dotted is None:
        return False
    head, dot, rest = dotted.partition(".")
    resolved = imports.get(head, head) + (dot + rest if rest else "")
    return dotted in _PROTOCOL_NAMES or resolved in _PROTOCOL_NAMES


def _resolved(node: ast.expr, imports: Mapping[str, str]) -> str | None:
    dotted = dotted_name(node)
    if dotted is None:
        return None
    head, dot, rest = dotted.partition(".")
    return imports.get(head, head) + (dot + rest if rest else "")


def _public(name: str) -> bool:
    """Not ``_private`` (dunders are public)."""
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def _is_abstract(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in function.decorator_list:
        dotted = dotted_name(decorator)
        if dotted is not None and dotted.rpartition(".")[2] in _ABSTRACT_DECORATORS:
            return True
    return False


def _class_facts(
    module: str, node: ast.ClassDef, imports: Mapping[str, str], class_names: set[str]
) -> ClassFacts:
    functions = [
        item for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    method_names = {f.name for f in functions}
    scan = _ClassScan(method_names)
    scan.run(node)
    methods = tuple(
        MethodFacts(
            name=f.name,
            attributes=frozenset(scan.attributes.get(f.name, ())),
            calls=frozenset(scan.calls.get(f.name, set()) - {f.name}),
            abstract=_is_abstract(f),
            not_implemented=only_raises_not_implemented(f),
        )
        for f in functions
    )
    protocol = any(_is_protocol(base, imports) for base in node.bases)
    abc = any(_resolved(base, imports) in ABC_BASES for base in node.bases) or any(
        k.arg == "metaclass" and _resolved(k.value, imports) in ABC_METACLASSES
        for k in node.keywords
    )
    declared = class_is_abstract(
        protocol=protocol,
        abc=abc,
        abstract_methods=any(m.abstract for m in methods),
        not_implemented_methods=False,
    )
    not_implemented = any(m.not_implemented and _public(m.name) for m in methods)
    references = {
        _resolve(dotted, module, imports, class_names)
        for dotted in scan.names
        if dotted.split(".")[0] in imports or dotted.split(".")[0] in class_names
    }
    references.discard(f"{module}.{node.name}")
    return ClassFacts(
        module=module,
        name=node.name,
        line=node.lineno,
        abstract=declared or not_implemented,
        declared_abstract=declared,
        protocol=protocol,
        methods=methods,
        references=frozenset(references),
    )


class _ClassScan:
    """One pass over a class: every maximal dotted name it uses (``a.b.C`` once, not
    ``a`` and ``a.b``), and for each method the attributes it uses and the methods
    it calls through its receiver (``self``, ``cls``)."""

    def __init__(self, method_names: set[str]) -> None:
        self.method_names = method_names
        self.names: set[str] = set()
        self.attributes: dict[str, set[str]] = {}
        self.calls: dict[str, set[str]] = {}

    def run(self, cls: ast.ClassDef) -> None:
        # (node, method it belongs to or None, that method's receiver or None)
        stack: list[tuple[ast.AST, str | None, str | None]] = []
        for item in cls.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                stack.append((item, item.name, _receiver(item)))
            else:
                stack.append((item, None, None))
        stack.extend((base, None, None) for base in (*cls.bases, *cls.decorator_list))
        stack.extend((k.value, None, None) for k in cls.keywords)
        names = self.names
        while stack:
            node, method, receiver = stack.pop()
            if isinstance(node, ast.Attribute):
                parts = [node.attr]
                inner = node
                value = node.value
                while isinstance(value, ast.Attribute):
                    inner = value
                    parts.append(value.attr)
                    value = value.value
                if isinstance(value, ast.Name):
                    parts.append(value.id)
                    names.add(".".join(reversed(parts)))
                    if method is not None and value.id == receiver:
                        if inner.attr in self.method_names:
                            self.calls.setdefault(method, set()).add(inner.attr)
                        else:
                            self.attributes.setdefault(method, set()).add(inner.attr)
                else:
                    stack.append((value, method, receiver))
                continue
            if isinstance(node, ast.Name):
                names.add(node.id)
                continue
            if isinstance(node, ast.Constant):
                text = node.value
                if isinstance(text, str) and _NAME_TEXT.match(text):
                    names.add(text.strip())  # a string annotation: "Order"
                continue
            for field in node._fields:
                child = getattr(node, field, None)
                if isinstance(child, ast.AST):
                    stack.append((child, method, receiver))
                elif isinstance(child, list):
                    for item in child:
                        if isinstance(item, ast.AST):
                            stack.append((item, method, receiver))


_NAME_TEXT = re.compile(r"\s*[A-Za-z_][\w.]*\s*\Z")


def _receiver(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    args = function.args.posonlyargs + function.args.args
    is_static = any(dotted_name(d) == "staticmethod" for d in function.decorator_list)
    return args[0].arg if args and not is_static else None


def classes_by_package(
    facts: Iterable[ModuleFacts], package_of: Mapping[str, str]
) -> dict[str, list[ClassFacts]]:
    """Group classes by the package their module belongs to (``package_of[module]``);
    modules missing from ``package_of`` are left out."""
    grouped: dict[str, list[ClassFacts]] = {}
    for module in facts:
        package = package_of.get(module.module)
        if package is None:
            continue
        grouped.setdefault(package, []).extend(module.classes)
    return grouped


__all__ = [
    "FACTS_VERSION",
    "ClassFacts",
    "MethodFacts",
    "ModuleFacts",
    "class_is_abstract",
    "classes_by_package",
    "module_facts",
    "only_raises_not_implemented",
]
