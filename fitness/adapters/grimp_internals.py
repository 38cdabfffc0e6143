"""Everything fitness uses of grimp beyond its public API, in this module only.

grimp's public API builds a graph with ``grimp.build_graph(package, ...)``: it finds
the package with ``importlib`` (which may import it), walks the directories, reads
and parses every file, and assembles the graph through a Python loop. fitness
needs less and more than that, so it reaches into grimp here:

- the package directories and the module files are handed over (the ports
  ``PACKAGE_FINDER`` and ``MODULE_FINDER`` of ``grimp.application.config.settings``):
  nothing is imported, and the listing (:mod:`fitness.adapters.source_files`) is the
  one gate to the analysed files;
- only the files that changed are parsed (``grimp.application.scanning.scan_imports``,
  grimp's scanning step without the assembly), the others' imports come from
  fitness's own cache;
- the graph is assembled straight into grimp's Rust graph (``ImportGraph._rustgraph``):
  ``build_graph``'s Python loop checks each import against every package (a fifth of
  a cold build on SymPy), and a warm run adds every cached import.

With a grimp that lacks one of these (:func:`fast_path_missing`), the public
``build_graph`` is used through the ports alone; the graph is the same, built
more slowly. ``tests/adapters/test_grimp_internals.py`` fails when the installed
grimp does not take the fast path, and ``.ci/run`` tests the newest grimp 3.x.
docs/architecture.md proposes the public API that would replace this module.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import grimp
from grimp.application.config import settings as grimp_settings
from grimp.application.ports.caching import Cache as GrimpCachePort
from grimp.application.ports.caching import CacheMiss
from grimp.application.ports.filesystem import AbstractFileSystem
from grimp.application.ports.modulefinder import AbstractModuleFinder, FoundPackage, ModuleFile
from grimp.application.ports.packagefinder import AbstractPackageFinder
from grimp.domain.valueobjects import DirectImport, Module

try:  # grimp's own scanning step (build_graph without the assembly)
    from grimp.application.scanning import scan_imports as _scan_imports
except ImportError:  # pragma: no cover - another grimp
    _scan_imports = None  # type: ignore[assignment]

from fitness.adapters.source_files import PackageFiles
from fitness.domain.config import GraphSettings

#: One import as fitness keeps it: imported module, line, line contents, lazy.
ImportRow = tuple[str, int | None, str, bool]


def fast_path_missing() -> list[str]:
    """What the installed grimp lacks of the internals the fast path uses (empty: none)."""
    missing = []
    if _scan_imports is None:
        missing.append("grimp.application.scanning.scan_imports")
    if getattr(grimp.ImportGraph(), "_rustgraph", None) is None:
        missing.append("ImportGraph._rustgraph")
    return missing


# --------------------------------------------------------------------------
# The ports: grimp is told where the packages are and which files they hold
# --------------------------------------------------------------------------


class _StaticPackageFinder(AbstractPackageFinder):
    """grimp's package-finder port, answered with the directories fitness found."""

    def __init__(self, locations: Mapping[str, Sequence[Path]]) -> None:
        self._locations = locations

    def determine_package_directories(
        self, package_name: str, file_system: AbstractFileSystem
    ) -> set[str]:
        return {str(p) for p in self._locations[package_name]}


class _ListedModuleFinder(AbstractModuleFinder):
    """grimp's module-finder port, answered from the listing fitness already made."""

    def __init__(self, packages: Iterable[PackageFiles], *, namespaces: bool) -> None:
        self._by_directory = {(p.name, p.directory): p for p in packages}
        self._namespaces = namespaces

    def find_package(
        self, package_name: str, package_directory: str, file_system: AbstractFileSystem
    ) -> FoundPackage:
        package = self._by_directory[(package_name, package_directory)]
        return _found_package(package, namespaces=self._namespaces)


