"""Building the graph: :class:`GrimpGraphBuilder` drives its parts (docs/architecture.md).

The root packages are found statically (:mod:`fitness.adapters.package_dirs`), their
files listed (:mod:`fitness.adapters.source_files`, the one gate to the analysed
files), each file that changed read once for its limits and facts
(:mod:`fitness.adapters.source_limits`, :mod:`fitness.adapters.source_scan`), parsed
by grimp (:mod:`fitness.adapters.grimp_internals`), and the result cached
(:mod:`fitness.adapters.graph_cache`). What grimp does not see is added after: the
dynamic imports of a literal name (:mod:`fitness.adapters.dynamic_imports`). Nothing
of the analysed code is imported: the working copy is what gets analysed.
"""

from __future__ import annotations

import ast
import gc
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import grimp

from fitness.adapters.cache_store import CacheStore, store_at
from fitness.adapters.context_cache import ContextCache
from fitness.adapters.dynamic_imports import add_dynamic_imports
from fitness.adapters.files import declared_encoding
from fitness.adapters.graph_cache import GraphCache, cache_key, cache_limit, snapshot
from fitness.adapters.grimp_internals import build_graph
from fitness.adapters.main_blocks import drop_main_block_imports
from fitness.adapters.package_dirs import find_package_dirs as find_package_dirs
from fitness.adapters.package_dirs import search_paths
from fitness.adapters.source_files import (
    PackageFiles,
    RefusedFile,
    listing_digest,
    scan_package,
)
from fitness.adapters.source_limits import read_source
from fitness.adapters.source_scan import read_facts, read_import_contexts
from fitness.domain.config import GraphSettings
from fitness.domain.errors import ConfigError
from fitness.domain.graph import (
    DynamicImport,
    ProjectGraph,
    drop_import_lines,
    function_level_lines,
)
from fitness.domain.rendering import printable_line, quote_source
from fitness.domain.source_facts import FileFacts, UnreadFile


