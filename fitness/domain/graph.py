"""The project's import graph, as every rule sees it.

A thin, typed layer over grimp's graph that adds what grimp does not keep: the
root packages it was built from, the source file of each module, and how the
graph was built. Rules ask it questions; they never read source code.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

import grimp

from fitness._lazy import LazyModule
from fitness.domain import code as code_package  # (its modules imported on first use)
from fitness.domain.chain_search import (
    distances,
    entries_into,
    reach,
    smallest_shortest_chain,
    walk,
)
from fitness.domain.errors import did_you_mean
from fitness.domain.source_facts import (
    FUNCTION,
    MAX_QUOTE,
    ImportContext,
    Suppression,
    UnreadFile,
    shorten,
)
from fitness.domain.source_facts import DynamicImport as DynamicImport

if TYPE_CHECKING:
    import networkx as nx

    from fitness.domain.code.classfacts import ModuleFacts
    from fitness.domain.code.detail import Detail
    from fitness.domain.code.project import CodeModel
    from fitness.domain.dependencies import DependencyMetadata
else:  # (about 80 ms to import, and few runs need it: imported on first use)
    nx = LazyModule("networkx")


class ImportSite(NamedTuple):
    """One import statement: who imports what, where."""

    importer: str
    imported: str
    line_number: int | None
    line_contents: str = ""


class ProjectGraph:
    """The static import graph of the root packages, shared by every rule of a run."""

    def __init__(
        self,
        graph: grimp.ImportGraph,
        root_packages: Iterable[str],
        *,
        include_external_packages: bool = False,
        exclude_type_checking_imports: bool = False,
        module_files: Mapping[str, str] | None = None,
        dynamic_imports: Iterable[DynamicImport] = (),
        suppressions: Iterable[Suppression] = (),
        unread_files: Iterable[UnreadFile] = (),
        import_contexts: Iterable[ImportContext] = (),
        dynamic_sites: Iterable[tuple[str, str, int]] = (),
        seen_dynamic_imports: Iterable[DynamicImport] = (),
    ) -> None:
        self._graph = graph
        self.root_packages: tuple[str, ...] = tuple(root_packages)
        self.include_external_packages = include_external_packages
        self.exclude_type_checking_imports = exclude_type_checking_imports
        self._module_files: dict[str, str] = dict(module_files or {})
        #: Every call that imports a module named at run time (``import_module``...).
        self.dynamic_imports: tuple[DynamicImport, ...] = tuple(sorted(dynamic_imports))
        #: Those the graph holds as imports, ``(importer, imported, line)``: their name is
        #: known from literals (messages mark them as dynamic).
        self.dynamic_sites: frozenset[tuple[str, str, int]] = frozenset(dynamic_sites)
        seen = set(seen_dynamic_imports)
        #: The dynamic imports the rules cannot see (a name built at run time, or naming
        #: no module of the graph): a blind spot the reports count.
        self.blind_dynamic_imports: tuple[DynamicImport, ...] = tuple(
            d for d in self.dynamic_imports if d not in seen
        )
        #: The inline suppression comments of the analysed code.
        self.suppressions: tuple[Suppression, ...] = tuple(sorted(suppressions))
        #: Imports under ``if __name__ == "__main__":`` left out of the graph
        #: (``exclude_main_block_imports``): a blind spot the report names.
        self.main_block_imports: tuple[DynamicImport, ...] = ()
        #: Files named like modules that were not read (a symbolic link to a file outside
        #: the project...): a blind spot every rule warns about.
        self.unread_files: tuple[UnreadFile, ...] = tuple(sorted(unread_files))
        #: Where each module's imports are made, read when first asked (by module): given,
        #: or from the reader :meth:`attach_import_contexts` attaches.
        self._contexts = _ContextSlot(import_contexts)
        #: Imports inside functions left out of the graph (``exclude_function_level_imports``
        #: in ``[tool.fitness]``), said as the main block's are.
        self.function_level_imports: tuple[DynamicImport, ...] = ()
        self._without_function_level: ProjectGraph | None = None
        #: The code model, shared with the graph's copies (made once, on first use).
        self._code = _CodeModelSlot()
        self._dependency_metadata: DependencyMetadata | None = None
        #: The direct imports left out of this graph by :meth:`without_imports` (ignored,
        #: suppressed): what the code imports all the same (a dependency it uses).
        self.removed_imports: frozenset[tuple[str, str]] = frozenset()
        # The imports of each module, both ways, read from grimp on first use (chains).
        self._importeds: dict[str, frozenset[str]] = {}
        self._importers: dict[str, frozenset[str]] = {}
        self._sorted_importeds: dict[str, tuple[str, ...]] = {}
        self._upstream: dict[tuple[str, bool], frozenset[str]] = {}
        self._with_ancestors: dict[frozenset[str], frozenset[str]] = {}

    # The code model (classes, functions, imported names), read on first use -------

    def attach_code_model(self, source: Callable[[], CodeModel]) -> None:
        """Say where the code model of the internal modules comes from (the session
        attaches a reader that parses the source files, with a cache); it is made on
        the first call of :meth:`code_model`, and reads each module when first asked."""
        self._code = _CodeModelSlot(source)

    @property
    def has_code_model(self) -> bool:
        return self._code.source is not None

    def code_model(self, detail: Detail | None = None) -> CodeModel:
        """The classes and functions of the internal modules (an empty model if no
        source is attached), each module read with at least ``detail`` (default: all
        of it; a rule that reads less says so, and the run parses less)."""
        slot = self._code
        if slot.model is None:
            slot.model = slot.source() if slot.source is not None else code_package.CodeModel({})
        return slot.model.require(code_package.Detail.ALL if detail is None else detail)

    def class_facts(self) -> Mapping[str, ModuleFacts]:
        """The classes of each internal module as the metrics see them, by module name
        (a view of the code model; empty if no source of it is attached)."""
        slot = self._code
        if slot.facts is None:
            slot.facts = (
                code_package.class_facts(self.code_model(code_package.Detail.COHESION))
                if slot.source
                else {}
            )
        return slot.facts

    # The project's dependency metadata (declared and installed distributions) -----

    def attach_dependency_metadata(self, metadata: DependencyMetadata) -> None:
        """Say where the project's dependency metadata comes from (the session attaches
        a reader of its ``pyproject.toml``, ``setup.cfg`` and installed distributions;
        it reads on first use): the ``dependencies`` rule type asks for it."""
        self._dependency_metadata = metadata

    def dependency_metadata(self) -> DependencyMetadata | None:
        """The project's dependency metadata, if a reader is attached."""
        return self._dependency_metadata

    # Access to the underlying libraries -----------------------------------

    @property
    def grimp(self) -> grimp.ImportGraph:
        """The grimp graph, for anything this class does not wrap."""
        return self._graph

    def to_networkx(self, *, depth: int | None = None, external: bool = True) -> nx.DiGraph:
        """A networkx DiGraph of the imports.

        With ``depth``, modules are collapsed into their ancestor at that depth
        (``depth=2`` turns ``shop.domain.model`` into ``shop.domain``) and imports
        inside one collapsed node are dropped. Each edge carries ``count``, the
        number of module-level imports it stands for.
        """
        result = nx.DiGraph()
        for module in self.modules:
            if not external and not self.is_internal(module):
                continue
            result.add_node(collapse(module, depth), external=not self.is_internal(module))
        for module in self.modules:
            if not external and not self.is_internal(module):
                continue
            source = collapse(module, depth)
            for imported in self._graph.find_modules_directly_imported_by(module):
                if not external and not self.is_internal(imported):
                    continue
                target = collapse(imported, depth)
                if source == target:
                    continue
                if result.has_edge(source, target):
                    result[source][target]["count"] += 1
                else:
                    result.add_edge(source, target, count=1)
        return result

    # Modules ----------------------------------------------------------------

    @property
    def modules(self) -> set[str]:
        return self._graph.modules

    def __contains__(self, module: object) -> bool:
        return module in self._graph.modules

    def is_internal(self, module: str) -> bool:
        """Whether the module belongs to one of the root packages (not a third-party one)."""
        return any(in_package(module, root) for root in self.root_packages)

    @property
    def internal_modules(self) -> set[str]:
        return {m for m in self.modules if self.is_internal(m)}

    def missing_hint(self, name: str) -> str:
        """What to say after "module 'name' is not in the graph": why, when a blind spot
        explains it (``: app/x-y is a directory whose name is not an identifier...``),
        else a "did you mean"."""
        for unread in self.unread_files:
            if in_package(name, unread.module):
                reason = unread.reason
                joined = ": " if reason.startswith(("cannot", "not ")) else " is "
                return f": {unread.file}{joined}{reason}"
        return did_you_mean(name, self.modules)

    def file_of(self, module: str) -> str | None:
        """The source file of a module, relative to the project when it is inside it."""
        return self._module_files.get(module)

    @property
    def module_files(self) -> Mapping[str, str]:
        return dict(self._module_files)

    # Imports ----------------------------------------------------------------

    def import_sites(self, importer: str, imported: str) -> tuple[ImportSite, ...]:
        """Every import statement by which ``importer`` directly imports ``imported``."""
        return tuple(
            ImportSite(importer, imported, line_number, line_contents)
            for line_number, line_contents in self.import_lines(importer, imported)
        )

    def attach_import_contexts(self, reader: Callable[[str], Mapping[int, str]]) -> None:
        """Say how to find where a module's imports are made (the builder attaches one that
        reads its file): asked only for the modules a message or an option needs, so a run
        that needs none reads nothing more."""
        self._contexts.reader = reader

    def import_context(self, module: str, line: int | None) -> str:
        """Where the import statement of ``module`` on ``line`` is made: ``function`` (inside
        a function or a method), ``type_checking`` (under ``if TYPE_CHECKING:``), or ``""``
        (at the module's level: executed when it is imported)."""
        if line is None:
            return ""
        return self._contexts.of(module).get(line, "")

    @property
    def import_contexts(self) -> tuple[ImportContext, ...]:
        """The imports made inside a function or under ``if TYPE_CHECKING:``, of every
        module with a file (each read once, when first asked)."""
        return tuple(
            ImportContext(module, line, context)
            for module in sorted(self._module_files)
            for line, context in sorted(self._contexts.of(module).items())
        )

    def without_function_level_imports(self) -> ProjectGraph:
        """A copy of this graph without the imports made inside functions (an import
        also made elsewhere stays, with its other lines); made once, then shared."""
        if self._without_function_level is None:
            clone = self.copy()
            clone.function_level_imports = drop_import_lines(
                clone._graph, function_level_lines(self.import_contexts), clone._module_files
            )
            self._without_function_level = clone
        return self._without_function_level

    def is_dynamic(self, importer: str, imported: str, line_number: int | None) -> bool:
        """Whether the import on that line is a dynamic one (``import_module("...")``)."""
        return (importer, imported, line_number) in self.dynamic_sites

    def import_lines(self, importer: str, imported: str) -> list[tuple[int | None, str]]:
        """``(line number, line)`` of each of those statements, in line order: what
        :meth:`import_sites` says, without building objects (chains need thousands)."""
        details = self._graph.get_import_details(importer=importer, imported=imported)
        lines = {(d.get("line_number"), str(d.get("line_contents") or "")) for d in details}
        return sorted(lines, key=lambda line: (line[0] or 0, line[1]))

    def direct_imports(self) -> set[tuple[str, str]]:
        """Every (importer, imported) pair of modules with a direct import."""
        return {
            (importer, imported)
            for importer in self.modules
            for imported in self._graph.find_modules_directly_imported_by(importer)
        }

    # Chains, chosen canonically ------------------------------------------------
    #
    # grimp breaks ties between equally short chains by the order in which its
    # hash sets hold the modules, which depends on the order they were added to
    # the graph: a cold and a warm run, or two machines, would show different
    # chains for the same violation. These methods choose the same chains every
    # time: the lexicographically smallest of the shortest.

    def imported_by(self, module: str) -> frozenset[str]:
        """The modules ``module`` directly imports (memoised)."""
        found = self._importeds.get(module)
        if found is None:
            found = self._importeds[module] = frozenset(
                self._graph.find_modules_directly_imported_by(module)
            )
        return found

    def sorted_imported_by(self, module: str) -> tuple[str, ...]:
        """The modules ``module`` directly imports, sorted (memoised)."""
        found = self._sorted_importeds.get(module)
        if found is None:
            found = self._sorted_importeds[module] = tuple(sorted(self.imported_by(module)))
        return found

    def importers_of(self, module: str) -> frozenset[str]:
        """The modules that directly import ``module`` (memoised)."""
        found = self._importers.get(module)
        if found is None:
            found = self._importers[module] = frozenset(
                self._graph.find_modules_that_directly_import(module)
            )
        return found

    def upstream_of(self, module: str, *, as_package: bool = False) -> frozenset[str]:
        """Every module ``module`` (with its descendants if ``as_package``) imports,
        directly or not: grimp's ``find_upstream_modules``, memoised (many rules ask it
        of the same packages)."""
        found = self._upstream.get((module, as_package))
        if found is None:
            found = self._upstream[module, as_package] = frozenset(
                self._graph.find_upstream_modules(module, as_package=as_package)
            )
        return found

    def with_ancestors(self, modules: frozenset[str]) -> frozenset[str]:
        """``modules`` and every package above them (memoised: rules ask it of the same
        sets, such as what one package reaches)."""
        found = self._with_ancestors.get(modules)
        if found is None:
            packages = set(modules)
            for module in modules:
                while "." in module:
                    module = module.rpartition(".")[0]
                    if module in packages:
                        break
                    packages.add(module)
            found = self._with_ancestors[modules] = frozenset(packages)
        return found

    def with_descendants(self, module: str) -> set[str]:
        """The module and, unless it is squashed, every module under it."""
        if self._graph.is_module_squashed(module):
            return {module}
        return {module} | self._graph.find_descendants(module)

    def shortest_chain(
        self, importer: str, imported: str, *, as_packages: bool = False
    ) -> tuple[str, ...] | None:
        """The lexicographically smallest of the shortest chains from ``importer`` to
        ``imported`` (with their descendants if ``as_packages``), or None."""
        sources = self.with_descendants(importer) if as_packages else {importer}
        targets = self.with_descendants(imported) if as_packages else {imported}
        if sources & targets:
            return None
        return smallest_shortest_chain(self, sources, targets, frozenset(), set())

    def shortest_chains(
        self,
        sources: Iterable[str],
        targets: Iterable[str],
        *,
        excluded: frozenset[str] = frozenset(),
        reachable: set[str] | None = None,
    ) -> list[tuple[str, ...]]:
        """grimp's ``find_shortest_chains``, canonically: the shortest chain from any of
        ``sources`` to any of ``targets``, then the shortest that uses none of the imports
        of the chains found before, and so on; no chain goes through ``excluded``.

        Each is the lexicographically smallest of the shortest chains left, so the
        result depends only on the imports, never on the order grimp holds them in.
        ``reachable`` (optional) holds at least every module a source reaches, which
        is all the search visits: grimp's ``find_upstream_modules`` finds it fastest.
        """
        froms, tos = set(sources), set(targets)
        if froms & tos:
            raise ValueError("the sources and the targets overlap")
        # Only the modules reachable from the sources can be on a chain.
        reachable = reach(self, froms, excluded) if reachable is None else reachable | froms
        if not reachable & tos:
            return []
        chains: list[tuple[str, ...]] = []
        used: set[tuple[str, str]] = set()
        # One search finds the length of the shortest chains left; then every chain of
        # that length, smallest first. Leaving out a chain's imports only lengthens the
        # others, so the chains of that length that remain are the next ones, in order,
        # and a module from which none remains stays so (``dead``).
        entries = entries_into(self, tos, excluded, reachable)
        while (
            found := distances(self, froms, tos, excluded, used, reachable, entries)
        ) is not None:
            distance, starts = found
            dead: set[str] = set()
            for start in starts:
                while (chain := walk(self, start, distance, used, dead)) is not None:
                    chains.append(chain)
                    used.update(itertools.pairwise(chain))
        return chains

    def without_imports(self, imports: Iterable[tuple[str, str]]) -> ProjectGraph:
        """A copy of this graph with the given direct imports removed."""
        clone = self.copy()
        removed = set(clone.removed_imports)
        for importer, imported in imports:
            clone._graph.remove_import(importer=importer, imported=imported)
            removed.add((importer, imported))
        clone.removed_imports = frozenset(removed)
        return clone

    def copy(self) -> ProjectGraph:
        clone = ProjectGraph(
            copy.deepcopy(self._graph),
            self.root_packages,
            include_external_packages=self.include_external_packages,
            exclude_type_checking_imports=self.exclude_type_checking_imports,
            module_files=self._module_files,
            dynamic_imports=self.dynamic_imports,
            suppressions=self.suppressions,
            unread_files=self.unread_files,
            dynamic_sites=self.dynamic_sites,
            seen_dynamic_imports=set(self.dynamic_imports) - set(self.blind_dynamic_imports),
        )
        clone.main_block_imports = self.main_block_imports
        clone.function_level_imports = self.function_level_imports
        clone._code = self._code
        clone._contexts = self._contexts
        clone._dependency_metadata = self._dependency_metadata
        clone.removed_imports = self.removed_imports
        return clone

    def __repr__(self) -> str:
        return (
            f"<ProjectGraph of {', '.join(self.root_packages)}: {len(self.modules)} modules, "
            f"{self._graph.count_imports()} imports>"
        )