def _found_package(package: PackageFiles, *, namespaces: bool) -> FoundPackage:
    """The package as grimp's scanner knows it: its modules, against which imports are
    resolved. With ``namespaces``, its namespace packages are among them (without a
    file, never read), so that ``from app import plugins`` is an import of the namespace
    package ``app.plugins``, as in Python; grimp (and import-linter) resolves it to
    ``app``, the name ``plugins`` of it."""
    modules = [ModuleFile(module=Module(f.module), mtime=f.mtime_ns / 1e9) for f in package.files]
    if namespaces:
        modules.extend(ModuleFile(module=Module(n), mtime=0.0) for n in package.namespace_packages)
    return FoundPackage(
        name=package.name,
        directory=package.directory,
        module_files=frozenset(modules),
        namespace_packages=package.namespace_packages,
    )


@contextlib.contextmanager
def _configured(**values: Any) -> Iterator[None]:
    """grimp's settings (``PACKAGE_FINDER``, ``MODULE_FINDER``, ...) set to ``values``
    meanwhile, then restored: the one place fitness swaps them."""
    previous = {name: getattr(grimp_settings, name) for name in values}
    grimp_settings.configure(**values)
    try:
        yield
    finally:
        grimp_settings.configure(**previous)


# --------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------


def build_graph(
    settings: GraphSettings,
    packages: Sequence[PackageFiles],
    locations: Mapping[str, Sequence[Path]],
    *,
    reusable: Mapping[str, list[ImportRow]],
    collect: bool = True,
) -> tuple[grimp.ImportGraph, dict[str, list[ImportRow]] | None]:
    """The graph of the listed ``packages``, reusing the ``reusable`` imports (by module:
    files unchanged since they were cached) and scanning the other files with grimp.

    Returns the graph and, with ``collect``, every module's imports (for the cache).
    grimp's Rust scanner reads and parses the files; the graph is then assembled
    straight into grimp's Rust graph. If this grimp lacks the parts used, the public
    ``build_graph`` is used (the tests compare both)."""
    with _configured(PACKAGE_FINDER=_StaticPackageFinder(locations)):
        if fast_path_missing():
            return _build_with_grimp_api(settings, packages, reusable=reusable, collect=collect)
        return _build_fast(settings, packages, reusable=reusable, collect=collect)


def _build_fast(
    settings: GraphSettings,
    packages: Sequence[PackageFiles],
    *,
    reusable: Mapping[str, list[ImportRow]],
    collect: bool,
) -> tuple[grimp.ImportGraph, dict[str, list[ImportRow]] | None]:
    assert _scan_imports is not None
    namespaces = not settings.as_import_linter
    found = {_found_package(p, namespaces=namespaces) for p in packages}
    to_scan = [
        ModuleFile(module=Module(f.module), mtime=f.mtime_ns / 1e9)
        for package in packages
        for f in package.files
        if f.module not in reusable
    ]
    roots = tuple(p.name for p in found)
    writer = GraphWriter(roots)
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
                writer.add_module(namespace)
        imports = dict(reusable) if collect else None
        for module_file, direct_imports in scanned.items():
            rows: list[ImportRow] = [
                (d.imported.name, d.line_number, d.line_contents, _is_lazy(d))
                for d in direct_imports
            ]
            writer.add_imports(module_file.module.name, rows)
            if imports is not None:
                imports[module_file.module.name] = sorted(rows)
        for importer, cached in reusable.items():
            writer.add_imports(importer, cached)
        return writer.graph, imports
    finally:
        if collecting:
            gc.enable()


