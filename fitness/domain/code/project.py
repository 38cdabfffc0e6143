"""The code model of a whole project: its modules, read when first asked for, and the
questions asked across them (a class by any name it is re-exported as, its ancestry,
whether it subclasses a base, the names an import statement brings).

Each module's code is parsed once (:func:`fitness.domain.code.parsing.module_code`,
never imported) and read from a :class:`CodeSource`: the adapter that reads the files,
caches the result and parses many files in parallel. A module is read when it is first
asked for, and all of them at once when a question is about every class or function,
so that a rule about a few packages (``modular_monolith``'s ``__all__``) does not pay
for the rest.
"""

from __future__ import annotations

import collections
import re
from collections.abc import (
    Callable,
    Hashable,
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
    ValuesView,
)
from collections.abc import Set as AbstractSet
from typing import Any, Protocol, TypeVar

from fitness.domain.code.detail import Detail
from fitness.domain.code.imports import statement_imports
from fitness.domain.code.linking import Linker, Names, StarImport
from fitness.domain.code.model import (
    ClassInfo,
    FunctionInfo,
    ImportedName,
    ModuleCode,
    name_matches,
)
from fitness.domain.code.serialisation import detail_of, from_data
from fitness.domain.code.vocabulary import builtin_bases
from fitness.domain.errors import ConfigError

_T = TypeVar("_T")

#: A module's code, or its data (:func:`fitness.domain.code.serialisation.to_data`),
#: made into a :class:`ModuleCode` when first asked for.
ModuleEntry = ModuleCode | tuple[Any, ...]
#: The source text of a module outside the project, and whether it is a package's
#: ``__init__`` (None when there is none to read).
ExternalSource = Callable[[str], "tuple[str, bool] | None"]
#: The most modules outside the project read for one model (star imports from them,
#: their ``__all__``): a pull request must not make a run read the whole environment.
MAX_EXTERNAL = 500


def _outline(module: str, text: str, is_package: bool) -> ModuleCode | None:
    """The outline of a module outside the project (None if it cannot be parsed)."""
    from fitness.domain.code.parsing import module_code

    try:
        return module_code(module, text, is_package=is_package, detail=Detail.OUTLINE)
    except (ConfigError, RecursionError, MemoryError, ValueError):
        return None


class CodeSource(Protocol):
    """Where a model's modules come from (the adapter reads and parses the files, with
    a cache): the model asks for each module when it is first needed."""

    def modules(self) -> Sequence[str]:
        """The modules the model covers."""

    def load(self, modules: Sequence[str], detail: Detail) -> Mapping[str, ModuleEntry]:
        """The code of each of ``modules``, with at least ``detail``."""

    def text(self, module: str) -> str | None:
        """The module's source text (None if it cannot be read), for the lines that
        violations quote and the import statements that go on over several lines."""

    def defines_classes(self, module: str) -> bool:
        """Whether a line of the module's text starts with ``class``: if none does, no
        class is defined in its body, and the class metrics need not parse it."""

    def external_source(self, module: str) -> tuple[str, bool] | None:
        """The source text of a module outside the project (an installed package's,
        the standard library's), and whether it is a package's ``__init__``, found
        without importing anything; None if there is none to read (a compiled or
        builtin module, or none of that name). Optional: a source without it reads
        none, and star imports from outside the project are then unknown."""


def _entry_detail(entry: ModuleEntry) -> Detail:
    # Data is a tuple; code is any other object (not checked by class: a re-import of
    # the model's module, as pytester's in-process runs do, makes another class).
    return detail_of(entry) if isinstance(entry, tuple) else entry.detail


