"""``layers``: higher layers may import lower ones, never the reverse.

Same options and verdicts as import-linter's layers contract: containers,
independent siblings ``"a | b"``, non-independent siblings ``"a : b"``,
optional layers ``"(a)"``, exhaustive containers.

Beyond import-linter: **closed layers** (``closed_layers``), which the layers
above may not skip over (grimp's ``Layer(closed=True)``). They are named in an
option of their own rather than marked inside the layer strings, so that the
``layers`` list stays exactly import-linter's syntax (a contract copied either
way keeps working, and no new marker can clash with a future import-linter
one), and so that a misspelt name gets a "did you mean".
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from typing import ClassVar, NamedTuple

from fitness.domain.errors import ConfigError, MissingModuleError, RuleError, did_you_mean
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import (
    MODULES,
    CheckedBy,
    governed_by,
    has_wildcard,
    resolve,
    resolve_all,
)
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.support import (
    IgnoringRule,
    Level,
    illegal_dependencies_for_layers,
    violations_from_dependencies,
)
from fitness.domain.violations import Violation

INDEPENDENT = "|"
NON_INDEPENDENT = ":"


class LayerTail(NamedTuple):
    name: str
    optional: bool = False


class Layer(NamedTuple):
    """One entry of the ``layers`` list: one module, or siblings at the same level."""

    tails: tuple[LayerTail, ...]
    independent: bool = True

    @classmethod
    def parse(cls, raw: str) -> Layer:
        if INDEPENDENT in raw and NON_INDEPENDENT in raw:
            raise ConfigError(
                f"layer '{raw}' mixes independent ('|') and non-independent (':') siblings",
                key=("layers",),
            )
        separator = NON_INDEPENDENT if NON_INDEPENDENT in raw else INDEPENDENT
        tails = []
        for item in (part.strip() for part in raw.split(separator)):
            optional = item.startswith("(") and item.endswith(")")
            name = item[1:-1].strip() if optional else item
            if not name:
                raise ConfigError(f"layer '{raw}' has an empty module name", key=("layers",))
            tails.append(LayerTail(name, optional))
        return cls(tuple(tails), independent=separator == INDEPENDENT)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tails)

    def __str__(self) -> str:
        separator = f" {INDEPENDENT} " if self.independent else f" {NON_INDEPENDENT} "
        return separator.join(f"({t.name})" if t.optional else t.name for t in self.tails)


@dataclass(frozen=True, kw_only=True)
class LayersRule(IgnoringRule):
    """Each layer may import the layers below it, never those above."""

    type_name = "layers"
    #: import-linter keeps a contract of one layer (it checks nothing); fitness refuses it,
    #: except in an import-linter configuration (:class:`ImportLinterLayersRule`).
    single_allowed: ClassVar[bool] = False
    how_to_fix = (
        "A lower layer must not depend on a higher one. Move the code to the layer it "
        "belongs in, or invert the dependency: declare an interface (a port) in the lower "
        "layer and implement it in the higher one. As a last resort, list the import in "
        "ignore_imports. A layer that skips over a closed layer must call through it instead."
    )

    layers: tuple[str, ...] = option(
        doc="from highest to lowest; 'a | b' independent siblings, 'a : b' siblings that "
        "may import each other, '(a)' optional",
        names=CheckedBy(method="layer_mistakes"),
    )
    containers: tuple[str, ...] = option(
        (),
        doc="packages in which the layers repeat; layer names are then relative to each",
        names=MODULES,
    )
    exhaustive: bool = option(False, doc="every child of every container must be a layer")
    exhaustive_ignores: tuple[str, ...] = option(
        (), doc="children of containers that need not be layers when exhaustive"
    )
    closed_layers: tuple[str, ...] = option(
        (),
        doc="layers (named as in 'layers') that the layers above may not skip over: "
        "they must go through them to reach the layers below",
    )

    def __post_init__(self) -> None:
        if not self.layers:
            raise ConfigError("option 'layers' must name at least one layer", key=("layers",))
        if (
            len(self.layers) == 1
            and len(self.parsed_layers[0].tails) < 2
            and not self.exhaustive
            and not self.single_allowed
        ):
            raise ConfigError(
                f"option 'layers' names one layer ({self.layers[0]!r}); a layers rule needs "
                "at least two (or one of several independent siblings, 'a | b'): one layer "
                "alone checks nothing",
                key=("layers",),
            )
        seen: set[str] = set()
        for layer in self.parsed_layers:
            repeated = seen & set(layer.names) or {
                n for n in layer.names if layer.names.count(n) > 1
            }
            if repeated:
                raise ConfigError(
                    f"a module cannot be in more than one layer: {join_names(sorted(repeated))}",
                    key=("layers",),
                )
            seen.update(layer.names)
        contained = sorted((a, b) for a in seen for b in seen if a != b and in_package(b, a))
        if contained:
            pairs = ", ".join(f"'{a}' contains '{b}'" for a, b in contained)
            raise ConfigError(f"layers cannot contain other layers: {pairs}", key=("layers",))
        self._check_closed_layers()
        if self.exhaustive and not self.containers:
            raise ConfigError(
                "option 'exhaustive' needs 'containers' (the packages whose children "
                "must all be layers)",
                key=("exhaustive",),
            )

    def _check_closed_layers(self) -> None:
        layers = self.parsed_layers
        for name in self.closed_layers:
            index = self._layer_index(name)
            if index is None:
                hint = did_you_mean(name, [n for layer in layers for n in layer.names])
                raise ConfigError(
                    f"closed_layers: '{name}' is not one of the layers{hint}",
                    key=("closed_layers",),
                )
            if index in (0, len(layers) - 1):
                where = "highest" if index == 0 else "lowest"
                raise ConfigError(
                    f"closed_layers: '{name}' is the {where} layer; closing it has no effect "
                    "(only a layer with layers above and below it can be skipped over)",
                    key=("closed_layers",),
                )

    def _layer_index(self, name: str) -> int | None:
        """The index of the layer that ``name`` (a module of it, or the whole entry) names."""
        try:
            names = set(Layer.parse(name).names)
        except ConfigError:
            return None
        for index, layer in enumerate(self.parsed_layers):
            if names == set(layer.names) or (len(names) == 1 and names <= set(layer.names)):
                return index
        return None

    @property
    def parsed_layers(self) -> tuple[Layer, ...]:
        return tuple(Layer.parse(raw) for raw in self.layers)

    @property
    def closed_indexes(self) -> frozenset[int]:
        return frozenset(
            index for name in self.closed_layers if (index := self._layer_index(name)) is not None
        )

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        """The layers (in each container)."""
        names = [n for layer in self.parsed_layers for n in layer.names]
        if not self.containers:
            return governed_by(graph, names)
        containers = self._named_containers(graph)
        return governed_by(graph, [f"{c}.{n}" for c in sorted(containers) for n in names])

    def _named_containers(self, graph: ProjectGraph) -> set[str]:
        found: set[str] = set()
        for expression in self.containers:
            if has_wildcard(expression):
                with contextlib.suppress(RuleError):
                    found |= resolve(graph, expression, option="containers")
            elif expression in graph:
                found.add(expression)
        return found

    def describe(self) -> str:
        order = " > ".join(
            f"({layer})" if len(layer.tails) > 1 else str(layer) for layer in self.parsed_layers
        )
        where = f" in {join_names(self.containers)}" if self.containers else ""
        closed = ""
        if self.closed_layers:
            names = [str(self.parsed_layers[i]) for i in sorted(self.closed_indexes)]
            closed = f", and not skip over {join_names(names)} (closed)"
        return f"Layers {order}{where}: each layer may import only the layers below it{closed}"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        layers = self.parsed_layers
        containers = resolve_all(graph, self.containers, option="containers")
        if containers:
            for container in sorted(containers):
                self._check_container(graph, container)
        else:
            for layer in layers:
                for tail in layer.tails:
                    if not tail.optional and tail.name not in graph:
                        hint = graph.missing_hint(tail.name)
                        raise MissingModuleError(
                            f"layers: module '{tail.name}' is not in the graph{hint}",
                            module=tail.name,
                        )

        closed = self.closed_indexes
        dependencies = illegal_dependencies_for_layers(
            graph,
            [
                Level(layer.names, independent=layer.independent, closed=i in closed)
                for i, layer in enumerate(layers)
            ],
            containers,
        )
        violations = [
            self._explain_skip(violation, containers)
            for violation in violations_from_dependencies(graph, dependencies)
        ]
        violations += self._undeclared_modules(graph, containers)
        return Findings.of(violations, warnings)

    def _explain_skip(self, violation: Violation, containers: set[str]) -> Violation:
        """Say which closed layer a higher layer skipped over when it imported a lower one."""
        if not self.closed_layers:
            return violation
        importer = self._index_of_module(violation.importer, containers)
        imported = self._index_of_module(violation.imported, containers)
        if importer is None or imported is None or importer >= imported:
            return violation
        layers = self.parsed_layers
        skipped = [str(layers[i]) for i in sorted(self.closed_indexes) if importer < i < imported]
        if not skipped:
            return violation
        return replace(
            violation,
            summary=f"{violation.summary} (it must go through the closed layer "
            f"{join_names(skipped, 'or')})",
        )

    def _index_of_module(self, module: str, containers: set[str]) -> int | None:
        prefixes = [f"{c}." for c in containers] or [""]
        for index, layer in enumerate(self.parsed_layers):
            for name in layer.names:
                if any(module == prefix + name for prefix in prefixes):
                    return index
        return None

    def layer_mistakes(self, graph: ProjectGraph) -> list[str]:
        """Each layer that is not optional and not in the graph (in each container that
        is); the containers themselves are checked as an option of their own."""
        mistakes = []
        containers = sorted(c for c in self.containers if not has_wildcard(c) and c in graph)
        for expression in (c for c in self.containers if has_wildcard(c)):
            with contextlib.suppress(RuleError):
                containers += sorted(resolve(graph, expression, option="containers"))
        for layer in self.parsed_layers:
            for tail in (t for t in layer.tails if not t.optional):
                if not self.containers and tail.name not in graph:
                    hint = graph.missing_hint(tail.name)
                    mistakes.append(f"layers: module '{tail.name}' is not in the graph{hint}")
                for container in containers:
                    module = f"{container}.{tail.name}"
                    if module not in graph:
                        hint = did_you_mean(module, graph.grimp.find_children(container))
                        mistakes.append(
                            f"layers: missing layer in container '{container}': "
                            f"module '{module}' is not in the graph{hint}"
                        )
        return mistakes

    def _check_container(self, graph: ProjectGraph, container: str) -> None:
        if not any(in_package(container, root) for root in graph.root_packages):
            raise RuleError(
                f"containers: '{container}' is not inside the root packages "
                f"({join_names(graph.root_packages)})"
            )
        if container not in graph:
            hint = graph.missing_hint(container)
            raise MissingModuleError(
                f"containers: module '{container}' is not in the graph{hint}", module=container
            )
        children = graph.grimp.find_children(container)
        for layer in self.parsed_layers:
            for tail in layer.tails:
                module = f"{container}.{tail.name}"
                if not tail.optional and module not in graph:
                    hint = did_you_mean(module, children)
                    raise MissingModuleError(
                        f"layers: missing layer in container '{container}': "
                        f"module '{module}' is not in the graph{hint}",
                        module=module,
                    )

    def _undeclared_modules(self, graph: ProjectGraph, containers: set[str]) -> list[Violation]:
        if not self.exhaustive:
            return []
        declared = {n for layer in self.parsed_layers for n in layer.names}
        declared |= set(self.exhaustive_ignores)
        return [
            Violation(
                importer=child,
                imported="",
                summary=f"{child} is not declared as a layer (the rule is exhaustive)",
            )
            for container in sorted(containers)
            for child in sorted(graph.grimp.find_children(container))
            if child.rpartition(".")[2] not in declared
        ]


# A plain subclass (no fields of its own, only a class variable): no dataclass
# processing, which would cost an import a millisecond for nothing.
class ImportLinterLayersRule(LayersRule):
    """A ``layers`` contract read from an import-linter configuration: one layer is kept (it
    checks nothing), as import-linter keeps it."""

    single_allowed: ClassVar[bool] = True
