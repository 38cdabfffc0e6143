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

from collections.abc import Iterator, Mapping
from dataclasses import dataclass


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
    #: In source order.
    calls: tuple[Call, ...]
    #: Calls whose target resolves to a class (of the project, or external when known).
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
    #: ``dataclass(frozen=True)``, attrs ``frozen``/``define(frozen=True)``, NamedTuple, Enum.
    frozen: bool
    methods: tuple[FunctionInfo, ...]
    #: An ABC or Protocol, abstract methods, or (when configured) public methods
    #: that only raise NotImplementedError.
    abstract: bool
    protocol: bool

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


def module_code(
    module: str,
    source: str,
    *,
    is_package: bool = False,
    file: str = "",
    not_implemented_is_abstract: bool = True,
) -> ModuleCode:
    """The code model of one module, parsed from ``source`` (never imported)."""
    raise NotImplementedError


class CodeModel:
    """The code model of a whole project: its modules, and questions across them."""

    def __init__(self, modules: Mapping[str, ModuleCode]) -> None:
        self.modules: Mapping[str, ModuleCode] = dict(modules)

    def classes(self) -> Iterator[ClassInfo]:
        """Every class, sorted by (module, line, name)."""
        raise NotImplementedError

    def functions(self, *, methods: bool = True) -> Iterator[FunctionInfo]:
        """Every top-level function (and method, unless ``methods=False``), sorted
        by (module, line, name)."""
        raise NotImplementedError

    def class_named(self, qualified: str) -> ClassInfo | None:
        """The class of that dotted name, following re-exports
        (``from .x import A`` in an ``__init__``); None if not in the project."""
        raise NotImplementedError

    def ancestors(self, cls: ClassInfo) -> tuple[str, ...]:
        """All bases of ``cls``, transitively, across modules; external ones are
        included but not followed further."""
        raise NotImplementedError

    def is_subclass(self, cls: ClassInfo, base: str) -> bool:
        """Whether ``cls`` derives from ``base`` (a dotted name, glob allowed:
        ``pydantic.*``), directly or through other classes."""
        raise NotImplementedError


__all__ = [
    "Call",
    "ClassInfo",
    "CodeModel",
    "FunctionInfo",
    "ImportedName",
    "ModuleCode",
    "module_code",
]
