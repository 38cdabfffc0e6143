"""The assembled import graph, cached between runs.

A warm run should cost little more than listing the package files: the listing
(:mod:`fitness.adapters.source_files`) gives ``(path, mtime, size)`` of every
file, which with the graph settings and the grimp and fitness versions make the
cache key. When the key matches, the graph is rebuilt straight from the cached
list of imports, without a single source file being read. When it does not,
grimp builds the graph and reuses the cached imports of every file that is
unchanged, so editing one file reads one file. What else each file says (its
:class:`~fitness.domain.source_facts.FileFacts`: dynamic imports, suppressions,
``__main__`` blocks) is read from the same bytes and cached with its imports.

The cache is one JSON file per configuration (never pickle: a cache file must
not be able to run code), written atomically (temporary file, then
``os.replace``), so concurrent runs (pytest-xdist workers) never see a torn
file; the last writer wins. It is sealed with the user's key and read only up
to a bound set by the size of the package files (:mod:`fitness.adapters.cache_store`).
A cache file that is missing, corrupt, stale, forged or from another version is
ignored and rebuilt; one that cannot be written (a read-only directory) is skipped.
Its rows are checked where they are used: a warm run of 100,000 modules reads
700,000 of them, and checking each would cost as much as the rest of the run.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grimp

from fitness._version import __version__ as FITNESS_VERSION
from fitness.adapters.cache_store import CacheStore, size_limit, store_at
from fitness.adapters.grimp_internals import ImportRow, graph_of
from fitness.adapters.source_files import PackageFiles, SourceFile, listing_digest
from fitness.adapters.source_limits import check_sources as check_sources  # (tests patch it here)
from fitness.domain.config import GraphSettings
from fitness.domain.source_facts import DynamicImport, FileFacts, Suppression

#: Bump when the layout of the cache file changes, or what it holds may be wrong (3: the
#: imports of unchanged files were reused after modules they import came or went; 4:
#: sealed with the user's key, see fitness.adapters.cache_store; 5: each file's facts
#: with its imports, namespace packages inside packages, dynamic import targets; 6: the
#: same facts, once main's cache of where imports are made was merged into them).
CACHE_FORMAT = 6


@dataclass
class CachedGraph:
    """What the cache file holds: enough to rebuild the graph without reading a file."""

    key: str
    #: module -> [path, mtime_ns, size] of its file when its imports were read
    files: dict[str, Any]
    #: every module of the graph, with whether it is squashed (an external package)
    modules: list[Any]
    #: importer -> its imports (rows of :data:`ImportRow`)
    imports: dict[str, Any]
    #: module -> the facts of its file (JSON data: :func:`encode_facts`), for those with any
    facts: dict[str, Any] = field(default_factory=dict)

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

    def file_facts(
        self, shown: Mapping[str, str], modules: Collection[str] | None = None
    ) -> dict[str, FileFacts] | None:
        """The cached facts of ``modules`` (default: all), each file named as ``shown``
        says; ``None`` if one is damaged (then the files are read again)."""
        try:
            return {
                module: decode_facts(module, shown.get(module, module), data)
                for module, data in self.facts.items()
                if modules is None or module in modules
            }
        except (TypeError, ValueError, KeyError, AttributeError):
            return None

    def reusable_imports(
        self, files: Iterable[SourceFile], namespaces: Collection[str] = ()
    ) -> dict[str, list[ImportRow]]:
        """The cached imports of the files that have not changed since they were read,
        and whose imports still resolve as they did.

        grimp resolves an import against the modules that exist (``from pkg import b``
        is ``pkg.b`` if there is such a module, else the name ``b`` of ``pkg``; ``import
        pkg.b`` of a module that does not exist is left out), so the cached imports of
        an unchanged file go stale when modules (or ``namespaces``, the namespace
        packages) come or go. A file is read again if one of its cached imports is
        (inside) a module that is gone, or if its text has the last name of a module
        that is new (``from . import b``)."""
        files = list(files)
        try:
            cached_namespaces = {
                name for name, squashed in self.modules if not squashed and name not in self.files
            }
        except (TypeError, ValueError):
            return {}
        existing = {f.module for f in files} | set(namespaces)
        cached = self.files.keys() | cached_namespaces
        added = existing - cached
        removed = cached - existing
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


def _settings_of(settings: GraphSettings) -> tuple[Any, ...]:
    """What of the settings changes the graph (and so names its cache)."""
    return (
        settings.root_packages,
        settings.include_external_packages,
        settings.exclude_type_checking_imports,
        settings.as_import_linter,
    )


def cache_key(settings: GraphSettings, packages: Iterable[PackageFiles]) -> str:
    """Changes when any package file is added, removed or changed, or a setting or version."""
    digest = hashlib.sha256()
    head = (
        CACHE_FORMAT,
        FITNESS_VERSION,
        grimp.__version__ if hasattr(grimp, "__version__") else "",
        sys.version_info[:2],
        _settings_of(settings),
    )
    digest.update(repr(head).encode())
    digest.update(listing_digest(packages).encode())
    return digest.hexdigest()


def _typed(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}")
    return value


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
        named = _settings_of(settings)
        if not settings.as_import_linter:  # (the name the cache always had)
            named = named[:-1]
        name = hashlib.sha256(repr(named).encode()).hexdigest()[:16]
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
        collecting = gc.isenabled()
        gc.disable()  # millions of objects, no cycles: a collection would only walk them
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
                return None
            return CachedGraph(
                key=_typed(data["key"], str),
                files=_typed(data["files"], dict),
                modules=_typed(data["modules"], list),
                imports=_typed(data["imports"], dict),
                facts=_typed(data.get("facts", {}), dict),
            )
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None
        finally:
            if collecting:
                gc.enable()

    def save(self, cached: CachedGraph) -> bool:
        """Write atomically; ``False`` (and nothing damaged) if the directory is not writable."""
        data = {
            "format": CACHE_FORMAT,
            "key": cached.key,
            "files": cached.files,
            "modules": cached.modules,
            "imports": cached.imports,
            "facts": cached.facts,
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
    facts: Mapping[str, FileFacts],
) -> CachedGraph:
    """What to cache about a graph just built, and the facts of the same files."""
    return CachedGraph(
        key=key,
        # A racy file's time says nothing (RACY_NS): kept without it, it is read again.
        files={
            f.module: [f.path, None if f.module in p.racy else f.mtime_ns, f.size]
            for p in packages
            for f in p.files
        },
        modules=sorted((m, graph.is_module_squashed(m)) for m in graph.modules),
        imports=imports,
        facts={module: encode_facts(found) for module, found in sorted(facts.items())},
    )


def encode_facts(facts: FileFacts) -> dict[str, Any]:
    """One file's facts as JSON data (its module and file are where it is cached)."""
    data: dict[str, Any] = {}
    if facts.dynamic_imports:
        data["dynamic_imports"] = [[d.line_number, d.code, d.target] for d in facts.dynamic_imports]
    if facts.suppressions:
        data["suppressions"] = [[s.line, list(s.rules), s.reason] for s in facts.suppressions]
    if facts.main_blocks:
        data["main_blocks"] = [list(block) for block in facts.main_blocks]
    return data


def decode_facts(module: str, file: str, data: Any) -> FileFacts:
    """What :func:`encode_facts` wrote, every field checked for its type."""
    if type(data) is not dict or not data.keys() <= _FACT_KEYS:
        raise TypeError("expected an object of facts")
    dynamic = tuple(
        DynamicImport(module, file, _typed(line, int), _typed(code, str), _typed(target, str))
        for line, code, target in data.get("dynamic_imports", ())
    )
    suppressions = tuple(
        Suppression(
            file,
            _typed(line, int),
            module,
            tuple(_typed(rule, str) for rule in _typed(rules, list)),
            _typed(reason, str),
        )
        for line, rules, reason in data.get("suppressions", ())
    )
    blocks = tuple(
        (_typed(first, int), _typed(last, int)) for first, last in data.get("main_blocks", ())
    )
    return FileFacts(dynamic, suppressions, blocks)


_FACT_KEYS = {"dynamic_imports", "suppressions", "main_blocks"}
