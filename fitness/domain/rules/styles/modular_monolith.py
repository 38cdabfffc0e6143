"""``modular_monolith``: modules that declare what they use and what they offer.

One deployable, many modules (Newman's modular monolith, tach's modules): each
module declares the modules it may use (``depends_on``) and its public
interface (``interface``: the submodules others may import, and, at symbol
level, the names its ``__init__`` exports in ``__all__``). The semantics are
tach's:

- a module is a package and everything under it, down to the nearest declared
  module inside it: ``app.billing.invoices``, declared too, is a module of its
  own, and ``app.billing`` needs to declare it to use it;
- code outside every declared module is not checked (tach's ``<root>`` with
  ``root_module = "ignore"``): its imports break no rule, and nothing has to
  declare it;
- ``depends_on`` omitted: the module may use every module; ``depends_on = []``:
  none. A dependency on a ``utility`` module needs no declaration;
- ``interface`` omitted: the module is open; otherwise an import from another
  module must name the module itself, one of its interface submodules (or what
  is inside them), or a name its ``__init__`` lists in ``__all__``;
- ``deprecated`` dependencies are allowed, with a warning at each import.

Beyond tach: a dependency that goes through code outside every module (``app.ordering
-> app.utils -> app.billing``) is a dependency too, shown as its chain (``indirect``);
cycles between modules are violations (tach only refuses cycles among the declared
``depends_on``, and only with ``forbid_circular_dependencies``); every violation
shows its imports with file and line, and a baseline holds them import by import.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from fitness.domain.errors import (
    ConfigError,
    MissingModuleError,
    RuleError,
    combined,
    did_you_mean,
    rule_error,
)
from fitness.domain.graph import ProjectGraph, ancestors_and_self, collapse, in_package
from fitness.domain.modules import MODULES, governed_by, has_wildcard, require_in_graph
from fitness.domain.options import option
from fitness.domain.rendering import quote_source
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.imports.acyclic import DEFAULT_MAX_CYCLES, shortest_cycles
from fitness.domain.rules.support import INTERNAL_DESCENDANTS, IgnoringRule, require_internal
from fitness.domain.source_facts import TYPE_CHECKING_ONLY
from fitness.domain.violations import Chain, Link, Violation

if TYPE_CHECKING:
    from fitness.domain.code.project import CodeModel

Import = tuple[str, str]
Pair = tuple[str, str]

UNDECLARED_FIX = "declare the dependency in depends_on, or remove the import"
CYCLE_FIX = (
    "break the cycle: publish an event instead of calling back, or move the shared code "
    "into a shared module both may depend on"
)
HOW_TO_FIX = {
    "undeclared": (
        "An undeclared dependency: if the design allows it, declare the dependency in the "
        "importing module's depends_on; if not, remove the import (the other module can "
        "publish an event, or the code can move to where it belongs)."
    ),
    "unused": (
        "An unused dependency (exact): remove it from depends_on, so that the declarations "
        "say what the code does."
    ),
    "interface": (
        "An interface bypass: go through the module's interface (the submodules its "
        "`interface` lists, and the names its __init__ exports in __all__). If others "
        "need more, widen the interface on purpose, in the module that owns the code."
    ),
    "cycle": (
        "A cycle between modules: break the cycle: publish an event from one side instead "
        "of calling back, or move the shared code into a shared module both may depend on."
    ),
}


@dataclass(frozen=True, kw_only=True)
class ModuleSpec:
    """One module of the monolith, as ``modules`` declares it."""

    depends_on: tuple[str, ...] | None = option(
        None, doc="the modules this one may use (omitted: any; [] : none)"
    )
    interface: tuple[str, ...] | None = option(
        None, doc="submodules others may import (omitted: the module is open)"
    )
    deprecated: tuple[str, ...] = option(
        (), doc="dependencies still allowed, with a warning at each import"
    )
    utility: bool = option(False, doc="every module may use it without declaring it")


class Dependency(NamedTuple):
    """One way a module uses another: a direct import, or a chain through code outside
    every module."""

    modules: tuple[str, ...]

    @property
    def direct(self) -> bool:
        return len(self.modules) == 2


@dataclass(frozen=True, kw_only=True)
class ModularMonolithRule(IgnoringRule):
    """Modules use only the modules they declare, only through their interfaces, and
    never in a cycle."""

    type_name = "modular_monolith"
    how_to_fix = " ".join(text for text in HOW_TO_FIX.values() if text)

    modules: Mapping[str, ModuleSpec] = option(
        doc="module -> { depends_on, interface, deprecated, utility }",
        names=MODULES,
    )
    indirect: bool = option(
        True,
        doc="count a dependency that goes through code outside every module "
        "(app.ordering -> app.utils -> app.billing)",
    )
    acyclic: bool = option(True, doc="report cycles between modules")
    exact: bool = option(
        False, doc="a declared dependency the code does not have is a violation (tach's exact)"
    )
    symbols: bool = option(
        True,
        doc="check the names imported from a module's __init__ against its __all__ "
        "(read off the import statements; only the __init__ of a module with an interface "
        "is parsed, then cached)",
    )

    def __post_init__(self) -> None:
        if not self.modules:
            raise ConfigError("option 'modules' must declare at least one module", key=("modules",))
        errors = [error for name in self.modules for error in self._declaration_mistakes(name)]
        if errors:  # every mistake of every module, not only the first
            raise combined(errors)

    def _declaration_mistakes(self, name: str) -> list[ConfigError]:
        """What is wrong with the declaration of the module ``name``: every mistake."""
        spec = self.modules[name]
        names = list(self.modules)
        errors = []
        if not name or has_wildcard(name) or any(not part for part in name.split(".")):
            errors.append(
                ConfigError(
                    f"modules: '{name}' is not a module name; name one module "
                    "(such as 'app.billing'), without wildcards",
                    key=("modules", name),
                )
            )
        for key in ("depends_on", "deprecated"):
            for other in getattr(spec, key) or ():
                if other == name:
                    errors.append(
                        ConfigError(
                            f"modules.{name}.{key}: a module does not depend on itself "
                            f"(remove '{other}')",
                            key=("modules", name),
                        )
                    )
                elif other not in self.modules:
                    hint = did_you_mean(other, names) or (
                        f" (the modules are {join_names(sorted(names))}; declare it under "
                        "[tool.fitness.rules.modules] first)"
                    )
                    errors.append(
                        ConfigError(
                            f"modules.{name}.{key}: '{other}' is not a declared module{hint}",
                            key=("modules", name),
                        )
                    )
        for both in sorted(set(spec.depends_on or ()) & set(spec.deprecated)):
            errors.append(
                ConfigError(
                    f"modules.{name}: '{both}' is in depends_on and in deprecated; "
                    "keep it in one (deprecated: allowed with a warning)",
                    key=("modules", name),
                )
            )
        for entry in spec.interface or ():
            if not entry or has_wildcard(entry) or entry.startswith(f"{name}."):
                errors.append(
                    ConfigError(
                        f"modules.{name}.interface: '{entry}' is not a submodule name; write "
                        f"it relative to {name} ('api' for {name}.api)",
                        key=("modules", name),
                    )
                )
        return errors

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return governed_by(graph, self.modules)

    def describe(self) -> str:
        names = join_names(sorted(self.modules))
        cycles = ", and never in a cycle" if self.acyclic else ""
        return (
            f"The modules {names} use only the modules they declare (depends_on), only "
            f"through their interfaces{cycles}"
        )

    # Evaluation ----------------------------------------------------------------

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        declared = sorted(self.modules)
        require_in_graph(graph, declared, option="modules")
        require_internal(graph, declared, option="modules", needs=INTERNAL_DESCENDANTS)
        self._require_interfaces(graph)
        owners = _owners(graph, declared)
        dependencies = self._dependencies(graph, owners)
        attributes = self._attribute_imports(graph, dependencies)

        violations: list[Violation] = []
        notes: list[str] = []
        kinds: set[str] = set()
        for (source, target), ways in sorted(dependencies.items()):
            spec = self.modules[source]
            if target in spec.deprecated:
                notes.extend(_deprecated_warning(graph, source, target, way) for way in ways)
            elif not self._allowed(source, target):
                violations.append(_undeclared(graph, source, target, ways))
                kinds.add("undeclared")
        unused, gone = self._unused(dependencies)
        violations += unused
        notes += gone
        if unused:
            kinds.add("unused")
        bypasses = self._interface_bypasses(graph, dependencies, attributes)
        by_name, unknown = self._symbol_bypasses(graph, owners, attributes)
        bypasses += by_name
        notes += unknown
        if bypasses:
            kinds.add("interface")
        violations += bypasses
        if self.acyclic:
            cycles, capped = self._cycles(graph, dependencies)
            if cycles:
                kinds.add("cycle")
            violations += cycles
            if capped:
                notes.append(
                    f"there are more than {DEFAULT_MAX_CYCLES} cycles between modules; the "
                    f"{DEFAULT_MAX_CYCLES} shortest are shown"
                )
        guidance = self.broken_contract_guidance or "\n".join(
            HOW_TO_FIX[kind] for kind in HOW_TO_FIX if kind in kinds
        )
        details = {
            "dependencies": {
                module: sorted({t for (s, t) in dependencies if s == module}) for module in declared
            }
        }
        return Findings.of(violations, (*warnings, *notes), details=details, guidance=guidance)

    def _allowed(self, source: str, target: str) -> bool:
        """Whether ``source`` may use ``target`` (a deprecated dependency is allowed too)."""
        spec = self.modules[source]
        declared = spec.depends_on is None or target in spec.depends_on
        return declared or target in spec.deprecated or self.modules[target].utility

    def _unused(
        self, dependencies: Mapping[Pair, list[Dependency]]
    ) -> tuple[list[Violation], list[str]]:
        """Declared dependencies the code does not have: violations with ``exact`` (tach's
        ``exact``); a deprecated one that is gone is always worth a warning."""
        violations, warnings = [], []
        for source, spec in sorted(self.modules.items()):
            for target in sorted(spec.deprecated):
                if (source, target) not in dependencies:
                    warnings.append(
                        f"deprecated dependency gone: {source} no longer uses {target}; drop "
                        f"'{target}' from {source}'s deprecated"
                    )
            if not self.exact:
                continue
            for target in sorted(spec.depends_on or ()):
                if (source, target) not in dependencies:
                    violations.append(
                        Violation(
                            importer=source,
                            imported=target,
                            summary=f"unused dependency: {source} declares {target} in "
                            f"depends_on but does not use it; remove it from depends_on",
                        )
                    )
        return violations, warnings

    def name_mistakes(self, graph: ProjectGraph) -> list[RuleError]:
        """The declared modules the graph does not have, then every ``interface`` entry
        that names no submodule (each keyed on its module, so that it is located)."""
        return [*super().name_mistakes(graph), *self._interface_mistakes(graph)]

    def _require_interfaces(self, graph: ProjectGraph) -> None:
        errors = self._interface_mistakes(graph)
        if errors:
            raise rule_error(errors)

    def _interface_mistakes(self, graph: ProjectGraph) -> list[RuleError]:
        """Every ``interface`` entry of a module in the graph that names no submodule of it
        (a :class:`MissingModuleError`: at an older commit, one not written yet)."""
        errors: list[RuleError] = []
        for name, spec in sorted(self.modules.items()):
            if name not in graph:
                continue  # (said by the names check)
            for entry in spec.interface or ():
                submodule = f"{name}.{entry}"
                if submodule not in graph:
                    children = [
                        child.removeprefix(f"{name}.") for child in graph.grimp.find_children(name)
                    ]
                    hint = did_you_mean(entry, children) or (
                        f" (its submodules: {join_names(sorted(children))})" if children else ""
                    )
                    errors.append(
                        MissingModuleError(
                            f"modules.{name}.interface: {name} has no submodule '{entry}'{hint}",
                            key=("modules", name),
                            module=submodule,
                        )
                    )
        return errors

    def _dependencies(
        self, graph: ProjectGraph, owners: Mapping[str, str | None]
    ) -> dict[Pair, list[Dependency]]:
        """For each pair of modules where the first uses the second, how: its direct
        imports, then (``indirect``) the chains through code outside every module."""
        found: dict[Pair, list[Dependency]] = defaultdict(list)
        for importer in sorted(owners):
            source = owners[importer]
            if source is None:
                continue
            for imported in graph.sorted_imported_by(importer):
                target = owners.get(imported)
                if target is not None and target != source:
                    found[source, target].append(Dependency((importer, imported)))
        if self.indirect:
            for (source, target), chains in sorted(_indirect(graph, owners).items()):
                found[source, target].extend(Dependency(chain) for chain in chains)
        return dict(found)

    def _attribute_imports(
        self, graph: ProjectGraph, dependencies: Mapping[Pair, list[Dependency]]
    ) -> dict[Import, list[int]]:
        """The imports of a submodule ``target.x`` of a module with an interface that are
        ``from target import x`` where ``target/__init__.py`` binds ``x`` to something
        else (``from .array import array``): Python gives the attribute, not the
        submodule, so the import is of a name of ``target``, judged by its ``__all__``.
        Each such (importer, submodule), with the lines of those statements."""
        if not graph.has_code_model:
            return {}
        from fitness.domain.code.detail import Detail

        candidates: dict[str, list[Import]] = defaultdict(list)
        for (_, target), ways in sorted(dependencies.items()):
            if self.modules[target].interface is None:
                continue
            for way in ways:
                if way.direct and way.modules[1].rpartition(".")[0] == target:
                    candidates[target].append((way.modules[0], way.modules[1]))
        if not candidates:
            return {}
        model = graph.code_model(Detail.OUTLINE)
        found: dict[Import, list[int]] = {}
        for target, imports in sorted(candidates.items()):
            rebound = _rebound(model, target)
            for importer, imported in sorted(set(imports)):
                name = imported.rpartition(".")[2]
                if name not in rebound:
                    continue  # not bound in the __init__, or bound to the submodule itself
                lines = []
                for line, name_imported in self._names_imported(
                    graph, model, importer, target, rebound
                ):
                    if name_imported == name:
                        lines.append(line)
                every = [line for line, _ in graph.import_lines(importer, imported)]
                if lines and set(every) <= set(lines):
                    found[importer, imported] = sorted(set(lines))
        return found

    def _names_imported(
        self,
        graph: ProjectGraph,
        model: CodeModel,
        importer: str,
        target: str,
        rebound: frozenset[str],
    ) -> list[tuple[int, str]]:
        """(line, name) of each name ``importer`` imports from ``target`` by a
        ``from target import ...`` statement, on the lines grimp recorded for its imports
        of ``target`` and of the submodules ``rebound`` names (grimp records
        ``from target import x`` as an import of ``target.x`` when there is one); those
        made only for type checkers left out when the graph leaves them out
        (``exclude_type_checking_imports``)."""
        file = graph.file_of(importer) or ""
        is_package = file.endswith("__init__.py")
        lines: dict[int, str] = {}
        for imported in sorted(graph.imported_by(importer)):
            parent, _, name = imported.rpartition(".")
            if imported == target or (parent == target and name in rebound):
                for line, text in graph.import_lines(importer, imported):
                    if line is not None:
                        lines.setdefault(line, text)
        found = []
        for line, text in sorted(lines.items()):
            if (
                graph.exclude_type_checking_imports
                and graph.import_context(importer, line) == TYPE_CHECKING_ONLY
            ):
                continue
            for each in model.names_imported(importer, target, line, text, is_package=is_package):
                if each.name is not None:
                    found.append((line, each.name))
        return found

    def _interface_bypasses(
        self,
        graph: ProjectGraph,
        dependencies: Mapping[Pair, list[Dependency]],
        attributes: Mapping[Import, list[int]],
    ) -> list[Violation]:
        """Direct imports of a module with an interface that reach past it (an import of
        a name its ``__init__`` binds is judged by the names it exports instead)."""
        by_part: dict[tuple[str, str, str], list[Import]] = defaultdict(list)
        for (source, target), ways in dependencies.items():
            interface = self.modules[target].interface
            if interface is None:
                continue
            public = [f"{target}.{entry}" for entry in interface]
            for way in ways:
                if not way.direct:
                    continue  # the last import is made by code outside every module
                importer, imported = way.modules
                if imported == target or any(in_package(imported, p) for p in public):
                    continue
                if (importer, imported) in attributes:
                    continue
                part = collapse(imported, target.count(".") + 2)
                by_part[source, target, part].append((importer, imported))
        violations = []
        for (source, target, part), imports in sorted(by_part.items()):
            violations.append(
                Violation(
                    importer=source,
                    imported=part,
                    summary=f"interface bypass: {source} reaches into {part}, which is not "
                    f"part of {target}'s interface; go through {target}'s interface "
                    f"({self._interface_text(target)})",
                    chains=tuple(Chain.of(graph, pair) for pair in sorted(imports)),
                )
            )
        return violations

    def _symbol_bypasses(
        self,
        graph: ProjectGraph,
        owners: Mapping[str, str | None],
        attributes: Mapping[Import, list[int]],
    ) -> tuple[list[Violation], list[str]]:
        """``from app.billing import Invoice`` where ``app.billing`` has an interface and
        does not export ``Invoice`` (needs the code model's import facts); and a warning
        for each such module whose exports cannot be known statically."""
        if not self.symbols or not graph.has_code_model:
            return [], []
        closed = {name for name, spec in self.modules.items() if spec.interface is not None}
        if not closed:
            return [], []
        from fitness.domain.code.detail import Detail

        # Only the names imported from a module with an interface are checked: they are
        # read off the import statements grimp found (their first line, the lines after
        # it when one goes on), and only those modules' __init__ is parsed (its __all__).
        model = graph.code_model(Detail.OUTLINE)
        attribute_importers: dict[str, set[str]] = defaultdict(set)
        for importer, imported in attributes:
            attribute_importers[imported.rpartition(".")[0]].add(importer)
        # (target, source, name, importer, line) of each name imported from a module
        # with an interface that is neither a submodule nor an interface submodule
        imported_names: list[tuple[str, str, str, str, int]] = []
        for target in sorted(closed):
            interface = self.modules[target].interface or ()
            importers = sorted(set(graph.importers_of(target)) | attribute_importers[target])
            importers = [m for m in importers if owners.get(m) not in (None, target)]
            if not importers:
                continue  # (None: ignored; target: the module's own code)
            rebound = _rebound(model, target)
            for module in importers:
                source = owners[module]
                assert source is not None
                names = self._names_imported(graph, model, module, target, rebound)
                for line, name in sorted(set(names)):
                    if name in interface or _is_dunder(name):
                        continue  # a submodule the interface lists; the module's metadata
                    if f"{target}.{name}" in graph and name not in rebound:
                        continue  # the submodule: the module-level check judges it
                    imported_names.append((target, source, name, module, line))
        model.modules.read(sorted({target for target, *_ in imported_names}))  # at once
        found: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
        unknown: dict[str, tuple[set[str], str]] = {}
        for target, source, name, module, line in imported_names:
            exported = model.public_names(target)
            if exported.names is None:
                unknown.setdefault(target, (set(), exported.why))[0].add(source)
            elif name not in exported.names:
                found[source, f"{target}.{name}"].append((module, line))
        violations = []
        for (source, symbol), sites in sorted(found.items()):
            target, _, name = symbol.rpartition(".")
            violations.append(
                Violation(
                    importer=source,
                    imported=symbol,
                    summary=f"interface bypass: {source} imports {name} from {target}, but "
                    f"{target}'s __init__ does not export it in __all__; go through {target}'s "
                    f"interface ({self._interface_text(target)}), or export {name} in "
                    f"{target}'s __all__",
                    chains=tuple(
                        Chain((_link_at(graph, module, target, line),))
                        for module, line in sorted(set(sites))
                    ),
                )
            )
        warnings = [
            f"the names {join_names(sorted(importers))} import"
            f"{'s' if len(importers) == 1 else ''} from {target} are not checked: what "
            f"{target} exports cannot be known statically ({why})"
            for target, (importers, why) in sorted(unknown.items())
        ]
        return violations, warnings

    def _interface_text(self, module: str) -> str:
        interface = self.modules[module].interface or ()
        return ", ".join(interface) if interface else "its __all__ only"

    def _cycles(
        self, graph: ProjectGraph, dependencies: Mapping[Pair, list[Dependency]]
    ) -> tuple[list[Violation], bool]:
        import networkx as nx  # here, not at the top: it costs ~70 ms to import

        digraph = nx.DiGraph()
        digraph.add_nodes_from(sorted(self.modules))
        digraph.add_edges_from(sorted(dependencies))
        cycles, capped = shortest_cycles(digraph, DEFAULT_MAX_CYCLES)
        violations = []
        for cycle in cycles:
            steps = list(itertools.pairwise([*cycle, cycle[0]]))
            chains = tuple(Chain.of(graph, min(dependencies[step]).modules) for step in steps)
            around = " -> ".join([*cycle, cycle[0]])
            violations.append(
                Violation(
                    importer=cycle[0],
                    imported=" -> ".join([*cycle[1:], cycle[0]]),
                    summary=f"cycle between modules: {around}; {CYCLE_FIX}",
                    chains=chains,
                )
            )
        return violations, capped


def _owners(graph: ProjectGraph, declared: Iterable[str]) -> dict[str, str | None]:
    """Each internal module's module: the nearest declared one it is in (None: outside
    every module)."""
    names = set(declared)
    owners: dict[str, str | None] = {}
    for module in graph.internal_modules:
        owners[module] = next((a for a in ancestors_and_self(module) if a in names), None)
    return owners


def _indirect(
    graph: ProjectGraph, owners: Mapping[str, str | None]
) -> dict[Pair, list[tuple[str, ...]]]:
    """Chains from one module to another whose steps in between are all outside every
    module (and none of them a package that contains modules): for each pair, the canonical
    shortest chains (:meth:`ProjectGraph.shortest_chains`) that are not direct imports."""
    members: dict[str, set[str]] = defaultdict(set)
    for module, owner in owners.items():
        if owner is not None:
            members[owner].add(module)
    # The packages that contain modules are left out: their __init__ runs whenever anything
    # inside them is imported, and an ``import django`` in every corner of Django would
    # otherwise make each module depend on all that django/__init__.py imports.
    containers = {a for module in members for a in ancestors_and_self(module)[1:]}
    outside = {m for m, owner in owners.items() if owner is None and m not in containers}
    found: dict[Pair, list[tuple[str, ...]]] = {}
    for source in sorted(members):
        # The modules outside every module that the source reaches through such modules.
        frontier = sorted(
            {m for member in members[source] for m in graph.imported_by(member)} & outside
        )
        seen = set(frontier)
        targets: set[str] = set()
        while frontier:
            following = []
            for module in frontier:
                for imported in graph.sorted_imported_by(module):
                    owner = owners.get(imported)
                    if imported in outside and imported not in seen:
                        seen.add(imported)
                        following.append(imported)
                    elif owner is not None and owner != source:
                        targets.add(owner)
            frontier = following
        for target in sorted(targets):
            # The search stays within ``within``: the source, what it reaches outside every
            # module, and the target.
            within = seen | members[source] | members[target]
            chains = [
                chain
                for chain in graph.shortest_chains(
                    members[source], members[target], reachable=within
                )
                if len(chain) > 2
            ]
            if chains:
                found[source, target] = chains
    return found


def _undeclared(graph: ProjectGraph, source: str, target: str, ways: list[Dependency]) -> Violation:
    indirect = all(not way.direct for way in ways)
    through = " through code outside every module" if indirect else ""
    return Violation(
        importer=source,
        imported=target,
        summary=f"undeclared dependency: {source} uses {target}{through}, which is not in "
        f"its depends_on; {UNDECLARED_FIX}",
        chains=tuple(sorted(Chain.of(graph, way.modules) for way in ways)),
    )


def _deprecated_warning(graph: ProjectGraph, source: str, target: str, way: Dependency) -> str:
    chain = Chain.of(graph, way.modules)
    first = chain.links[0]
    code = f" ({quote_source(first.code)})" if first.code else ""
    through = "" if way.direct else f" (through {chain})"
    return (
        f"deprecated dependency: {source} uses {target}{through} at {first.location}{code}; "
        f"remove the import, then drop '{target}' from {source}'s deprecated"
    )


def _rebound(model: CodeModel, package: str) -> frozenset[str]:
    """The submodules of ``package`` whose name its ``__init__`` binds to something else
    (``from .array import array``): ``from package import array`` gives that, not the
    submodule, as Python gives a name the package binds before looking for a submodule."""
    if package not in model.modules:
        return frozenset()
    return frozenset(
        name for name, bound in model.modules[package].names if bound != f"{package}.{name}"
    )


def _is_dunder(name: str) -> bool:
    """``__all__``, ``__version__``: a module's metadata, not its code."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _link_at(graph: ProjectGraph, importer: str, imported: str, line: int) -> Link:
    """The import of a name of ``imported`` by ``importer`` at ``line`` (the code model's
    line; grimp may have recorded it as an import of the submodule of that name)."""
    lines = [
        (number, text)
        for module in sorted(graph.imported_by(importer))
        if module == imported or module.rpartition(".")[0] == imported
        for number, text in graph.import_lines(importer, module)
    ]
    code = next((text for number, text in lines if number == line), "")
    return Link(
        importer=importer,
        imported=imported,
        line_numbers=(line,),
        file=graph.file_of(importer),
        code=code.strip(),
    )


def exported_names(model: CodeModel, module: str) -> frozenset[str] | None:
    """The names ``module`` exports (:meth:`CodeModel.public_names`): its ``__all__``,
    evaluated statically (another module's ``__all__`` it takes included); without one,
    what ``from module import *`` gives; None when that cannot be known statically."""
    names = model.public_names(module).names
    return None if names is None else frozenset(names)