class GrimpGraphBuilder:
    """Builds the :class:`ProjectGraph` with grimp, cached whole between runs
    (see :mod:`fitness.adapters.graph_cache`).

    ``cache_dir`` is the run's cache (:class:`~fitness.adapters.cache_store.CacheStore`),
    or a directory to cache in with this user's key."""

    def __init__(
        self,
        project_dir: Path,
        *,
        cache_dir: CacheStore | Path | None = None,
        sys_path: Sequence[str] | None = None,
    ) -> None:
        self.project_dir = project_dir.resolve()
        self.cache_dir = cache_dir
        self._sys_path = sys_path
        #: The digest of the last build's listing (``source_files.listing_digest``).
        self.listing: str | None = None
        #: Where the last build's imports are made, as runs found it (saved when the run
        #: ends: :meth:`finish`).
        self.contexts: ContextCache | None = None

    def finish(self) -> None:
        """Keep what this run found out about where imports are made, for the next."""
        if self.contexts is not None:
            self.contexts.save()

    def locate(self, settings: GraphSettings) -> dict[str, list[Path]]:
        paths = search_paths(self.project_dir, self._sys_path)
        on_sys_path = self._sys_path is None or bool(self._sys_path)
        return {
            name: find_package_dirs(name, paths, sys_path=on_sys_path)
            for name in settings.root_packages
        }

    def build(self, settings: GraphSettings) -> ProjectGraph:
        """The graph of the root packages: a :class:`ConfigError` (one line naming the
        file) if a source file cannot be read or parsed, or is refused (too large)."""
        try:
            return self._build(settings)
        except RefusedFile as refused:
            raise ConfigError(refused.message(self._shown(refused.path))) from None

    def _build(self, settings: GraphSettings) -> ProjectGraph:
        locations = self.locate(settings)
        cache = self._prepare_cache()
        # Thousands of objects and no cycles: a collection would only walk them.
        collecting = gc.isenabled()
        gc.disable()
        try:
            packages = self._list(settings, locations, stat=cache is not None)
            self.listing = listing_digest(packages)
            module_files = self._module_files(packages)
            graph, facts = self._graph_and_facts(settings, packages, locations, module_files, cache)
        finally:
            if collecting:
                gc.enable()
        dynamic_imports = [d for found in facts.values() for d in found.dynamic_imports]
        sites: frozenset[tuple[str, str, int]] = frozenset()
        seen: tuple[DynamicImport, ...] = ()
        if not settings.as_import_linter:  # (import-linter does not see them)
            sites, seen = add_dynamic_imports(
                graph,
                sorted(dynamic_imports),
                settings.root_packages,
                include_external_packages=settings.include_external_packages,
            )
        left_out: tuple[DynamicImport, ...] = ()
        if settings.exclude_main_block_imports:  # after the cache: it keeps every import
            main_blocks = {module: found.main_blocks for module, found in facts.items()}
            left_out = drop_main_block_imports(graph, main_blocks, module_files)
        paths = {f.module: f.path for package in packages for f in package.files}
        limit = settings.max_file_size

        def contexts_of(module: str) -> Mapping[int, str]:
            path = paths.get(module)
            return {} if path is None else read_import_contexts(path, max_file_size=limit)

        project_graph = ProjectGraph(
            graph,
            settings.root_packages,
            include_external_packages=settings.include_external_packages,
            exclude_type_checking_imports=settings.exclude_type_checking_imports,
            module_files=module_files,
            dynamic_imports=dynamic_imports,
            suppressions=[s for found in facts.values() for s in found.suppressions],
            unread_files=self._unread(packages),
            dynamic_sites=sites,
            seen_dynamic_imports=seen,
        )
        reader: Callable[[str], Mapping[int, str]] = contexts_of
        if cache is not None and self.listing is not None:
            name = GraphCache(cache, settings).name
            self.contexts = ContextCache(cache, name, self.listing, len(paths))
            reader = self.contexts.reader(contexts_of)
        project_graph.attach_import_contexts(reader)
        project_graph.main_block_imports = left_out
        if settings.exclude_function_level_imports:  # (after the cache too)
            project_graph.function_level_imports = drop_import_lines(
                graph, function_level_lines(project_graph.import_contexts), module_files
            )
        return project_graph

    def _list(
        self, settings: GraphSettings, locations: Mapping[str, list[Path]], *, stat: bool
    ) -> list[PackageFiles]:
        """The files of the root packages (the one gate to the analysed files)."""
        # What links may point into: the project, and the root packages where they are.
        inside = [str(self.project_dir)] + [str(d) for ds in locations.values() for d in ds]
        return [
            scan_package(
                name,
                str(directory),
                stat=stat,
                inside=inside,
                max_file_size=settings.max_file_size,
                namespaces=not settings.as_import_linter,
            )
            for name, directories in locations.items()
            for directory in directories
        ]

    def _graph_and_facts(
        self,
        settings: GraphSettings,
        packages: Sequence[PackageFiles],
        locations: Mapping[str, list[Path]],
        module_files: Mapping[str, str],
        cache: CacheStore | None,
    ) -> tuple[grimp.ImportGraph, dict[str, FileFacts]]:
        """grimp's graph and each file's facts: from the cache when nothing changed, else
        each file that changed read once (its limits checked, its facts read) and parsed
        by grimp, the cached imports and facts of the others reused."""
        store = GraphCache(cache, settings) if cache is not None else None
        cached = store.load(cache_limit(packages)) if store else None
        key = cache_key(settings, packages) if store else ""
        graph = cached.to_graph_if(key) if cached else None
        facts = cached.file_facts(module_files) if cached and graph is not None else None
        if graph is not None and facts is not None:
            return graph, facts
        files = [f for p in packages for f in p.files]
        namespaces = {n for p in packages for n in p.namespace_packages}
        reusable = cached.reusable_imports(files, namespaces) if cached and store else {}
        reused = cached.file_facts(module_files, reusable.keys()) if cached and reusable else {}
        if reused is None:  # a damaged entry: every file is read again
            reusable, reused = {}, {}
        facts = reused
        try:
            facts.update(
                read_facts(
                    (f for f in files if f.module not in reusable),
                    module_files,
                    max_file_size=settings.max_file_size,
                )
            )
            graph, imports = build_graph(
                settings, packages, locations, reusable=reusable, collect=store is not None
            )
        except grimp.exceptions.SourceSyntaxError as error:
            raise ConfigError(
                f"cannot parse {self._shown(error.filename)}, "
                f"line {error.lineno or '?'}: "
                f"{quote_source(error.text or '') or 'syntax error'}"
            ) from None
        except UnicodeError as error:  # grimp could not decode a source file
            raise ConfigError(self._undecodable(packages, error)) from None
        except OSError as error:  # grimp could not read a file (gone since it was checked)
            raise ConfigError(self._unreadable(packages, error)) from None
        except BaseException as error:
            if type(error).__name__ != "PanicException":  # grimp's Rust core gave up
                raise
            if "KeyboardInterrupt" in str(error):  # Ctrl-C, raised inside the Rust scan
                raise KeyboardInterrupt from None
            raise ConfigError(self._unscannable(packages, error)) from None
        if store is not None and imports is not None:
            store.save(snapshot(key, graph, packages, imports, facts))
        return graph, facts

    def _prepare_cache(self) -> CacheStore | None:
        if isinstance(self.cache_dir, CacheStore):
            return self.cache_dir
        return store_at(self.cache_dir)

    def _module_files(self, packages: Sequence[PackageFiles]) -> dict[str, str]:
        files: dict[str, str] = {}
        for package in packages:
            base = self._relative(Path(package.directory))
            cut = len(package.directory)
            for file in package.files:
                files.setdefault(file.module, base + file.path[cut:].replace(os.sep, "/"))
        return files

    def _unread(self, packages: Sequence[PackageFiles]) -> list[UnreadFile]:
        """What the listing left out (a blind spot each), shown by the link's own path."""
        return [
            UnreadFile(left.module, self._shown(left.path), left.reason)
            for package in packages
            for left in package.left_out
        ]

    def _unreadable(self, packages: Sequence[PackageFiles], error: OSError) -> str:
        """Which source file grimp could not read (grimp's ``FileNotFoundError`` says
        ``Failed to read file <path>: <reason>``, whatever the reason)."""
        found = self._first_unreadable(packages)
        return found or f"cannot read a source file: {quote_source(str(error))}"

    def _first_unreadable(self, packages: Sequence[PackageFiles]) -> str | None:
        """``cannot read <file>: <why>`` for the first listed file that cannot be read
        now (gone, a directory, a named pipe, no permission), else ``None``."""
        for package in packages:
            for file in package.files:
                try:
                    read_source(file.path)
                except RefusedFile as refused:
                    return refused.message(self._shown(file.path))
        return None

    def _undecodable(self, packages: Sequence[PackageFiles], error: UnicodeError) -> str:
        """Which source file is not text in its declared encoding (UTF-8 by default)."""
        for package in packages:
            for file in package.files:
                try:
                    with open(file.path, "rb") as stream:
                        data = stream.read()
                    data.decode(declared_encoding(data))
                except UnicodeDecodeError as bad:
                    return (
                        f"cannot read {self._shown(file.path)}: not valid "
                        f"{bad.encoding.upper()} (byte {bad.start})"
                    )
                except (OSError, SyntaxError, LookupError):
                    continue
        return f"cannot read a source file: {quote_source(str(error))}"

    def _unscannable(self, packages: Sequence[PackageFiles], error: BaseException) -> str:
        """Why grimp's scanner failed: it panics on some imports Python itself rejects,
        and on a file that is gone (or is a directory now) when it reads it."""
        unreadable = self._first_unreadable(packages)
        if unreadable is not None:
            return unreadable
        for package in packages:
            for file in package.files:
                parts = file.module.split(".")
                depth = len(parts) if file.path.endswith("__init__.py") else len(parts) - 1
                try:
                    with open(file.path, "rb") as stream:
                        tree = ast.parse(stream.read())
                except (OSError, SyntaxError, ValueError):
                    continue
                for node in ast.walk(tree):
                    if isinstance(node, ast.ImportFrom) and node.level > depth:
                        return (
                            f"cannot analyse {self._shown(file.path)}, line "
                            f"{node.lineno}: relative import beyond the top-level package "
                            f"({quote_source(ast.unparse(node))})"
                        )
        return f"grimp could not scan the imports ({quote_source(str(error))})"

    def _shown(self, path: str) -> str:
        """A source file (or link) as messages show it: relative to the project, escaped.
        A symbolic link is never resolved: its own path, not where it points."""
        directory, name = os.path.split(path)
        parent = self._relative(Path(directory))
        return printable_line(name if parent == "." else f"{parent}/{name}")

    def _relative(self, path: Path) -> str:
        """``path`` relative to the project, as the project shows it: a package directory
        that is a symbolic link to somewhere else keeps its name in the project."""
        absolute = Path(os.path.abspath(path))
        for candidate in (absolute, absolute.resolve()):
            try:
                return candidate.relative_to(self.project_dir).as_posix()
            except ValueError:
                continue
        return str(path)
