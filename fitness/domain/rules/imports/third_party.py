"""The third-party imports of a graph, each with the distributions it comes from, and
which declarations are production ones: what the ``dependencies`` rule type judges.

Pure: the graph (with external packages) and the metadata values of
:mod:`fitness.domain.dependencies`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import NamedTuple

from fitness.domain.dependencies import (
    Declaration,
    Declarations,
    Environment,
    imported_modules,
    normalise,
)
from fitness.domain.graph import ProjectGraph
from fitness.domain.rules.base import join_names
from fitness.domain.rules.support import STANDARD_LIBRARY

#: Names no distribution provides that the standard library's list leaves out: the
#: running program (``import __main__``), and typeshed's, for type checkers only.
NOT_DISTRIBUTED = frozenset({"__main__", "_typeshed"})


class Site(NamedTuple):
    """The imports by one module of one third-party import name that come from the same
    distributions (the lines of one namespace package may not)."""

    importer: str
    imported: str
    lines: tuple[int, ...]
    code: str
    distributions: tuple[str, ...]
    #: No installed distribution provides the name, nor does the configured table: the
    #: distribution is guessed from the name (compared PEP 503 normalised).
    guessed: bool

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(normalise(d) for d in self.distributions)


def is_third_party(graph: ProjectGraph, module: str, local: Collection[str]) -> bool:
    """Neither in the root packages, the standard library, the project's own top-level
    modules (``local``) nor :data:`NOT_DISTRIBUTED`."""
    if graph.is_internal(module):
        return False
    top = module.partition(".")[0]
    return top not in STANDARD_LIBRARY and top not in local and top not in NOT_DISTRIBUTED


class Resolver:
    """Which distributions an import comes from: the configured table (import name ->
    distribution), else the installed distributions, else a guess from the name (the
    longest dotted part of it a declaration names, ``zope.interface``, else its top)."""

    def __init__(
        self,
        environment: Environment,
        configured: Mapping[str, str] | None = None,
        declared: Mapping[str, str] | None = None,
    ) -> None:
        self.environment = environment
        self.configured = dict(configured or {})
        #: Declared distributions, normalised name -> name as written.
        self.declared = dict(declared or {})

    def distributions(self, names: Iterable[str]) -> tuple[tuple[str, ...], bool]:
        """The distributions of the modules ``names`` (under one top-level name), and
        whether any of them is only guessed."""
        found: list[str] = []
        guessed = False
        for name in names:
            parts = name.split(".")
            prefixes = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
            mapped = next((self.configured[p] for p in prefixes if p in self.configured), None)
            if mapped is not None:
                found.append(mapped)
                continue
            providers = self.environment.providers(name)
            if providers:
                found.extend(providers)
                continue
            match = next((p for p in prefixes if normalise(p) in self.declared), None)
            found.append(self.declared[normalise(match)] if match else parts[0])
            guessed = True
        return tuple(sorted(set(found), key=normalise)), guessed


def third_party_sites(
    graph: ProjectGraph, resolver: Resolver, local: Collection[str]
) -> list[Site]:
    """Every import of a third-party name by an internal module, each line resolved on its
    own and the lines of the same distributions kept together, in order."""
    sites = []
    for importer in sorted(graph.internal_modules):
        for imported in graph.sorted_imported_by(importer):
            if not is_third_party(graph, imported, local):
                continue
            by_source: dict[tuple[tuple[str, ...], bool], list[tuple[int | None, str]]] = {}
            for number, code in graph.import_lines(importer, imported) or [(None, "")]:
                names = imported_modules(code, imported) if code else (imported,)
                by_source.setdefault(resolver.distributions(names), []).append((number, code))
            for (distributions, guessed), lines in sorted(by_source.items()):
                numbers = tuple(n for n, _ in lines if n is not None)
                sites.append(Site(importer, imported, numbers, lines[0][1], distributions, guessed))
    return sites


class DeclaredKinds:
    """Which declarations are production ones and which development-only: extras named
    in ``development_extras`` and dependency groups not in ``production_groups`` are
    development-only, as are development requirements files."""

    def __init__(
        self,
        declared: Declarations,
        *,
        development_extras: Iterable[str],
        production_groups: Iterable[str],
    ) -> None:
        self._development_extras = {normalise(name) for name in development_extras}
        self._production_groups = {normalise(name) for name in production_groups}
        self.declarations = declared.declarations
        self._production: dict[str, list[Declaration]] = {}
        self._development: dict[str, list[Declaration]] = {}
        for declaration in declared.declarations:
            target = self._production if self.production(declaration) else self._development
            target.setdefault(declaration.key, []).append(declaration)

    def production(self, declaration: Declaration) -> bool:
        if declaration.kind == "extra":
            return normalise(declaration.group) not in self._development_extras
        if declaration.kind == "group":
            return normalise(declaration.group) in self._production_groups
        return declaration.kind in ("dependencies", "requirements")

    def declared(self, keys: Iterable[str]) -> bool:
        return any(k in self._production or k in self._development for k in keys)

    def declared_for_production(self, keys: Iterable[str]) -> bool:
        return any(k in self._production for k in keys)

    def development_sections(self, keys: Iterable[str]) -> str:
        return join_names(sorted({d.section for k in keys for d in self._development.get(k, [])}))

    def declared_extras(self, *, production_only: bool = False) -> dict[str, tuple[str, ...]]:
        """Every declared distribution (normalised; only the production ones if asked)
        and the extras asked of it."""
        extras: dict[str, set[str]] = {}
        for declaration in self.declarations:
            if production_only and not self.production(declaration):
                continue
            extras.setdefault(declaration.key, set()).update(declaration.extras)
        return {key: tuple(sorted(found)) for key, found in extras.items()}


def normalised_keys(names: Iterable[str]) -> set[str]:
    """The names, PEP 503 normalised."""
    return {normalise(name) for name in names}


def distribution_label(imported: str, distributions: tuple[str, ...]) -> str:
    """``requests``; ``PyYAML (imported as yaml)``."""
    named = join_names(distributions, "or")
    if {normalise(d) for d in distributions} == {normalise(imported)}:
        return named
    return f"{named} (imported as {imported})"
