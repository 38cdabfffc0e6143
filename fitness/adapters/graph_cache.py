"""The package files of a run, and the assembled import graph cached between runs.

A warm run should cost little more than listing the package files. So the
source files of the root packages are listed once (one ``os.scandir`` walk that
follows grimp's rules for what is a module), and that listing serves three
purposes: grimp is handed it instead of walking the tree again, each module's
file is known for messages, and ``(path, mtime, size)`` of every file, with the
graph settings and the grimp and fitness versions, make the cache key.

When the key matches, the graph is rebuilt straight from the cached list of
imports, without grimp reading a single source file. When it does not, grimp
builds the graph and reuses the cached imports of every file that is unchanged,
so editing one file rescans one file.

The cache is one JSON file per configuration (never pickle: a cache file must
not be able to run code), written atomically (temporary file, then
``os.replace``), so concurrent runs (pytest-xdist workers) never see a torn
file; the last writer wins. It is sealed with the user's key and read only up
to a bound set by the size of the package files (:mod:`fitness.adapters.cache_store`).
A cache file that is missing, corrupt, stale, forged or from another version is
ignored and rebuilt; one that cannot be written (a read-only directory) is skipped.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import grimp
from grimp.application.config import settings as grimp_settings
from grimp.application.ports.caching import Cache as GrimpCachePort
from grimp.application.ports.caching import CacheMiss
from grimp.application.ports.filesystem import AbstractFileSystem
from grimp.application.ports.modulefinder import AbstractModuleFinder, FoundPackage, ModuleFile
from grimp.domain.valueobjects import DirectImport, Module

try:  # grimp's own scanning step (build_graph without the assembly); see build_with_grimp
    from grimp.application.scanning import scan_imports as _scan_imports
except ImportError:  # pragma: no cover - another grimp
    _scan_imports = None  # type: ignore[assignment]

from fitness._version import __version__ as FITNESS_VERSION
from fitness.adapters.cache_store import CacheStore, size_limit, store_at
from fitness.adapters.source_scan import SourceScan
from fitness.domain.config import GraphSettings, format_size
from fitness.domain.rendering import quote_source
from fitness.domain.source_facts import (
    CONTEXT_NOTES,
    DynamicImport,
    ImportContext,
    Suppression,
)

#: Bump when the layout of the cache file changes, or what it holds may be wrong (3: the
#: imports of unchanged files were reused after modules they import came or went; 4:
#: sealed with the user's key, see fitness.adapters.cache_store).
CACHE_FORMAT = 4
#: Whether this grimp records lazy imports (``DirectImport.is_lazy``).
_HAS_LAZY = "is_lazy" in getattr(DirectImport, "__dataclass_fields__", {})

#: One import as the cache keeps it: imported module, line, line contents, lazy.
ImportRow = tuple[str, int | None, str, bool]


# --------------------------------------------------------------------------
# The package files
# --------------------------------------------------------------------------


class SourceFile(NamedTuple):
    """One module's source file, with what tells whether it changed."""

    module: str
    path: str
    mtime_ns: int
    size: int


class LeftOut(NamedTuple):
    """Something named like a module that is not read, and why: a blind spot."""

    module: str
    #: As listed: a symbolic link's own path, never where it points.
    path: str
    reason: str


class PackageFiles(NamedTuple):
    """The modules of one package directory, found as grimp finds them."""

    name: str
    directory: str
    files: tuple[SourceFile, ...]
    namespace_packages: frozenset[str] = frozenset()
    #: What is named like a module but is not read (a link out of the project...).
    left_out: tuple[LeftOut, ...] = ()


class RefusedFile(Exception):
    """A source file that is not read at all (too large, unreadable, null bytes...):
    the run stops with one line naming it (:meth:`message`)."""

    def __init__(
        self, path: str, reason: str, *, verb: str = "read", line: int | None = None
    ) -> None:
        super().__init__(f"cannot {verb} {path}: {reason}")
        self.path = path
        self.reason = reason
        self.verb = verb
        self.line = line

    def message(self, shown: str) -> str:
        """``cannot read <shown>: <reason>`` (``shown``: the file as the project shows it)."""
        where = f"{shown}, line {self.line}" if self.line else shown
        return f"cannot {self.verb} {where}: {self.reason}"


#: Why something named like a module is not read, by its kind (``stat.S_IFMT``).
_NOT_FILES = {
    stat.S_IFDIR: "a directory, not a file",
    stat.S_IFIFO: "a named pipe, not a file",
    stat.S_IFSOCK: "a socket, not a file",
    stat.S_IFCHR: "a device, not a file",
    stat.S_IFBLK: "a device, not a file",
}
#: Why a symbolic link is not followed.
OUTSIDE_FILE = "a symbolic link to a file outside the project"
OUTSIDE_DIRECTORY = "a symbolic link to a directory outside the project"
HIDDEN_FILE = "a symbolic link into a hidden file or directory"
NOT_SOURCE = "a symbolic link to a file that is not Python source (.py)"