class ModuleTable(Mapping[str, ModuleCode]):
    """The modules of a model by name, in order. A module is read from the source when
    it is first asked for (all the missing ones at once when the values are iterated),
    and made from its data only then: a rule that looks at a few packages does not pay
    for the rest."""

    def __init__(
        self,
        modules: Mapping[str, ModuleEntry] | None = None,
        *,
        source: CodeSource | None = None,
        detail: Detail = Detail.OUTLINE,
    ) -> None:
        self._source = source
        #: What every module read from now on holds at least.
        self.detail = detail
        self._items: dict[str, ModuleEntry] = dict(modules or {})
        names = source.modules() if source is not None else self._items
        self._names: list[str] = sorted(names)
        self._known = frozenset(self._names)
        #: What a module's code goes through before it is given out (the model's
        #: linking: its star imports and ``__all__`` resolved across modules).
        self.link: Callable[[ModuleCode], ModuleCode] | None = None
        self._linked: set[str] = set()

    def _holds(self, entry: ModuleEntry) -> bool:
        return self._source is None or self.detail in _entry_detail(entry)

    def _read(self, modules: Sequence[str]) -> None:
        if self._source is not None and modules:
            self._items.update(self._source.load(modules, self.detail))
            self._linked.difference_update(modules)

    def entry(self, module: str) -> ModuleEntry:
        """The module's code, or its data if it has not been made yet (a view that reads
        a little of every module need not make them all)."""
        item = self._items.get(module)
        if item is None or not self._holds(item):
            if module not in self._known:
                raise KeyError(module)
            self._read([module])
            item = self._items[module]
        return item

    def __getitem__(self, module: str) -> ModuleCode:
        code = self.unlinked(module)
        if self.link is None or module in self._linked:
            return code
        linked = self.link(code)
        self._items[module] = linked
        self._linked.add(module)
        return linked

    def unlinked(self, module: str) -> ModuleCode:
        """The module's code as its own source says it (linked if it was given out
        already: what linking reads of it, it does not change)."""
        item = self.entry(module)
        if not isinstance(item, tuple):  # made already (not by class: a re-import of
            return item  # this module, as pytester's in-process runs do, is another)
        try:
            code = from_data(item)
        except (ValueError, TypeError):
            raise ConfigError(
                f"the cached code model of {module} is damaged: run again without the "
                "cache (--no-cache, --fitness-no-cache) or delete the cache directory"
            ) from None
        self._items[module] = code
        return code

    def read_all(self) -> None:
        """Read every module not read yet (or read with less detail), in one go."""
        items = self._items
        self._read([m for m in self._names if (e := items.get(m)) is None or not self._holds(e)])

    def read(self, modules: Iterable[str]) -> None:
        """Read these modules (those not read yet, or read with less detail) in one go."""
        items, known = self._items, self._known
        wanted = [m for m in modules if m in known]
        self._read([m for m in wanted if (e := items.get(m)) is None or not self._holds(e)])

    def require(self, detail: Detail) -> bool:
        """From now on, every module holds at least ``detail`` (those read with less are
        read again when asked for); whether that is more than before."""
        wanted = self.detail | detail
        if wanted == self.detail:
            return False
        self.detail = wanted
        return self._source is not None

    def values(self) -> ValuesView[ModuleCode]:  # each module made as it is reached
        self.read_all()
        return super().values()

    def items(self) -> ItemsView[str, ModuleCode]:
        self.read_all()
        return super().items()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, module: object) -> bool:
        return module in self._known


