"""What the code model holds: the classes, functions, imports and calls of each module,
as plain, frozen values.

How much of a module is read is its :class:`Detail`: the outline (imports,
``__all__``, classes and functions with their bases, decorators and methods) always;
the calls made in the code, and what each method uses of its instance (for cohesion),
only when a rule reads them. Parsing is most of the cost; walking every expression of
every function doubles it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from fitness.domain.code.detail import Detail

#: What a qualified name says between a function and what is defined inside it
#: (Python's ``__qualname__``: ``make.<locals>.Helper``).
LOCALS = "<locals>"


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
    """A function or a method, wherever it is defined (at the top level, in a class, in
    another function, under an ``if`` or a ``try``)."""

    module: str
    #: Qualified within the module, as Python's ``__qualname__``: ``place_order``,
    #: ``OrderService.place``, ``make.<locals>.helper`` (defined inside ``make``).
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
    #: In source order (line, column), those of the functions, classes and lambdas
    #: defined inside it included (they are the function's code too);
    #: attribute accesses (``os.environ``) on imported names too, as ``kind="access"``
    #: (:attr:`Detail.CALLS`).
    calls: tuple[Call, ...]
    #: Those of :attr:`calls` that create an instance of a class: one of the module's
    #: own classes, a builtin class, or (by PEP 8's naming convention, as an import
    #: does not say what it brings) a resolved CapWords name that is not a CONSTANT.
    #: Targets are as the module names them: ``class_named`` finds a project class
    #: under a re-exported name.
    instantiates: tuple[Call, ...]
    #: Decorated with ``abstractmethod`` (or ``abstractproperty``...).
    declared_abstract: bool = False
    #: The body only raises ``NotImplementedError``.
    not_implemented: bool = False
    #: For a method: the names ``x`` of what it uses on its instance or class
    #: (``self.x``, ``self.m()``, ``cls.x``), sorted (:attr:`Detail.COHESION`).
    uses: tuple[str, ...] = ()
    #: Defined under an ``if``, ``try``, ``with``, ``for``, ``while`` or ``match`` in the
    #: body of its module, class or function, rather than directly in it.
    conditional: bool = False

    @property
    def qualified_name(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def short_name(self) -> str:
        """The name as defined: ``place`` for ``OrderService.place``."""
        return self.name.rpartition(".")[2]

    @property
    def top_level(self) -> bool:
        """Defined in the module's body (not a method, not inside a class or a function)."""
        return "." not in self.name

    @property
    def local(self) -> bool:
        """Defined inside a function (``make.<locals>.helper``)."""
        return LOCALS in self.name


@dataclass(frozen=True)
class ClassInfo:
    """A class, wherever it is defined (at the top level, in another class, in a
    function, under an ``if`` or a ``try``)."""

    module: str
    #: Qualified within the module, as Python's ``__qualname__``: ``Order``,
    #: ``Order.Line`` (defined in ``Order``), ``make.<locals>.Helper`` (in ``make``).
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
    #: An ABC or a Protocol, or a class with methods decorated ``abstractmethod``
    #: (not counting those that only raise NotImplementedError).
    declared_abstract: bool = False
    #: The dotted names the class refers to (bases, annotations, bodies, nested classes),
    #: resolved through the module's names, sorted (:attr:`Detail.COHESION`).
    references: tuple[str, ...] = ()
    #: Defined under an ``if``, ``try``, ``with``, ``for``, ``while`` or ``match`` (a
    #: version check, an optional import) rather than directly in the body of its module,
    #: class or function, or nested in a class that is.
    conditional: bool = False

    @property
    def qualified_name(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def top_level(self) -> bool:
        """Defined in the module's body (not inside a class or a function): the classes
        the metrics count, if not :attr:`conditional`."""
        return "." not in self.name

    @property
    def local(self) -> bool:
        """Defined inside a function (``make.<locals>.Helper``)."""
        return LOCALS in self.name


@dataclass(frozen=True)
class ModuleCode:
    """The classes, functions and imports of one module."""

    module: str
    #: As in ``graph.module_files()``.
    file: str
    imports: tuple[ImportedName, ...]
    #: ``__all__`` when the module alone says what it holds (string literals, ``+``,
    #: ``+=``, ``.append``, ``.extend``, unpacking: :mod:`~fitness.domain.code.namespace`);
    #: None if it has none, or if it takes other modules' ``__all__``
    #: (:meth:`~fitness.domain.code.project.CodeModel.exports` evaluates it then), or if
    #: it cannot be known statically (:attr:`exports_unknown` says why).
    exports: tuple[str, ...] | None
    #: Every class, wherever it is defined (nested ones named ``Outer.Inner``,
    #: ``make.<locals>.Helper``), sorted by (line, name).
    classes: tuple[ClassInfo, ...]
    #: Every function that is not a method (methods are in their class): top-level ones
    #: and those defined inside functions (``make.<locals>.helper``), by (line, name).
    functions: tuple[FunctionInfo, ...]
    #: Human sentences: ``line 12: base class of Foo is dynamic (make_base())``.
    blind_spots: tuple[str, ...]
    #: Calls and accesses outside any function (module and class bodies), in source order.
    calls: tuple[Call, ...] = ()
    #: Those of :attr:`calls` that instantiate a class.
    instantiates: tuple[Call, ...] = ()
    #: (first line, last line) of each top-level ``if __name__ == "__main__":`` block.
    main_blocks: tuple[tuple[int, int], ...] = ()
    #: What was read beyond the outline.
    detail: Detail = Detail.ALL
    #: Why the module's classes are unknown although it has some (Python's parser gave
    #: up on it: too deeply nested); "" when they were read.
    classes_unread: str = ""
    #: (name, what it is bound to) of every name the module binds at its top level:
    #: ``module.name`` for a definition or an assignment, what an import imports
    #: (``app.models.Order`` for ``from .models import Order``), the package's submodule
    #: for one its ``__init__`` imports; sorted by name.
    names: tuple[tuple[str, str], ...] = ()
    #: ``__all__`` as the module builds it: each name it lists, and ``*module`` for every
    #: name of another module's ``__all__`` it takes; None when the module has no
    #: ``__all__``.
    exports_recipe: tuple[str, ...] | None = None
    #: Why what ``from module import *`` gives cannot be known statically (its
    #: ``__all__`` is computed; without one, ``globals()`` binds names), with the line:
    #: ``line 7: __all__ = compute()``; "" when it can.
    exports_unknown: str = ""
    #: (name, line) of each use of a name the module neither binds nor has as a local
    #: (builtins included), in a module with a star import, which may bind it: in bases,
    #: decorators, calls and uses. The model (:class:`~fitness.domain.code.project.CodeModel`)
    #: resolves them through the star imports.
    free_names: tuple[tuple[str, int], ...] = ()

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
