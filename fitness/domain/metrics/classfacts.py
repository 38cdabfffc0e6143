"""What the metrics need to know about classes, read from source text with ``ast``.

Static only: the source is parsed, never imported. One pure function,
:func:`module_facts`, turns (module name, source text) into plain, serialisable
facts; reading files and caching the facts is an adapter's job
(``fitness.adapters.classfacts``).

A class is **abstract** when it lists ``Protocol`` (``typing.Protocol``,
``typing_extensions.Protocol``, ``Protocol[T]``) among its bases, or defines a
method decorated with ``abstractmethod`` (``abc.abstractmethod``,
``abstractproperty``, ...). Only top-level classes of a module are counted, as
JDepend leaves inner classes out by default.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fitness.domain.errors import ConfigError

#: Bump when the facts change shape, so cached facts are rebuilt.
FACTS_VERSION = 1

_PROTOCOL_NAMES = {"Protocol", "typing.Protocol", "typing_extensions.Protocol"}
_ABSTRACT_DECORATORS = {
    "abstractmethod",
    "abstractproperty",
    "abstractclassmethod",
    "abstractstaticmethod",
}


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
    abstract: bool = False


@dataclass(frozen=True, order=True)
class ClassFacts:
    """One top-level class of a module."""

    module: str
    name: str
    line: int = 0
    abstract: bool = False
    protocol: bool = False
    methods: tuple[MethodFacts, ...] = ()
    #: Dotted names the class refers to (bases, annotations, bodies), resolved
    #: to absolute names where the module's imports say where they come from.
    references: frozenset[str] = frozenset()

    @property
    def qualified_name(self) -> str:
        return f"{self.module}.{self.name}"


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
                    "protocol": c.protocol,
                    "references": sorted(c.references),
                    "methods": [
                        [m.name, sorted(m.attributes), sorted(m.calls), m.abstract]
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
                )
                for name, attributes, calls, abstract in c["methods"]
            )
            classes.append(
                ClassFacts(
                    module=module,
                    name=str(c["name"]),
                    line=int(c["line"]),
                    abstract=bool(c["abstract"]),
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
    try:
        tree = ast.parse(source, filename=filename or module)
    except SyntaxError as error:
        where = filename or module
        raise ConfigError(
            f"cannot parse {where}, line {error.lineno or '?'}: {error.msg}"
        ) from None
    package = module if is_package else module.rpartition(".")[0]
    imports = _import_bindings(tree, package)
    class_names = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    classes = tuple(
        _class_facts(module, node, imports, class_names)
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    )
    return ModuleFacts(module=module, classes=classes)


# Imports ---------------------------------------------------------------------


def _import_bindings(tree: ast.Module, package: str) -> dict[str, str]:
    """Local name -> absolute dotted name, for the imports anywhere in the module."""
    bindings: dict[str, str] = {}
    for node in ast.walk(tree):
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
    return bindings


def _absolute(module: str, level: int, package: str) -> str | None:
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module] if module else base)


# Classes -----------------------------------------------------------------------


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attribute accesses on a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


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
    dotted = _dotted(base)
    if dotted is None:
        return False
    head, dot, rest = dotted.partition(".")
    resolved = imports.get(head, head) + (dot + rest if rest else "")
    return dotted in _PROTOCOL_NAMES or resolved in _PROTOCOL_NAMES


def _is_abstract(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in function.decorator_list:
        dotted = _dotted(decorator)
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
    methods = tuple(_method_facts(f, method_names) for f in functions)
    protocol = any(_is_protocol(base, imports) for base in node.bases)
    references = {
        _resolve(dotted, module, imports, class_names)
        for dotted in _referenced_names(node)
        if dotted.split(".")[0] in imports or dotted.split(".")[0] in class_names
    }
    references.discard(f"{module}.{node.name}")
    return ClassFacts(
        module=module,
        name=node.name,
        line=node.lineno,
        abstract=protocol or any(m.abstract for m in methods),
        protocol=protocol,
        methods=methods,
        references=frozenset(references),
    )


def _referenced_names(node: ast.ClassDef) -> Iterable[str]:
    """Every maximal dotted name used in the class (``a.b.C`` once, not ``a`` and ``a.b``)."""
    inner: set[int] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute):
            inner.add(id(child.value))
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute | ast.Name) and id(child) not in inner:
            dotted = _dotted(child)
            if dotted is not None:
                yield dotted
        elif isinstance(child, ast.Constant) and isinstance(child.value, str):
            # String annotations ("Order", "shop.domain.Order"): names they hold.
            text = child.value.strip()
            if text.replace(".", "").replace("_", "").isalnum() and not text[:1].isdigit():
                yield text


def _method_facts(
    function: ast.FunctionDef | ast.AsyncFunctionDef, methods: set[str]
) -> MethodFacts:
    args = function.args.posonlyargs + function.args.args
    is_static = any(_dotted(d) == "staticmethod" for d in function.decorator_list)
    receiver = args[0].arg if args and not is_static else None
    attributes: set[str] = set()
    calls: set[str] = set()
    if receiver is not None:
        for child in ast.walk(function):
            if (
                isinstance(child, ast.Attribute)
                and isinstance(child.value, ast.Name)
                and child.value.id == receiver
            ):
                if child.attr in methods:
                    calls.add(child.attr)
                else:
                    attributes.add(child.attr)
    calls.discard(function.name)
    return MethodFacts(
        name=function.name,
        attributes=frozenset(attributes),
        calls=frozenset(calls),
        abstract=_is_abstract(function),
    )


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
    "classes_by_package",
    "module_facts",
]