def _not_a_file(path: str) -> str:
    """Why ``path``, named like a module, is not a file to read."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if os.path.islink(path):
            return "a broken symbolic link"
        return f"cannot be read ({error.strerror or error})"
    return _NOT_FILES.get(stat.S_IFMT(mode), "not a regular file")


def _too_large(path: str, size: int, limit: int) -> RefusedFile:
    return RefusedFile(
        path,
        f"{size:,} bytes, more than max_file_size ({format_size(limit)}); raise "
        "max_file_size in [tool.fitness] to analyse it",
    )


def _is_module_file(name: str) -> bool:
    """Whether grimp takes a file so named for a module (``__init__.py`` included)."""
    return name.endswith(".py") and not name.startswith(".") and name.count(".") == 1


def scan_package(
    name: str,
    directory: str,
    *,
    stat: bool = True,
    inside: Iterable[str] | None = None,
    max_file_size: int | None = None,
) -> PackageFiles:
    """List the modules of package ``name`` in ``directory`` by grimp's rules.

    Directories whose names are not identifiers are skipped; inside a package
    (a directory with ``__init__.py``) a directory without ``__init__.py`` is
    not descended into; hidden files and names with extra dots are not modules;
    directories without ``__init__.py`` above the first package are namespace
    packages if they hold a module. Symbolic links are followed, each real
    directory once, and real directories first (a symlink loop ends the descent
    instead of looping, and a link never shadows the directory it points to).

    This listing is the one gate to the analysed files: nothing reads a file it
    does not list. A symbolic link to a file or directory outside the directories
    ``inside`` (the project's and the root packages' real directories; by default
    ``directory``'s) is not followed: it is left out (:attr:`PackageFiles.left_out`),
    and so is anything named like a module that is not a regular file (a named
    pipe, a broken link, a directory). A file larger than ``max_file_size`` bytes
    (told by its size in the listing, before anything reads it) is refused: a
    :class:`RefusedFile` names it (the first in module order).

    With ``stat`` false and no ``max_file_size`` the files' times and sizes (the
    cache's key) are not read and are 0.
    """
    files: list[SourceFile] = []
    left_out: list[LeftOut] = []
    too_large: list[tuple[str, str, int]] = []  # (module, path, size)
    unreadable: list[tuple[str, str]] = []  # package directories: (path, why)
    namespace_candidates: list[tuple[str, tuple[str, ...]]] = []
    unread_packages: set[str] = set()
    seen: set[tuple[int, int]] = set()
    roots = (directory,) if inside is None else tuple(inside)
    bounds = [os.path.join(os.path.realpath(root), "") for root in roots]  # ending in /
    stat_files = stat or max_file_size is not None

    def refused_link(path: str, module_file: bool) -> str | None:
        """Why the link ``path`` is not followed, or None: it leads out of the project, into
        a hidden file or directory (``.git/config``, ``.env``: the runner's, perhaps, and
        never a module), or, for a module, to a file that is not Python source."""
        real = os.path.realpath(path)
        bound = next((b for b in bounds if real.startswith(b) or real + os.sep == b), None)
        if bound is None:
            return OUTSIDE_FILE if module_file else OUTSIDE_DIRECTORY
        if any(part.startswith(".") for part in real[len(bound) :].split(os.sep)):
            return HIDDEN_FILE
        if module_file and not real.endswith(".py"):
            return NOT_SOURCE
        return None

    def walk(
        path: str, parts: tuple[str, ...], in_package: bool
    ) -> list[tuple[str, tuple[str, ...], bool]]:
        """List one directory; return its real subdirectories to walk, in order."""
        package = False
        if in_package:
            try:
                package = _has_init(path)
            except OSError as error:  # (no permission): whether it is a package is unknown
                unreadable.append((path, error.strerror or str(error)))
            if not package:
                return []  # not a subpackage (templates, static, locale...): no need to list it
        try:
            info = os.stat(path)
        except OSError:
            return []
        if (info.st_dev, info.st_ino) in seen:
            return []
        seen.add((info.st_dev, info.st_ino))
        try:
            with os.scandir(path) as entries:
                listing = list(entries)
        except OSError as error:
            if package:  # a package whose modules cannot be listed
                unreadable.append((path, error.strerror or str(error)))
            return []
        subdirs: list[os.DirEntry[str]] = []
        modules: list[os.DirEntry[str]] = []
        away: list[LeftOut] = []  # left out here (kept if this directory is listed)
        linked_out: list[tuple[os.DirEntry[str], str]] = []  # directories not followed, why
        has_init = False
        for entry in listing:
            named = _is_module_file(entry.name)
            refusal = None
            if (named or entry.name.isidentifier()) and entry.is_symlink():
                try:
                    is_dir = entry.is_dir()  # (the target's type: nothing is read)
                except OSError:
                    is_dir = False
                refusal = refused_link(entry.path, named and not is_dir)
            if refusal is not None:
                # Not followed: whatever it points to is not the project's to read.
                if is_dir:
                    linked_out.append((entry, refusal))
                elif named:
                    away.append(LeftOut(_module(parts, entry.name), entry.path, refusal))
                    if entry.name == "__init__.py":  # the package exists, unread
                        has_init = True
                        unread_packages.add(".".join(parts))
                continue
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir and entry.name.isidentifier():
                subdirs.append(entry)
            elif not is_file:
                if named:  # a named pipe (grimp would panic), a broken link, a directory
                    away.append(
                        LeftOut(_module(parts, entry.name), entry.path, _not_a_file(entry.path))
                    )
            elif entry.name == "__init__.py":
                has_init = True
                modules.append(entry)
            elif named:
                modules.append(entry)
        if in_package and not has_init:
            return []
        if not in_package and not has_init:
            namespace_candidates.append((path, parts))
        for entry, why in linked_out:
            # A subpackage (or, above the first package, a namespace portion) not read.
            if not (in_package or has_init) or os.path.isfile(
                os.path.join(entry.path, "__init__.py")
            ):
                away.append(LeftOut(".".join((*parts, entry.name)), entry.path, why))
        left_out.extend(away)
        for entry in modules:
            mtime_ns = size = 0
            if stat_files:
                try:
                    file_info = entry.stat()
                except OSError:
                    continue
                mtime_ns, size = file_info.st_mtime_ns, file_info.st_size
            module = _module(parts, entry.name)
            if max_file_size is not None and size > max_file_size:
                too_large.append((module, entry.path, size))
            files.append(SourceFile(module, entry.path, mtime_ns, size))
        real = []
        for entry in sorted(subdirs, key=lambda e: e.name):
            if entry.is_symlink():  # after every real directory, so that none is shadowed
                linked.append((entry.path, (*parts, entry.name), in_package or has_init))
            else:
                real.append((entry.path, (*parts, entry.name), in_package or has_init))
        return real

    def walk_all(start: tuple[str, tuple[str, ...], bool]) -> None:
        # Depth first in name order, with a stack of our own: packages nested a
        # thousand deep are listed like any others (no RecursionError).
        stack = [start]
        while stack:
            stack.extend(reversed(walk(*stack.pop())))

    linked: list[tuple[str, tuple[str, ...], bool]] = []
    walk_all((directory, (name,), False))
    while linked:
        walk_all(linked.pop(0))
    if unreadable:
        path, reason = min(unreadable)
        raise RefusedFile(path, reason)
    if too_large and max_file_size is not None:
        _, path, size = min(too_large)
        raise _too_large(path, size, max_file_size)
    namespaces = frozenset(
        ".".join(parts)
        for path, parts in namespace_candidates
        if any(f.path.startswith(path + os.sep) for f in files)
    )
    files.sort(key=lambda f: f.module)
    return PackageFiles(
        name,
        directory,
        tuple(files),
        namespaces | unread_packages,
        tuple(sorted(left_out)),
    )


def _has_init(directory: str) -> bool:
    """Whether ``directory`` holds an ``__init__.py`` file (an ``OSError`` if it cannot
    be told: no permission)."""
    try:
        return stat.S_ISREG(os.stat(os.path.join(directory, "__init__.py")).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False


def _module(parts: tuple[str, ...], file_name: str) -> str:
    """The module of file ``file_name`` in the package ``parts``."""
    stem = file_name[:-3] if file_name.endswith(".py") else file_name
    return ".".join(parts if stem == "__init__" else (*parts, stem))


class _ListedModuleFinder(AbstractModuleFinder):
    """grimp's module-finder port, answered from the listing we already made."""

    def __init__(self, packages: Iterable[PackageFiles]) -> None:
        self._by_directory = {(p.name, p.directory): p for p in packages}

    def find_package(
        self, package_name: str, package_directory: str, file_system: AbstractFileSystem
    ) -> FoundPackage:
        package = self._by_directory[(package_name, package_directory)]
        return FoundPackage(
            name=package_name,
            directory=package_directory,
            module_files=frozenset(
                ModuleFile(module=Module(f.module), mtime=f.mtime_ns / 1e9) for f in package.files
            ),
            namespace_packages=package.namespace_packages,
        )


# --------------------------------------------------------------------------
# The cache
# --------------------------------------------------------------------------


@dataclass
class CachedGraph:
    """What the cache file holds: enough to rebuild the graph without grimp scanning."""

    key: str
    #: module -> [path, mtime_ns, size] of its file when its imports were read
    files: dict[str, list[Any]]
    #: every module of the graph, with whether it is squashed (an external package)
    modules: list[tuple[str, bool]]
    #: importer -> its imports
    imports: dict[str, list[ImportRow]]
    #: what else was read from the same files (JSON data), e.g. ``"sources"``
    extras: dict[str, Any] = field(default_factory=dict)

    def to_graph_if(self, key: str) -> grimp.ImportGraph | None:
        """The cached graph if it was cached under ``key``; ``None`` if stale or unusable."""
        if key != self.key:
            return None
        try:
            return self.to_graph()
        except Exception:  # A well-formed but wrong cache file must never break a run.
            return None

    def to_graph(self) -> grimp.ImportGraph:
        graph = grimp.ImportGraph()
        # Straight into grimp's Rust graph, past ``ImportGraph``'s Python methods (which
        # only forward the arguments and forget the cached module set): a third of the
        # time of a warm build. Without ``_rustgraph`` (another grimp), the public methods.
        rust = getattr(graph, "_rustgraph", None)
        add_module = rust.add_module if rust is not None else graph.add_module
        add_import = rust.add_import if rust is not None else graph.add_import
        for name, squashed in self.modules:
            add_module(name, squashed)
        for importer, rows in self.imports.items():
            for imported, line_number, line_contents, lazy in rows:
                add_import(
                    importer=importer,
                    imported=imported,
                    line_number=line_number,
                    line_contents=line_contents,
                    is_lazy=True if lazy else None,
                )
        return graph

    def reusable_imports(self, files: Iterable[SourceFile]) -> dict[str, list[ImportRow]]:
        """The cached imports of the files that have not changed since they were read,
        and whose imports still resolve as they did.

        grimp resolves an import against the modules that exist (``from pkg import b``
        is ``pkg.b`` if there is such a module, else the name ``b`` of ``pkg``; ``import
        pkg.b`` of a module that does not exist is left out), so the cached imports of
        an unchanged file go stale when modules come or go. A file is read again if
        one of its cached imports is (inside) a module that is gone, or if its text
        has the last name of a module that is new (``from . import b``)."""
        files = list(files)
        added = {f.module for f in files} - self.files.keys()
        removed = self.files.keys() - {f.module for f in files}
        new_names = _words_of(m.rpartition(".")[2] for m in added)
        reusable = {}
        for file in files:
            known = self.files.get(file.module)
            if known == [file.path, file.mtime_ns, file.size] and file.module in self.imports:
                try:
                    rows = [_import_row(row) for row in self.imports[file.module]]
                except (TypeError, ValueError):
                    continue  # a damaged entry: read the file again
                if removed and any(_within(row[0], removed) for row in rows):
                    continue
                if new_names is not None and _names_any(file.path, new_names):
                    continue
                reusable[file.module] = rows
        return reusable


def _words_of(names: Iterable[str]) -> re.Pattern[bytes] | None:
    """A pattern matching any of ``names`` as a whole word; ``None`` for no names."""
    unique = sorted(set(names))
    if not unique:
        return None
    return re.compile(rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in unique) + rb")\b")