def function_level_lines(contexts: Iterable[ImportContext]) -> dict[str, set[int]]:
    """The lines of the imports made inside functions, by module."""
    lines: dict[str, set[int]] = {}
    for found in contexts:
        if found.context == FUNCTION:
            lines.setdefault(found.module, set()).add(found.line)
    return lines


def drop_import_lines(
    graph: grimp.ImportGraph, lines: Mapping[str, Iterable[int]], files: Mapping[str, str]
) -> tuple[DynamicImport, ...]:
    """Remove from ``graph`` (in place) the imports of each module made on the given
    ``lines``: an import of the same module made on another line stays. The imports
    removed, in module and line order (``files``: each module's file, to say where)."""
    removed: list[DynamicImport] = []
    for module in sorted(lines):
        if module not in graph.modules:
            continue
        wanted = set(lines[module])
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            details = graph.get_import_details(importer=module, imported=imported)
            inside = [d for d in details if d.get("line_number") in wanted]
            if not inside:
                continue
            graph.remove_import(importer=module, imported=imported)
            for detail in details:
                if detail in inside:
                    continue
                graph.add_import(
                    importer=module,
                    imported=imported,
                    line_number=detail.get("line_number"),
                    line_contents=detail.get("line_contents"),
                    is_lazy=detail.get("is_lazy"),
                )
            removed.extend(
                DynamicImport(
                    module,
                    files.get(module, module),
                    int(detail["line_number"]),
                    shorten(str(detail.get("line_contents", "")).strip(), MAX_QUOTE),
                    imported,
                )
                for detail in inside
            )
    return tuple(sorted(removed))


