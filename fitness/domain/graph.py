"""The project's import graph, as every rule sees it.

A thin, typed layer over grimp's graph that adds what grimp does not keep: the
root packages it was built from, the source file of each module, and how the
graph was built. Rules ask it questions; they never read source code.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

import grimp

from fitness.domain.source_facts import DynamicImport as DynamicImport
from fitness.domain.source_facts import Suppression

if TYPE_CHECKING:
    import networkx as nx

    from fitness.domain.classfacts import ModuleFacts


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
    ) -> None:
        self._graph = graph
        self.root_packages: tuple[str, ...] = tuple(root_packages)
        self.include_external_packages = include_external_packages
        self.exclude_type_checking_imports = exclude_type_checking_imports
        self._module_files: dict[str, str] = dict(module_files or {})
        self.dynamic_imports: tuple[DynamicImport, ...] = tuple(sorted(dynamic_imports))
        #: The inline suppression comments of the analysed code.
        self.suppressions: tuple[Suppression, ...] = tuple(sorted(suppressions))
        #: Imports under ``if __name__ == "__main__":`` left out of the graph
        #: (``exclude_main_block_imports``): a blind spot the report names.
        self.main_block_imports: tuple[DynamicImport, ...] = ()
        self._class_facts_source: Callable[[], Mapping[str, ModuleFacts]] | None = None
        self._class_facts: Mapping[str, ModuleFacts] | None = None

    # Class facts (for metrics), parsed on first use ---------------------------

    def attach_class_facts(self, source: Callable[[], Mapping[str, ModuleFacts]]) -> None:
        """Say where the class facts of the internal modules come from (the session
        attaches a reader that parses the source files, with a cache); they are
        read on the first call of :meth:`class_facts`."""
        self._class_facts_source = source
        self._class_facts = None

    @property
    def has_class_facts(self) -> bool:
        return self._class_facts_source is not None

    def class_facts(self) -> Mapping[str, ModuleFacts]:
        """The classes of each internal module, by module name (empty if no source
        of class facts is attached)."""
        if self._class_facts is None:
            source = self._class_facts_source
            self._class_facts = dict(source()) if source is not None else {}
        return self._class_facts

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
        import networkx as nx  # here, not at the top: importing networkx costs ~80 ms

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

    def without_imports(self, imports: Iterable[tuple[str, str]]) -> ProjectGraph:
        """A copy of this graph with the given direct imports removed."""
        clone = self.copy()
        for importer, imported in imports:
            clone._graph.remove_import(importer=importer, imported=imported)
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
        )
        clone.main_block_imports = self.main_block_imports
        clone._class_facts_source = self._class_facts_source
        clone._class_facts = self._class_facts
        return clone

    def __repr__(self) -> str:
        return (
            f"<ProjectGraph of {', '.join(self.root_packages)}: {len(self.modules)} modules, "
            f"{self._graph.count_imports()} imports>"
        )


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