def _within(module: str, modules: set[str]) -> bool:
    """Whether ``module`` is one of ``modules`` or inside one of them."""
    while module:
        if module in modules:
            return True
        module = module.rpartition(".")[0]
    return False


def _names_any(path: str, pattern: re.Pattern[bytes]) -> bool:
    """Whether the file at ``path`` has a word ``pattern`` matches (``True`` if it
    cannot be read: then it is read again, and its error reported as usual)."""
    try:
        with open(path, "rb") as handle:
            return pattern.search(handle.read()) is not None
    except OSError:
        return True


def cache_key(settings: GraphSettings, packages: Iterable[PackageFiles]) -> str:
    """Changes when any package file is added, removed or changed, or a setting or version."""
    digest = hashlib.sha256()
    head = (
        CACHE_FORMAT,
        FITNESS_VERSION,
        grimp.__version__ if hasattr(grimp, "__version__") else "",
        sys.version_info[:2],
        settings.root_packages,
        settings.include_external_packages,
        settings.exclude_type_checking_imports,
    )
    digest.update(repr(head).encode())
    for package in sorted(packages, key=lambda p: (p.name, p.directory)):
        digest.update(f"\0{package.name}\0{package.directory}\0".encode())
        digest.update(repr(sorted(package.namespace_packages)).encode())
        for f in package.files:
            digest.update(f"{f.path}\0{f.mtime_ns}\0{f.size}\n".encode())
    return digest.hexdigest()


