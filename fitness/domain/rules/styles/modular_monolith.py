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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fitness._lazy import LazyModule
from fitness.domain.errors import (
    ConfigError,
    MissingModuleError,
    RuleError,
    combined,
    did_you_mean,
    rule_error,
)
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import MODULES, governed_by, has_wildcard, require_in_graph
from fitness.domain.options import option
from fitness.domain.rendering import quote_source
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.imports.acyclic import DEFAULT_MAX_CYCLES, shortest_cycles
from fitness.domain.rules.styles.monolith_dependencies import (
    Dependency,
    Pair,
    dependencies_between,
    owners_of,
)
from fitness.domain.rules.styles.monolith_interfaces import (
    Interfaces,
    attribute_imports,
    interface_bypasses,
    symbol_bypasses,
)
from fitness.domain.rules.support import INTERNAL_DESCENDANTS, IgnoringRule, require_internal
from fitness.domain.violations import Chain, Violation

if TYPE_CHECKING:
    import networkx as nx
else:  # (about 80 ms to import, and few runs need it: imported on first use)
    nx = LazyModule("networkx")

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
        owners = owners_of(graph, declared)
        dependencies = dependencies_between(graph, owners, indirect=self.indirect)
        interfaces = self._interfaces()
        attributes = attribute_imports(graph, interfaces, dependencies)

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
        bypasses = interface_bypasses(graph, interfaces, dependencies, attributes)
        by_name, unknown = (
            symbol_bypasses(graph, interfaces, owners, attributes) if self.symbols else ([], [])
        )
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

    def _interfaces(self) -> Interfaces:
        return {name: spec.interface for name, spec in self.modules.items()}

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

    def _cycles(
        self, graph: ProjectGraph, dependencies: Mapping[Pair, list[Dependency]]
    ) -> tuple[list[Violation], bool]:
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
