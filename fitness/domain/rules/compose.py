"""How an architecture style is composed of the other rule types.

A style (``hexagonal``, ``cqrs``, ``onion``...) states a few principles, and checks
each with a rule of another type (``forbidden``, ``layers``, ``independence``,
``protected``), its delegate, saying the delegate's violations in the style's
words. ArchUnit's architectures are built the same way: ``onionArchitecture()`` is
one layered architecture, named with ``as()``. A principle reads::

    delegate(self, ForbiddenRule, source_modules=(domain,), forbidden_modules=frameworks)
        .reworded(lambda v: f"the domain imports the framework {v.imported}")
        .violations(graph)

When two principles of a style could report the same breach, each says which chains
are its own, in one of two ways:

- :meth:`Delegate.without_imports_into` leaves the imports into some modules out of
  the graph before the delegate checks it: no chain through them is found (they are
  reported as reaching those modules), and a chain around them still is;
- :meth:`Delegate.without_chains_through` drops, from what the delegate found, the
  chains whose steps in between run through some modules (reported where they
  enter them), and a violation left with no chain.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any

from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.rules.base import Findings, Rule
from fitness.domain.rules.support import IgnoringRule
from fitness.domain.violations import Chain, Violation

#: Says a violation in the style's words: its new summary.
Summary = Callable[[Violation], str]
#: Says one chain of a violation in the style's words.
ChainSummary = Callable[[Violation, Chain], str]
#: The modules a violation's chains may not run through (the same for every violation,
#: or depending on it).
Modules = Collection[str] | Callable[[Violation], Collection[str]]


def delegate(style: Rule, rule_type: type[IgnoringRule], **options: Any) -> Delegate:
    """A principle of ``style`` checked by a rule of ``rule_type`` with ``options``.

    The delegate has the style's name and ignores no import: it checks the graph the
    style has already taken its ``ignore_imports`` out of (an entry that matches
    nothing is the style's warning, said once)."""
    rule = rule_type(name=style.name, unmatched_ignore_imports_alerting="none", **options)
    return Delegate(rule)


@dataclass(frozen=True)
class Delegate:
    """A rule of another type checked for a style, its violations said in the style's
    words. Immutable: each refinement returns a new delegate."""

    rule: Rule
    summary: Summary | None = None
    chain_summary: ChainSummary | None = None
    #: Replaces the delegate's guidance in :meth:`evaluate`'s findings (``None``: kept).
    how_to_fix: str | None = None
    #: Modules the imports into are left out of the graph before the rule checks it.
    entered: tuple[str, ...] = ()
    #: Modules a chain may not run through (see :meth:`without_chains_through`).
    through: tuple[Modules, ...] = ()

    def reworded(self, summary: Summary, *, how_to_fix: str | None = None) -> Delegate:
        """Each violation's summary is ``summary(violation)`` (its chains already
        narrowed); ``how_to_fix`` replaces the delegate's guidance, if given."""
        return replace(self, summary=summary, chain_summary=None, how_to_fix=how_to_fix)

    def reworded_by_chain(self, summary: ChainSummary) -> Delegate:
        """Each chain of a violation said on its own, ``summary(violation, chain)``: the
        chains said alike make one violation, in the order they come (a violation with
        no chain keeps the delegate's summary)."""
        return replace(self, summary=None, chain_summary=summary)

    def without_imports_into(self, modules: Iterable[str]) -> Delegate:
        """Leave out of the graph every import into ``modules`` (and what is under
        them) from outside them: chains through them are not found, chains around
        them still are."""
        return replace(self, entered=(*self.entered, *modules))

    def without_chains_through(self, modules: Modules) -> Delegate:
        """Drop each chain whose steps in between (not its ends) are in ``modules``, or
        under them; a violation whose chains are all dropped is dropped. ``modules``
        may be a function of the violation."""
        return replace(self, through=(*self.through, modules))

    def evaluate(self, graph: ProjectGraph) -> Findings:
        """The delegate's findings, its violations narrowed and reworded."""
        if self.entered:
            graph = without_imports_into(graph, self.entered)
        found = self.rule.evaluate(graph)
        violations: list[Violation] = []
        for violation in found.violations:
            if self.through:
                chains = chains_not_through(violation.chains, self._through(violation))
                if violation.chains and not chains:
                    continue
                violation = replace(violation, chains=chains)
            violations.extend(self._said(violation))
        guidance = found.guidance if self.how_to_fix is None else self.how_to_fix
        return Findings.of(violations, found.warnings, details=found.details, guidance=guidance)

    def violations(self, graph: ProjectGraph) -> list[Violation]:
        """The violations of :meth:`evaluate` (a style's principle keeps no more)."""
        return list(self.evaluate(graph).violations)

    def _through(self, violation: Violation) -> set[str]:
        return {
            module
            for modules in self.through
            for module in (modules(violation) if callable(modules) else modules)
        }

    def _said(self, violation: Violation) -> list[Violation]:
        if self.summary is not None:
            return [replace(violation, summary=self.summary(violation))]
        if self.chain_summary is None or not violation.chains:
            return [violation]
        by_summary: dict[str, list[Chain]] = {}
        for chain in violation.chains:
            by_summary.setdefault(self.chain_summary(violation, chain), []).append(chain)
        return [
            replace(violation, summary=summary, chains=tuple(chains))
            for summary, chains in by_summary.items()
        ]


def refused_imports(
    graph: ProjectGraph,
    importers: Iterable[str],
    refused: Callable[[str], bool],
    summary: Callable[[str, str], str],
) -> list[Violation]:
    """A principle checked import by import, where no rule type says it (a pure domain,
    plain events): each direct import by one of ``importers`` of a module ``refused``
    names is a violation, ``summary(importer, imported)``, its import the one chain."""
    return [
        Violation(
            importer,
            imported,
            summary(importer, imported),
            (Chain.of(graph, (importer, imported)),),
        )
        for importer in sorted(importers)
        for imported in sorted(graph.grimp.find_modules_directly_imported_by(importer))
        if refused(imported)
    ]


def apart(module: str, modules: Iterable[str]) -> list[str]:
    """The other parts of a side: those of ``modules`` neither inside ``module`` nor
    around it (the other matches of a wildcard, ``app.*.queries``), in order."""
    return sorted(m for m in modules if not in_package(m, module) and not in_package(module, m))


def without_imports_into(graph: ProjectGraph, modules: Iterable[str]) -> ProjectGraph:
    """``graph`` without the imports into ``modules`` (each with its descendants) from
    modules outside them."""
    members = {member for module in modules for member in graph.with_descendants(module)}
    if not members:
        return graph
    return graph.without_imports(
        (importer, imported)
        for imported in sorted(members)
        for importer in graph.importers_of(imported)
        if importer not in members
    )


def chains_not_through(chains: Iterable[Chain], modules: Collection[str]) -> tuple[Chain, ...]:
    """The chains none of whose steps in between is one of ``modules`` or under one."""
    return tuple(
        chain
        for chain in chains
        if not any(in_package(m, o) for m in chain.modules[1:-1] for o in modules)
    )