def _typed(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}")
    return value


def _file_row(row: Any) -> list[Any]:
    path, mtime_ns, size = row
    return [_typed(path, str), _typed(mtime_ns, int), _typed(size, int)]


def _files(data: Any) -> dict[str, list[Any]]:
    """``{module: _file_row(row)}``, checked in one loop (tens of thousands of rows)."""
    files = {}
    for module, row in data.items():
        if (
            type(module) is not str
            or type(row) is not list
            or len(row) != 3
            or type(row[0]) is not str
            or type(row[1]) is not int
            or type(row[2]) is not int
        ):
            _typed(module, str)
            _file_row(row)  # raises the error it always raised
            raise TypeError("bad file row")
        files[module] = row
    return files


def _modules(data: Any) -> list[tuple[str, bool]]:
    """``[(name, squashed)]``, checked in one loop."""
    modules = []
    for item in data:
        if type(item) is list and len(item) == 2:
            name, squashed = item
            if type(name) is str and type(squashed) is bool:
                modules.append((name, squashed))
                continue
        name, squashed = item
        modules.append((_typed(name, str), _typed(squashed, bool)))
    return modules


def _import_row(row: Any) -> ImportRow:
    imported, line_number, line_contents, lazy = row
    return (
        _typed(imported, str),
        _typed(line_number, int),
        _typed(line_contents, str),
        _typed(lazy, bool),
    )


class GraphCache:
    """One configuration's cached graph: a JSON entry of the cache (``graph-<hash>.json``),
    sealed by the :class:`~fitness.adapters.cache_store.CacheStore`."""

    def __init__(self, cache: CacheStore | Path, settings: GraphSettings) -> None:
        #: The run's cache; given a directory, one there with this user's key (if any).
        self.store = cache if isinstance(cache, CacheStore) else store_at(cache)
        self.directory = cache.root if isinstance(cache, CacheStore) else cache
        name = hashlib.sha256(
            repr(
                (
                    settings.root_packages,
                    settings.include_external_packages,
                    settings.exclude_type_checking_imports,
                )
            ).encode()
        ).hexdigest()[:16]
        self.name = f"graph-{name}.json"

    @property
    def path(self) -> Path:
        return self.directory / self.name

    def load(self, limit: int) -> CachedGraph | None:
        """The cached graph, or ``None`` if none is usable (missing, larger than ``limit``
        bytes, not sealed with this user's key, corrupt, of another format)."""
        raw = self.store.read(self.name, limit=limit) if self.store is not None else None
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
                return None
            cached = CachedGraph(
                key=_typed(data["key"], str),
                files=_files(data["files"]),
                modules=_modules(data["modules"]),
                # The import rows are checked where they are used (to_graph fails
                # as a whole, reusable_imports row by row): checking 100k rows here
                # would cost as much as the rest of a warm run.
                imports=_typed(data["imports"], dict),
                extras=_typed(data.get("extras", {}), dict),
            )
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None
        return cached

    def save(self, cached: CachedGraph) -> bool:
        """Write atomically; ``False`` (and nothing damaged) if the directory is not writable."""
        data = {
            "format": CACHE_FORMAT,
            "key": cached.key,
            "files": cached.files,
            "modules": cached.modules,
            "imports": cached.imports,
            "extras": cached.extras,
        }
        if self.store is None:
            return False
        # dumps, not dump: json.dump streams through the pure-Python encoder.
        return self.store.write(self.name, json.dumps(data, separators=(",", ":")).encode())