class GraphWriter:
    """Adds modules and imports to a new grimp graph, straight into its Rust graph (past
    ``ImportGraph``'s Python methods, which only forward the arguments and forget the
    cached module set: a third of the time of a warm build). An imported module outside
    the ``roots`` is squashed (an external package), as ``build_graph`` does."""

    def __init__(self, roots: Sequence[str]) -> None:
        self.graph = grimp.ImportGraph()
        rust = getattr(self.graph, "_rustgraph", None)
        self._add_module = rust.add_module if rust is not None else self.graph.add_module
        self._add_import = rust.add_import if rust is not None else self.graph.add_import
        self._roots = tuple(roots)
        self._known: dict[str, bool] = {}

    def add_module(self, module: str, squashed: bool = False) -> None:
        self._add_module(module, squashed)

    def add_imports(self, importer: str, rows: Iterable[ImportRow]) -> None:
        """``importer`` and its imports (each ``(imported, line, contents, lazy)``)."""
        add_import = self._add_import
        known = self._known
        self._add_module(importer, False)
        for imported, line_number, line_contents, lazy in rows:
            if imported not in known:
                roots = self._roots
                squashed = not any(imported == r or imported.startswith(f"{r}.") for r in roots)
                known[imported] = squashed
                self._add_module(imported, squashed)
            if lazy:
                add_import(
                    importer=importer,
                    imported=imported,
                    line_number=line_number,
                    line_contents=line_contents,
                    is_lazy=True,
                )
            else:  # (without is_lazy: grimp before 3.17 has no such argument)
                add_import(
                    importer=importer,
                    imported=imported,
                    line_number=line_number,
                    line_contents=line_contents,
                )


def _is_lazy(direct_import: DirectImport) -> bool:
    """Whether grimp recorded the import as lazy (PEP 810; grimp 3.17 and later)."""
    return bool(getattr(direct_import, "is_lazy", False))


def graph_of(
    modules: Iterable[tuple[str, bool]], imports: Mapping[str, Iterable[ImportRow]]
) -> grimp.ImportGraph:
    """A grimp graph of these modules (``(name, squashed)``) and imports (by importer),
    as cached: nothing is read or parsed.

    An importer is added by its first import (a hundred thousand calls fewer on as many
    modules); the squashed modules are added first, as such."""
    graph = grimp.ImportGraph()
    rust = getattr(graph, "_rustgraph", None)
    add_module = rust.add_module if rust is not None else graph.add_module
    add_import = rust.add_import if rust is not None else graph.add_import
    for name, squashed in modules:
        if squashed or not imports.get(name):
            add_module(name, squashed)
    for importer, rows in imports.items():
        for imported, line_number, line_contents, lazy in rows:
            if lazy:
                add_import(
                    importer=importer,
                    imported=imported,
                    line_number=line_number,
                    line_contents=line_contents,
                    is_lazy=True,
                )
            else:
                add_import(
                    importer=importer,
                    imported=imported,
                    line_number=line_number,
                    line_contents=line_contents,
                )
    return graph


# --------------------------------------------------------------------------
# The public build_graph, through the ports only
# --------------------------------------------------------------------------


def _build_with_grimp_api(
    settings: GraphSettings,
    packages: Sequence[PackageFiles],
    *,
    reusable: Mapping[str, list[ImportRow]],
    collect: bool,
) -> tuple[grimp.ImportGraph, dict[str, list[ImportRow]] | None]:
    """:func:`build_graph` through ``grimp.build_graph`` and its ports: the cached
    imports are handed over, and the others received, through grimp's cache port."""
    namespaces = not settings.as_import_linter
    unread: dict[str, list[ImportRow]] = {}  # the namespace packages: no file to scan
    if namespaces:
        unread = {n: [] for p in packages for n in p.namespace_packages}
    sink = _ImportsSink({**unread, **reusable})
    finder = _ListedModuleFinder(packages, namespaces=namespaces)
    with _configured(MODULE_FINDER=finder, CACHE_CLASS=_cache_port(sink)):
        graph = grimp.build_graph(
            *settings.root_packages,
            include_external_packages=settings.include_external_packages,
            exclude_type_checking_imports=settings.exclude_type_checking_imports,
            cache_dir="fitness",  # any string: grimp then uses the cache port above
        )
    return graph, sink.imports if collect else None


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
                (d.imported.name, d.line_number, d.line_contents, _is_lazy(d)) for d in imports
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
