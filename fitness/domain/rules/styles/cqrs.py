"""``cqrs``: command and query responsibility segregation.

The two sides of CQRS (Young, *CQRS Documents*; Dahan, *Clarified CQRS*), each
principle checked as a ``forbidden`` rule (chains of imports, not only direct
ones) and each violation said in CQRS's words:

1. Queries never import the command side: the commands, nor the write model.
2. Commands never import the query side: the queries, nor the read model.
3. Both may use the domain they share, which therefore knows neither side.

``commands`` and ``queries`` may be wildcards (``app.*.commands``), for a
project whose bounded contexts each have their own two sides.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import MODULES, governed_by, has_wildcard, require_in_graph, resolve_all
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.compose import Summary, apart, delegate
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from fitness.domain.rules.support import IgnoringRule
from fitness.domain.violations import Violation


@dataclass(frozen=True, kw_only=True)
class CqrsRule(IgnoringRule):
    """Commands and queries kept apart: queries never reach the command side or the write
    model, commands never reach the query side or the read model."""

    type_name = "cqrs"
    how_to_fix = (
        "Keep the two sides apart. A query reads from the read model, never from the write "
        "model or a command; a command decides on the write model and publishes an event, "
        "from which the read model is updated, and never asks a query. What both need "
        "belongs in the domain they share."
    )

    commands: tuple[str, ...] = option(
        doc="the command side: command handlers (a list; wildcards such as 'app.*.commands')",
        names=MODULES,
    )
    queries: tuple[str, ...] = option(
        doc="the query side: query handlers (a list; wildcards such as 'app.*.queries')",
        names=MODULES,
    )
    read_model: tuple[str, ...] = option(
        (),
        doc="the read model (projections, views): the query side's; commands never import it",
        names=MODULES,
    )
    write_model: tuple[str, ...] = option(
        (),
        doc="the write model (aggregates, repositories): the command side's; queries "
        "never import it",
        names=MODULES,
    )
    domain: tuple[str, ...] = option(
        (),
        doc="the domain both sides share: they may import it, it imports neither side",
        names=MODULES,
    )

    def __post_init__(self) -> None:
        for key in ("commands", "queries"):
            if not getattr(self, key):
                raise ConfigError(f"option '{key}' must name at least one module", key=(key,))
        for key, names in self._parts().items():
            for other_key, others in self._parts().items():
                if key >= other_key:
                    continue
                for name in (n for n in names if not has_wildcard(n)):
                    for other in (o for o in others if not has_wildcard(o)):
                        if in_package(name, other) or in_package(other, name):
                            raise ConfigError(
                                f"option '{key}' ({name}) overlaps '{other_key}' ({other}); "
                                "the sides of CQRS are separate modules",
                                key=(key,),
                            )

    def _parts(self) -> dict[str, tuple[str, ...]]:
        return {
            "commands": self.commands,
            "queries": self.queries,
            "read_model": self.read_model,
            "write_model": self.write_model,
            "domain": self.domain,
        }

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return governed_by(
            graph, self.commands, self.queries, self.read_model, self.write_model, self.domain
        )

    def describe(self) -> str:
        reads = self.read_model
        writes = self.write_model
        query_side = join_names([*self.commands, *writes], "or")
        command_side = join_names([*self.queries, *reads], "or")
        text = (
            f"Commands and queries are segregated: the queries {join_names(self.queries)} "
            f"never import {query_side}, the commands {join_names(self.commands)} never "
            f"import {command_side}"
        )
        if self.domain:
            text += f", and the domain they share, {join_names(self.domain)}, imports neither"
        return text

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        parts = {key: resolve_all(graph, names, option=key) for key, names in self._parts().items()}
        for key, modules in parts.items():
            require_in_graph(graph, modules, option=key)
        keys = list(parts)
        for index, key in enumerate(keys):
            for other_key in keys[index + 1 :]:
                for name in sorted(parts[key]):
                    for other in sorted(parts[other_key]):
                        if in_package(name, other) or in_package(other, name):
                            overlap = (
                                f"is in {other_key} too"
                                if name == other
                                else f"overlaps {other_key} '{other}'"
                            )
                            raise RuleError(
                                f"{key}: '{name}' {overlap}; the sides of CQRS are separate modules"
                            )
        commands, queries = parts["commands"], parts["queries"]
        reads, writes = parts["read_model"], parts["write_model"]
        read_from = (
            f"read from the read model ({join_names(sorted(reads), 'or')})"
            if reads
            else "read from a read model"
        )
        decide_on = (
            f"decide on the write model ({join_names(sorted(writes), 'or')})"
            if writes
            else "decide on the write model"
        )
        # Each breach is reported once, where it is made: a chain through the shared
        # domain is the domain's breach, one through the other side (or its model) that
        # side's (or that model's), one through another forbidden module that module's.
        domain = parts["domain"]
        violations = [
            *self._forbid(
                graph,
                queries,
                commands,
                through=writes | domain,
                summary=lambda v: (
                    f"the query side {v.importer} imports the command side {v.imported}: "
                    f"queries must not import commands: {read_from}"
                ),
            ),
            *self._forbid(
                graph,
                queries,
                writes,
                through=commands | domain,
                summary=lambda v: (
                    f"the query side {v.importer} reads the write model {v.imported}: "
                    f"queries must not touch the write model: {read_from}"
                ),
            ),
            *self._forbid(
                graph,
                commands,
                queries,
                through=reads | domain,
                summary=lambda v: (
                    f"the command side {v.importer} imports the query side {v.imported}: "
                    f"commands must not import queries: {decide_on}, not on what a query returns"
                ),
            ),
            *self._forbid(
                graph,
                commands,
                reads,
                through=queries | domain,
                summary=lambda v: (
                    f"the command side {v.importer} reads the read model {v.imported}: "
                    f"the read model is the queries' and lags behind the writes: {decide_on}"
                ),
            ),
            *self._forbid(
                graph,
                domain,
                commands | queries | reads | writes,
                summary=lambda v: (
                    f"the shared domain {v.importer} imports {self._side(v.imported, parts)} "
                    f"{v.imported}: both sides use the domain, so it may know neither; move this "
                    "code out of the domain, to the side that needs it"
                ),
            ),
        ]
        return Findings.of(violations, warnings)

    def _forbid(
        self,
        graph: ProjectGraph,
        sources: set[str],
        targets: set[str],
        *,
        summary: Summary,
        through: Collection[str] = (),
    ) -> list[Violation]:
        """The ``forbidden`` rule sources -> targets, its violations reworded. Chains
        through ``through`` are reported as reaching those: they are left out here (the
        imports into them are, so that no chain around them is hidden behind one
        through them). So are chains through another of the ``sources`` (a side matched
        by a wildcard, ``app.*.queries``, is many modules): that one's breach; and chains
        through another of the ``targets`` (``views -> repository -> model``, both the
        write model's): reported as reaching the first."""
        if not targets:
            return []
        return [
            violation
            for source in sorted(sources)
            for violation in delegate(
                self,
                ForbiddenRule,
                source_modules=(source,),
                forbidden_modules=tuple(sorted(targets)),
            )
            .without_imports_into(sorted({*through, *apart(source, sources)}))
            .without_chains_through(sorted(targets))
            .reworded(summary)
            .violations(graph)
        ]

    @staticmethod
    def _side(module: str, parts: dict[str, set[str]]) -> str:
        names = {
            "commands": "the command side",
            "queries": "the query side",
            "read_model": "the read model",
            "write_model": "the write model",
        }
        return next(
            text
            for key, text in names.items()
            if any(in_package(module, m) or module == m for m in parts[key])
        )