def cache_limit(packages: Iterable[PackageFiles]) -> int:
    """The largest graph cache worth reading for these files (it holds less than them)."""
    files = [f for p in packages for f in p.files]
    return size_limit(sum(f.size for f in files), len(files), factor=4)


# --------------------------------------------------------------------------
# Building through grimp, with the listing and the cached imports
# --------------------------------------------------------------------------


class _ImportsSink:
    """Receives every module's imports from grimp (through its cache port)."""

    def __init__(self, reusable: Mapping[str, list[ImportRow]]) -> None:
        self.reusable = reusable
        self.imports: dict[str, list[ImportRow]] | None = None

    def read(self, module_file: ModuleFile) -> set[DirectImport]:
        rows = self.reusable.get(module_file.module.name)
        if rows is None:
            raise CacheMiss
        importer = module_file.module
        result = set()
        for imported, line_number, line_contents, lazy in rows:
            extra = {"is_lazy": True} if lazy else {}
            result.add(
                DirectImport(
                    importer=importer,
                    imported=Module(imported),
                    line_number=line_number,  # type: ignore[arg-type]
                    line_contents=line_contents,
                    **extra,
                )
            )
        return result

    def write(self, imports_by_module: Mapping[Module, set[DirectImport]]) -> None:
        self.imports = {
            module.name: sorted(
                (
                    d.imported.name,
                    d.line_number,
                    d.line_contents,
                    bool(getattr(d, "is_lazy", False)),
                )
                for d in imports
            )
            for module, imports in imports_by_module.items()
        }


def _cache_port(sink: _ImportsSink) -> type[GrimpCachePort]:
    class _SinkCache(GrimpCachePort):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            """Nothing to set up: the sink holds the state."""

        @classmethod
        def setup(cls, *args: Any, **kwargs: Any) -> GrimpCachePort:
            return cls()

        @classmethod
        def cache_dir_or_default(cls, cache_dir: str | None) -> str:
            return cache_dir or ""

        def read_imports(self, module_file: ModuleFile) -> set[DirectImport]:
            return sink.read(module_file)

        def write(self, imports_by_module: dict[Module, set[DirectImport]]) -> None:
            sink.write(imports_by_module)

    return _SinkCache


@contextlib.contextmanager
def grimp_configured(**values: Any) -> Iterator[None]:
    """grimp's settings (``PACKAGE_FINDER``, ``MODULE_FINDER``, ...) set to ``values``
    meanwhile, then restored: the one place fitness swaps them."""
    previous = {name: getattr(grimp_settings, name) for name in values}
    grimp_settings.configure(**values)
    try:
        yield
    finally:
        grimp_settings.configure(**previous)


#: grimp's Rust parser overflows its thread's stack (a segmentation fault: nothing
#: can catch it) on a chain of some 40,000 binary operators, attribute accesses,
#: calls or subscripts (``x = 1+1+1...``); it refuses deep prefix and bracket
#: nesting itself (after gigabytes of memory for 100,000 braces). Each link of such
#: a chain has an operator or bracket byte, so a file with fewer of them than this
#: is safe (and most files are smaller than it).
SAFE_OPERATORS = 20_000
#: A file larger than this (rare: generated code) is parsed with Python's parser
#: whatever it holds: grimp takes gigabytes on some long valid or invalid inputs
#: without operators (100,000 ``elif`` branches, 100,000 ``await``), which Python
#: refuses (a ``RecursionError``) and so could not import either.
LARGE_FILE = 512 * 1024
_NOT_OPERATORS = bytes(range(256)).translate(None, b"+-*/%@&|^.([{<>")
#: Words whose long runs nest grimp's parse without an operator byte (``elif`` chains,
#: ``await await ...``, ``not not ...``, ``lambda: lambda: ...``): in a large file,
#: more of one of them than SAFE_OPERATORS sends the file to Python's parser.
_NESTING_WORDS = (b"elif", b"await", b"not", b"lambda")
#: Python's own refusals of deep nesting (its tokenizer's limits): grimp's parser
#: takes gigabytes of memory on the same input before it gives up (100,000 braces).
_NESTING_ERRORS = ("too many nested parentheses", "too many levels of indentation")


def check_sources(paths: Iterable[str], *, max_file_size: int | None = None) -> None:
    """Refuse, before grimp reads it, a source file grimp would choke on: a
    :class:`RefusedFile` says which and why.

    Each file is read once here (at most ``max_file_size`` bytes: one that grew past it
    since it was listed is refused too): one that cannot be read, or is not a regular
    file any more (opened without blocking: a named pipe must not hang the run), is
    refused; so is a file with a null byte (Python cannot import it either: grimp's
    parser takes some 160 times its size on it, and quoted the whole line), and one
    whose import statements would make grimp keep more copies of their line than
    :data:`MAX_LINE_COPIES` allows (:func:`_line_copies`). Last, the nesting:
    :func:`check_nesting`."""
    for path in paths:
        data = read_source(path, max_file_size)
        null = data.find(b"\0")
        if null >= 0:  # quoted as grimp quoted it: the line, up to the null byte
            start = data.rfind(b"\n", 0, null) + 1
            line = data[start : null + 1].decode("utf-8", errors="replace")
            raise RefusedFile(
                path, quote_source(line), verb="parse", line=data.count(b"\n", 0, null) + 1
            )
        copies = _line_copies(data)
        if copies is not None:
            number, names, length = copies
            raise RefusedFile(
                path,
                f"{names:,} imported names share this first line of {length:,} characters "
                "(grimp keeps a copy of it with each of them); split the line or the import",
                verb="analyse",
                line=number,
            )
        check_nesting(path, data)