#: What ends a line for Python's (and grimp's) line numbers.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class CodeModel:
    """The code model of a whole project: its modules, and questions across them."""

    def __init__(
        self,
        modules: Mapping[str, ModuleCode] | CodeSource,
        *,
        source: Callable[[str], str | None] | None = None,
        detail: Detail = Detail.ALL,
        external: ExternalSource | None = None,
    ) -> None:
        """The model of ``modules`` (made already), or of those a :class:`CodeSource`
        reads, each with at least ``detail`` (more can be required later:
        :meth:`require`). ``source`` gives a module's text for made modules (a code
        source gives its own); ``external`` the text of a module outside the project
        (:meth:`CodeSource.external_source`), for star imports from it."""
        self._text = source
        self._source: CodeSource | None = None
        self._external_source = external
        if isinstance(modules, ModuleTable):
            self.modules: ModuleTable = modules
        elif isinstance(modules, Mapping):
            self.modules = ModuleTable(modules)
        else:
            self.modules = ModuleTable(source=modules, detail=detail)
            self._text = modules.text
            self._source = modules
            if external is None:
                self._external_source = getattr(modules, "external_source", None)
        self._external: dict[str, ModuleCode | None] = {}
        self._linker = Linker(self._code_of)
        self._stars: dict[str, tuple[StarImport, ...]] = {}
        self.modules.link = self._link
        self._lines: dict[str, list[str]] = {}
        self._by_module: dict[str, dict[str, ClassInfo]] = {}
        self._named: dict[str, ClassInfo | None] = {}
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._derived: dict[Hashable, Any] = {}

    def __repr__(self) -> str:
        return f"<CodeModel of {len(self.modules)} modules>"

    @property
    def detail(self) -> Detail:
        """What each module holds at least."""
        return self.modules.detail

    def require(self, detail: Detail) -> CodeModel:
        """This model, each module read with at least ``detail`` from now on (a module
        read with less is parsed again when next asked for)."""
        if self.modules.require(detail):
            self._by_module.clear()
            self._named.clear()
            self._ancestors.clear()
            self._derived.clear()
        return self

    def _codes(self, modules: Iterable[str] | None) -> Iterator[ModuleCode]:
        """The code of every module (or of these modules: those of the model), by name."""
        if modules is None:
            yield from self.modules.values()
            return
        names = sorted(m for m in set(modules) if m in self.modules)
        self.modules.read(names)
        for name in names:
            yield self.modules[name]

    # Names across modules: __all__, star imports -------------------------------------

    def _link(self, code: ModuleCode) -> ModuleCode:
        linked, stars = self._linker.link(code)
        if stars:
            self._stars[code.module] = stars
        return linked

    def _code_of(self, module: str) -> ModuleCode | None:
        """The code of a module of the project, or of one outside it (its outline, read
        from its source when the code source can find it)."""
        if module in self.modules:
            return self.modules.unlinked(module)
        if module in self._external:
            return self._external[module]
        found: ModuleCode | None = None
        if self._external_source is not None and len(self._external) < MAX_EXTERNAL:
            source = self._external_source(module)
            if source is not None:
                found = _outline(module, *source)
        self._external[module] = found
        return found

    def exports(self, module: str) -> tuple[str, ...] | None:
        """The module's ``__all__``, evaluated statically across modules (another
        module's ``__all__`` it takes included); None if it has none or it cannot be
        known (:meth:`public_names` says why)."""
        return self._linker.all_of(module).names

    def public_names(self, module: str) -> Names:
        """The names the module exports: its ``__all__`` when it has one, otherwise
        the names ``from module import *`` gives (every name it binds at its top level
        that does not start with ``_``); ``names`` None, and ``why``, when that cannot
        be known statically."""
        return self._linker.public_names(module)

    def star_imports(self, module: str) -> tuple[StarImport, ...]:
        """The module's star imports, each with the names it binds (None if unknown)."""
        if module not in self.modules:
            return ()
        self.modules[module]  # linked when first given out
        return self._stars.get(module, ())

    def unknown_stars(
        self, module: str
    ) -> tuple[tuple[StarImport, ...], frozenset[tuple[str, int]]]:
        """The star imports of ``module`` whose names cannot be known, and the uses
        (name, line: in a base, a decorator, a call) they may bind: those of names the
        module neither binds itself nor imports from a known star import."""
        stars = tuple(star for star in self.star_imports(module) if star.names is None)
        if not stars:
            return (), frozenset()
        return stars, frozenset(self.modules[module].free_names)

    def classes(self, modules: Iterable[str] | None = None) -> Iterator[ClassInfo]:
        """Every class (of these modules only, if given), sorted by (module, line, name)."""
        for code in self._codes(modules):
            yield from code.classes

    def functions(
        self, *, methods: bool = True, modules: Iterable[str] | None = None
    ) -> Iterator[FunctionInfo]:
        """Every top-level function (and method, unless ``methods=False``) (of these
        modules only, if given), sorted by (module, line, name)."""
        for code in self._codes(modules):
            if not methods:
                yield from code.functions
                continue
            items = list(code.functions)
            for cls in code.classes:
                items.extend(cls.methods)
            yield from sorted(items, key=lambda f: (f.line, f.name))

    def defines_classes(self, module: str) -> bool:
        """False when the module certainly defines no class in its body (no line of its
        text starts with ``class``), known without parsing it."""
        return self._source is None or self._source.defines_classes(module)

    def source_lines(self, module: str) -> list[str]:
        """The lines of the module's source ([] when it is not known)."""
        lines = self._lines.get(module)
        if lines is None:
            text = self._text(module) if self._text is not None else None
            # Lines as Python numbers them (str.splitlines also breaks at a form feed).
            lines = _LINE_BREAK.split(text) if text else []
            self._lines[module] = lines
        return lines

    def line_text(self, module: str, line: int) -> str:
        """Line ``line`` (from 1) of the module's source, stripped, as a violation
        quotes it (as import lines are quoted); "" when the source is not known."""
        lines = self.source_lines(module)
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

    # Import statements -------------------------------------------------------------

    def names_imported(
        self, importer: str, module: str, line: int, text: str, *, is_package: bool
    ) -> tuple[ImportedName, ...]:
        """The names ``importer`` imports from ``module`` by the import statement that
        starts at ``line``, whose first line says ``text`` (what grimp reads of each
        import): only that statement is parsed, with the lines that follow it when it
        goes on over several; the whole module when even that cannot be read alone."""
        package = importer if is_package else importer.rpartition(".")[0]
        found = statement_imports(text, package, line) if text.strip() else None
        if not found:  # no line given, or it holds no import: the source says
            lines = self.source_lines(importer)
            found = statement_imports(lines[line - 1 :], package, line) if lines else None
        if not found:  # the lines cannot be read alone (or say no import): the module
            code = self.modules.get(importer)
            found = tuple(i for i in code.imports if i.line == line) if code else ()
        return tuple(i for i in found if i.module == module and i.name not in (None, "*"))