class _ContextSlot:
    """Where the graph's modules make their imports, by module and line: those given, and
    those its reader finds, each module read once, when first asked (shared by the graph
    and its copies)."""

    def __init__(self, given: Iterable[ImportContext] = ()) -> None:
        self.reader: Callable[[str], Mapping[int, str]] | None = None
        by_module: dict[str, dict[int, str]] = {}
        for context in given:
            by_module.setdefault(context.module, {})[context.line] = context.context
        self.found: dict[str, Mapping[int, str]] = dict(by_module)
        self.given = bool(by_module)

    def of(self, module: str) -> Mapping[int, str]:
        found = self.found.get(module)
        if found is None:
            reader = self.reader if not self.given else None
            found = self.found[module] = reader(module) if reader is not None else {}
        return found


class _CodeModelSlot:
    """Where a graph's code model comes from, and the model once made (shared by the
    graph and its copies: one model per run)."""

    def __init__(self, source: Callable[[], CodeModel] | None = None) -> None:
        self.source = source
        self.model: CodeModel | None = None
        self.facts: Mapping[str, ModuleFacts] | None = None


def in_package(module: str, package: str) -> bool:
    """Whether ``module`` is ``package`` or one of its descendants."""
    return module == package or module.startswith(package + ".")


def collapse(module: str, depth: int | None) -> str:
    """The ancestor of ``module`` at ``depth`` (``None``: the module itself)."""
    if depth is None:
        return module
    return ".".join(module.split(".")[:depth])


def ancestors_and_self(module: str) -> list[str]:
    """``a.b.c`` -> ``["a.b.c", "a.b", "a"]``."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