def read_source(path: str, limit: int | None = None) -> bytes:
    """The bytes of the source file at ``path``, at most ``limit`` of them; a
    :class:`RefusedFile` if it cannot be read, is not a regular file (a named pipe is
    opened without blocking) or is larger than ``limit``."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise RefusedFile(path, error.strerror or str(error)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile(path, _NOT_FILES.get(stat.S_IFMT(info.st_mode), "not a regular file"))
        # Without a file object (a third cheaper over a thousand small files); on until
        # the end, or one byte past the limit, if the file grew since fstat.
        wanted = info.st_size + 1 if limit is None else min(info.st_size, limit) + 1
        data = os.read(fd, wanted)
        if len(data) == wanted:
            chunks = [data]
            while limit is None or wanted <= limit:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
                wanted += len(chunk)
            data = b"".join(chunks)
    except OSError as error:
        raise RefusedFile(path, error.strerror or str(error)) from None
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise _too_large(path, max(len(data), info.st_size), limit)
    return data


#: How many bytes of copies of their lines the imports of one file may make grimp
#: keep, besides four times the file's size. grimp keeps, with each imported name, the
#: first line of its statement: ten thousand imports on one line of 120 KB took 1.2 GB,
#: forty thousand 18 GB; ten thousand names under a first line of 20 KB, 200 MB.
MAX_LINE_COPIES = 32 * 1024 * 1024
#: An import statement from its word ``import``: a parenthesised list of names (comments
#: skipped), or the rest of the logical line (continued by backslashes) up to a ``;``
#: or a comment. Each comma in it separates two names.
_IMPORT_STATEMENT = re.compile(
    rb"\bimport\b(?:[ \t]*\((?:[^)#]|#[^\n]*)*\)?|(?:[^;\n#\\]|\\[\s\S])*)"
)


def _line_copies(data: bytes) -> tuple[int, int, int] | None:
    """``None`` if grimp's copies of the first lines of the file's import statements stay
    within :data:`MAX_LINE_COPIES` and four times the file's size; else the line number,
    the names and the length of the first line that costs most.

    An estimate from above, cheap first: each name after the first of a statement
    follows a comma, each statement after the first on a line a semicolon, so the
    copies are at most the file's size plus its longest line times its commas and
    semicolons; only a file above the budget so is read statement by statement."""
    size = len(data)
    budget = MAX_LINE_COPIES + 4 * size
    if size * (size + 1) <= budget:  # (most files: fewer separators than bytes)
        return None
    separators = data.count(b",") + data.count(b";")
    if size * (separators + 1) <= budget:
        return None
    if size + max(map(len, data.split(b"\n"))) * separators <= budget or b"import" not in data:
        return None
    names_by_line: dict[int, int] = {}  # first line (its offset) -> names that copy it
    first = end = -1  # the first line of the last statement, the end of the line it is on
    for statement in _IMPORT_STATEMENT.finditer(data):
        if statement.start() > end:  # (several statements on one line: found once)
            start = data.rfind(b"\n", 0, statement.start()) + 1
            continued = start > 1 and data[start - 2 : start] == b"\\\n"
            if not (continued and start - 1 == end):  # (else: the last one's first line)
                # Back over the lines a backslash continues (each line once: those with
                # a statement are not gone back over again).
                first = start
                while first > 1 and data[first - 2 : first] == b"\\\n":
                    first = data.rfind(b"\n", 0, first - 1) + 1
            end = data.find(b"\n", statement.start())
            end = size if end < 0 else end
        names = 1 + statement.group().count(b",")
        names_by_line[first] = names_by_line.get(first, 0) + names
    length = {}
    for start in names_by_line:
        end = data.find(b"\n", start)
        length[start] = (size if end < 0 else end) - start
    if sum(names * length[start] for start, names in names_by_line.items()) <= budget:
        return None
    start = max(names_by_line, key=lambda start: names_by_line[start] * length[start])
    return data.count(b"\n", 0, start) + 1, names_by_line[start], length[start]


def check_nesting(path: str, data: bytes) -> None:
    """Refuse, before grimp sees it, a source file nested deeper than grimp's parser
    survives. A file with more operator bytes than :data:`SAFE_OPERATORS` (rare:
    generated code) is parsed with Python's own parser, which stops at a depth of a
    few thousand with a ``RecursionError``: if it can parse the file, so can grimp; if
    it cannot, neither can Python import it, and
    :class:`grimp.exceptions.SourceSyntaxError` says so. So is a file larger than
    :data:`LARGE_FILE`."""
    size = len(data)
    if size <= SAFE_OPERATORS:
        return
    if len(data.translate(None, _NOT_OPERATORS)) <= SAFE_OPERATORS and (
        size <= LARGE_FILE or all(data.count(w) <= SAFE_OPERATORS for w in _NESTING_WORDS)
    ):
        return
    # Many operators, as in large tables of numbers or generated formulas: deep only
    # if one expression chains that many (Python's parser, the slow check, confirms).
    if _longest_chain(data) <= SAFE_OPERATORS and all(
        data.count(w) <= SAFE_OPERATORS for w in _NESTING_WORDS
    ):
        return
    if not _parses_within_python_limits(data, path):
        raise grimp.exceptions.SourceSyntaxError(
            path, _densest_line(data), "too deeply nested (Python's parser gives up)"
        )


#: What the chain estimate reads: comments and one-line strings (skipped), brackets,
#: commas, and the runs of code between them (whose operator bytes count, at C speed:
#: a long formula is one run, not one token per operator).
_CHAIN_TOKENS = re.compile(
    rb"#[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|[([{]|[)\]}]|,|[^()\[\]{},\"'#]+"
)
#: Deeper bracket nesting than Python's tokenizer allows (200) is refused by the
#: slow check.
_MAX_BRACKETS = 200


def _longest_chain(data: bytes) -> int:
    """An upper estimate of the longest chain of operators, attribute accesses and calls
    in one expression. Statements (lines joined while brackets are open or a line ends
    with a backslash) with fewer operator bytes than SAFE_OPERATORS are safe as they
    are; the others are read token by token (:func:`_chain_in`)."""
    longest = current = depth = start = offset = 0
    for line in data.split(b"\n"):
        current += len(line.translate(None, _NOT_OPERATORS))
        depth += line.count(b"(") + line.count(b"[") + line.count(b"{")
        depth -= line.count(b")") + line.count(b"]") + line.count(b"}")
        offset += len(line) + 1
        if depth <= 0 and not line.rstrip().endswith(b"\\"):
            if current > SAFE_OPERATORS:
                current = _chain_in(data[start:offset])
            longest = max(longest, current)
            current = depth = 0
            start = offset
    if current > SAFE_OPERATORS:
        current = _chain_in(data[start:])
    return max(longest, current)


def _chain_in(statement: bytes) -> int:
    """The longest chain in one statement, estimated from above: operator bytes counted
    per bracket level, a count ending at a comma of its level (list items and arguments
    are siblings, not links of a chain); brackets nested deeper than Python allows count
    as a chain of that depth."""
    counts = [0]
    longest = 0
    for match in _CHAIN_TOKENS.finditer(statement):
        token = match.group()
        first = token[:1]
        if first in (b"#", b'"', b"'"):
            continue
        if first in (b"(", b"[", b"{"):
            counts[-1] += 1
            counts.append(0)
            if len(counts) > _MAX_BRACKETS:
                return SAFE_OPERATORS + len(counts)
        elif first in (b")", b"]", b"}"):
            if len(counts) > 1:
                inner = counts.pop()
                longest = max(longest, inner)
        elif first == b",":
            longest = max(longest, counts[-1])
            counts[-1] = 0
        else:
            counts[-1] += len(token.translate(None, _NOT_OPERATORS))
    return max(longest, *counts)


def _parses_within_python_limits(data: bytes, path: str) -> bool:
    import ast

    limit = sys.getrecursionlimit()
    # Python's parser allows three times the recursion limit: with the default limit
    # it gives up well below the depth that overflows grimp's stack. (Already deeper
    # than that: the limit stays.)
    with contextlib.suppress(RecursionError):
        sys.setrecursionlimit(min(limit, 1000))
    try:
        compile(data, path, "exec", ast.PyCF_ONLY_AST)
    except (RecursionError, MemoryError):
        return False
    except SyntaxError as error:
        # An ordinary syntax error: grimp reports it, with its line.
        return not any(reason in str(error.msg) for reason in _NESTING_ERRORS)
    except ValueError:  # a null byte: grimp reports it
        return True
    finally:
        sys.setrecursionlimit(limit)
    return True


def _densest_line(data: bytes) -> int | None:
    """The number of the line with the most operator bytes (where a deep chain is);
    ``None`` if no line has any (the depth is in the statements)."""
    lines = data.split(b"\n")
    counts = [len(line.translate(None, _NOT_OPERATORS)) for line in lines]
    densest = max(counts)
    return counts.index(densest) + 1 if densest else None


def build_with_grimp(
    settings: GraphSettings,
    packages: Iterable[PackageFiles],
    *,
    cached: CachedGraph | None = None,
    collect: bool = True,
) -> tuple[grimp.ImportGraph, dict[str, list[ImportRow]] | None]:
    """Build with grimp from the listing, reusing the cached imports of unchanged files.

    Returns the graph and, with ``collect``, every module's imports (for the
    cache; ``None`` if grimp did not hand them over).

    grimp's Rust scanner reads the files; the graph is then assembled straight
    into grimp's Rust graph. ``grimp.build_graph`` assembles it through a
    Python loop that checks each import against every package (a fifth of a
    cold build on SymPy); the graph is the same (tests compare them). If this
    grimp lacks the parts used (``scan_imports``, ``_rustgraph``), the public
    ``build_graph`` is used.
    """
    packages = list(packages)
    graph = grimp.ImportGraph()
    rust = getattr(graph, "_rustgraph", None)
    if _scan_imports is None or rust is None or not _HAS_LAZY:
        return _build_with_grimp_api(settings, packages, cached=cached, collect=collect)
    finder = _ListedModuleFinder(packages)
    found = {finder.find_package(p.name, p.directory, grimp_settings.FILE_SYSTEM) for p in packages}
    reusable = (
        cached.reusable_imports(f for p in packages for f in p.files) if cached and collect else {}
    )
    to_scan = [
        m for package in found for m in package.module_files if m.module.name not in reusable
    ]
    scanned_names = {m.module.name for m in to_scan}
    check_sources(
        (f.path for p in packages for f in p.files if f.module in scanned_names),
        max_file_size=settings.max_file_size,
    )
    roots = tuple(p.name for p in found)
    external: dict[str, bool] = {}

    def add_imported(imported: str) -> None:
        if imported not in external:
            squashed = not any(imported == r or imported.startswith(f"{r}.") for r in roots)
            external[imported] = squashed
            rust.add_module(imported, squashed)

    # Millions of short-lived objects and no cycles: the collector would only walk them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        scanned = (
            _scan_imports(
                to_scan,
                found_packages=found,
                include_external_packages=settings.include_external_packages,
                exclude_type_checking_imports=settings.exclude_type_checking_imports,
            )
            if to_scan
            else {}
        )
        for package in found:
            for namespace in package.namespace_packages:
                rust.add_module(namespace, False)
        for module_file, direct_imports in scanned.items():
            importer = module_file.module.name
            rust.add_module(importer, False)
            for d in direct_imports:
                imported = d.imported.name
                add_imported(imported)
                rust.add_import(
                    importer=importer,
                    imported=imported,
                    line_number=d.line_number,
                    line_contents=d.line_contents,
                    is_lazy=d.is_lazy,
                )
        for importer, rows in reusable.items():
            rust.add_module(importer, False)
            for imported, line_number, line_contents, lazy in rows:
                add_imported(imported)
                rust.add_import(
                    importer=importer,
                    imported=imported,
                    line_number=line_number,
                    line_contents=line_contents,
                    is_lazy=lazy,
                )
        if not collect:
            return graph, None
        imports = dict(reusable)
        for module_file, direct_imports in scanned.items():
            imports[module_file.module.name] = sorted(
                (d.imported.name, d.line_number, d.line_contents, bool(d.is_lazy))
                for d in direct_imports
            )
        return graph, imports
    finally:
        if collecting:
            gc.enable()


def _build_with_grimp_api(
    settings: GraphSettings,
    packages: list[PackageFiles],
    *,
    cached: CachedGraph | None = None,
    collect: bool = True,
) -> tuple[grimp.ImportGraph, dict[str, list[ImportRow]] | None]:
    """:func:`build_with_grimp` through ``grimp.build_graph`` and its ports only."""
    if not collect:
        check_sources(
            (f.path for p in packages for f in p.files),
            max_file_size=settings.max_file_size,
        )
        with grimp_configured(MODULE_FINDER=_ListedModuleFinder(packages)):
            graph = grimp.build_graph(
                *settings.root_packages,
                include_external_packages=settings.include_external_packages,
                exclude_type_checking_imports=settings.exclude_type_checking_imports,
                cache_dir=None,
            )
        return graph, None
    reusable = cached.reusable_imports(f for p in packages for f in p.files) if cached else {}
    check_sources(
        (f.path for p in packages for f in p.files if f.module not in reusable),
        max_file_size=settings.max_file_size,
    )
    sink = _ImportsSink(reusable)
    with grimp_configured(
        MODULE_FINDER=_ListedModuleFinder(packages), CACHE_CLASS=_cache_port(sink)
    ):
        graph = grimp.build_graph(
            *settings.root_packages,
            include_external_packages=settings.include_external_packages,
            exclude_type_checking_imports=settings.exclude_type_checking_imports,
            cache_dir="fitness",  # any string: grimp then uses the cache port above
        )
    return graph, sink.imports


def snapshot(
    key: str,
    graph: grimp.ImportGraph,
    packages: Iterable[PackageFiles],
    imports: dict[str, list[ImportRow]],
    sources: SourceScan | None = None,
) -> CachedGraph:
    """What to cache about a graph just built (and the source scan of the same files)."""
    return CachedGraph(
        key=key,
        files={f.module: [f.path, f.mtime_ns, f.size] for p in packages for f in p.files},
        modules=sorted((m, graph.is_module_squashed(m)) for m in graph.modules),
        imports=imports,
        extras={} if sources is None else {"sources": encode_sources(sources)},
    )


def encode_sources(sources: SourceScan) -> dict[str, Any]:
    return {
        "dynamic_imports": [d._asdict() for d in sources.dynamic_imports],
        "suppressions": [s._asdict() for s in sources.suppressions],
        "import_contexts": [list(c) for c in sources.import_contexts],
    }


def cached_sources(cached: CachedGraph | None) -> SourceScan | None:
    """The cached source scan (dynamic imports, suppressions), or ``None`` if unusable
    (then the sources are read again): every field is checked for its type."""
    data = cached.extras.get("sources") if cached is not None else None
    if not isinstance(data, dict):
        return None
    try:
        return SourceScan(
            dynamic_imports=tuple(_dynamic_import(d) for d in data["dynamic_imports"]),
            suppressions=tuple(_suppression(d) for d in data["suppressions"]),
            import_contexts=tuple(_import_context(c) for c in data["import_contexts"]),
        )
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


def _fields(data: Any, types: Mapping[str, type]) -> dict[str, Any]:
    if type(data) is not dict or data.keys() != types.keys():
        raise TypeError("expected an object with the fields " + ", ".join(types))
    return {name: _typed(data[name], kind) for name, kind in types.items()}


_DYNAMIC_IMPORT_FIELDS = {
    "module": str,
    "file": str,
    "line_number": int,
    "code": str,
    "target": str,
}
_SUPPRESSION_FIELDS = {"file": str, "line": int, "module": str, "rules": list, "reason": str}


def _dynamic_import(data: Any) -> DynamicImport:
    return DynamicImport(**_fields(data, _DYNAMIC_IMPORT_FIELDS))


def _import_context(data: Any) -> ImportContext:
    if type(data) is not list or len(data) != 3:
        raise TypeError("expected [module, line, context]")
    module, line, context = data
    if context not in CONTEXT_NOTES:
        raise ValueError(f"not a context: {context!r}")
    return ImportContext(_typed(module, str), _typed(line, int), context)


def _suppression(data: Any) -> Suppression:
    fields = _fields(data, _SUPPRESSION_FIELDS)
    fields["rules"] = tuple(_typed(rule, str) for rule in fields["rules"])
    return Suppression(**fields)
