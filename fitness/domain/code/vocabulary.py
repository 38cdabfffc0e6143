"""What some of Python's names mean, known without importing the code under analysis:
the builtins, what makes a class abstract, what makes it frozen.

A class is **abstract** (:func:`class_is_abstract`) when it

- lists ``Protocol`` (``typing.Protocol``, ``typing_extensions.Protocol``,
  ``Protocol[T]``) or ``abc.ABC`` among its bases, or has the metaclass
  ``abc.ABCMeta``;
- defines a method decorated with ``abstractmethod`` (``abc.abstractmethod``,
  ``abstractproperty``, ...);
- or (unless ``not_implemented_is_abstract`` is off) defines a public method
  whose body only raises ``NotImplementedError`` (after a docstring, if any):
  Python's informal abstract method.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Sequence

from fitness.domain.syntax import is_true

BUILTINS = frozenset(dir(builtins))
#: The builtin classes by name (``RuntimeError``, ``dict``...).
BUILTIN_TYPES: dict[str, type] = {
    name: value for name in dir(builtins) if isinstance(value := getattr(builtins, name), type)
}
#: Builtin classes whose call counts as creating an instance (conversions such as
#: ``int(x)`` and ``str(x)`` do not).
BUILTIN_CLASSES = frozenset(BUILTIN_TYPES) - {
    "bool", "int", "float", "str", "bytes", "object", "type", "super",
}  # fmt: skip

PROTOCOL_NAMES = frozenset({"Protocol", "typing.Protocol", "typing_extensions.Protocol"})
ABSTRACT_DECORATORS = frozenset(
    {"abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod"}
)
#: Bases and metaclasses (resolved through the imports) that make a class an ABC.
ABC_BASES = frozenset({"abc.ABC"})
ABC_METACLASSES = frozenset({"abc.ABCMeta"})

FROZEN_BASES = frozenset(
    {
        "typing.NamedTuple",
        "typing_extensions.NamedTuple",
        "enum.Enum",
        "enum.IntEnum",
        "enum.StrEnum",
        "enum.Flag",
        "enum.IntFlag",
    }
)
#: Decorators that make a frozen class when called with ``frozen=True``.
DATACLASS_DECORATORS = frozenset(
    {
        "dataclasses.dataclass",
        "pydantic.dataclasses.dataclass",
        "attr.s",
        "attr.attrs",
        "attr.define",
        "attrs.define",
        "attr.mutable",
        "attrs.mutable",
    }
)
#: Decorators that always make a frozen class.
FROZEN_DECORATORS = frozenset({"attr.frozen", "attrs.frozen"})
#: Calls that make a class deriving from tuple (usable as a base).
TUPLE_FACTORIES = frozenset(
    {"collections.namedtuple", "typing.NamedTuple", "typing_extensions.NamedTuple"}
)
PROPERTIES = frozenset({"property", "functools.cached_property", "abc.abstractproperty"})


def class_is_abstract(
    *,
    protocol: bool,
    abc: bool,
    abstract_methods: bool,
    not_implemented_methods: bool,
    not_implemented_is_abstract: bool = True,
) -> bool:
    """Python's abstract class, for the metrics and the class rules alike: a Protocol
    or an ABC, a class with abstract methods, or (when ``not_implemented_is_abstract``)
    a class with a public method that only raises ``NotImplementedError``."""
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


def is_public(name: str) -> bool:
    """Not ``_private`` (dunders are public)."""
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def builtin_bases(name: str) -> tuple[str, ...]:
    """The bases of a builtin class, transitively (``RuntimeError``: ``Exception``,
    ``BaseException``), ``object`` left out; () for any other name. Python's own
    classes, known without importing the code under analysis."""
    if "." in name or name not in BUILTIN_TYPES:
        return ()
    return tuple(c.__name__ for c in BUILTIN_TYPES[name].__mro__[1:] if c is not object)


def frozen_config(body: Sequence[ast.stmt]) -> bool:
    """pydantic's ``model_config = ConfigDict(frozen=True)`` (or a dict literal
    saying so) in the class body."""
    for item in body:
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
            return any(k.arg == "frozen" and is_true(k.value) for k in value.keywords)
        if isinstance(value, ast.Dict):
            return any(
                isinstance(k, ast.Constant) and k.value == "frozen" and is_true(v)
                for k, v in zip(value.keys, value.values, strict=True)
            )
    return False
