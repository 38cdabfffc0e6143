"""The assembled import graph, cached between runs.

A warm run should cost little more than listing the package files: the listing
(:mod:`fitness.adapters.source_files`) gives ``(path, mtime, size)`` of every
file, which with the graph settings and the grimp and fitness versions make the
cache key. When the key matches, the graph is rebuilt straight from the cached
list of imports, without grimp reading a single source file. When it does not,
grimp builds the graph and reuses the cached imports of every file that is
unchanged, so editing one file rescans one file.

The cache is one JSON file per configuration (never pickle: a cache file must
not be able to run code), written atomically (temporary file, then
``os.replace``), so concurrent runs (pytest-xdist workers) never see a torn
file; the last writer wins. It is sealed with the user's key and read only up
to a bound set by the size of the package files (:mod:`fitness.adapters.cache_store`).
A cache file that is missing, corrupt, stale, forged or from another version is
ignored and rebuilt; one that cannot be written (a read-only directory) is skipped.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grimp

from fitness._version import __version__ as FITNESS_VERSION
from fitness.adapters.cache_store import CacheStore, size_limit, store_at
from fitness.adapters.grimp_internals import ImportRow, graph_of
from fitness.adapters.source_files import PackageFiles, SourceFile
from fitness.adapters.source_limits import check_sources as check_sources  # (tests patch it here)
from fitness.adapters.source_scan import SourceScan
from fitness.domain.config import GraphSettings
from fitness.domain.source_facts import DynamicImport, Suppression

#: Bump when the layout of the cache file changes, or what it holds may be wrong (3: the
#: imports of unchanged files were reused after modules they import came or went; 4:
#: sealed with the user's key, see fitness.adapters.cache_store).
CACHE_FORMAT = 4


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
        return graph_of(self.modules, self.imports)

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


def _suppression(data: Any) -> Suppression:
    fields = _fields(data, _SUPPRESSION_FIELDS)
    fields["rules"] = tuple(_typed(rule, str) for rule in fields["rules"])
    return Suppression(**fields)
