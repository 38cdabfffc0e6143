"""Helpers shared by the rule types: ignored imports, and chains from grimp routes."""

from __future__ import annotations

import functools
import itertools
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import grimp
from grimp.exceptions import GrimpException

from fitness.domain.errors import RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import invalid_expression
from fitness.domain.options import option
from fitness.domain.rules.base import AlertLevel, Rule
from fitness.domain.violations import Chain, Link, Violation

#: The standard library's top-level modules: what a pure module may import.
STANDARD_LIBRARY = frozenset(sys.stdlib_module_names) | {"__future__"}


def apply_ignores(
    graph: ProjectGraph, expressions: Iterable[str], alerting: AlertLevel = "error"
) -> tuple[ProjectGraph, tuple[str, ...]]:
    """The graph without the imports that ``ignore_imports`` names, and any warnings.

    An expression that matches no import is an error (the default, as in
    import-linter), a warning, or nothing, as ``alerting`` says.
    """
    to_remove: set[tuple[str, str]] = set()
    unmatched: list[str] = []
    for expression in expressions:
        importer, arrow, imported = (part.strip() for part in expression.partition("->"))
        if not arrow or not importer or not imported or "->" in imported:
            raise RuleError(
                f"ignore_imports: '{expression}' is not an import expression; "
                "write 'importer -> imported' (wildcards * and ** are allowed)"
            )
        # Spaces around the arrow do not matter (grimp wants exactly one on each side).
        try:
            matches = graph.grimp.find_matching_direct_imports(
                import_expression=f"{importer} -> {imported}"
            )
        except (GrimpException, ValueError):
            problems = [
                f"the {side} '{name}': {problem}"
                for side, name in (("importer", importer), ("imported", imported))
                if (problem := invalid_expression(graph, name))
            ]
            raise RuleError(
                f"ignore_imports: '{expression}' is not a valid import expression: "
                + ("; ".join(problems) or "write 'importer -> imported'")
            ) from None
        if matches:
            to_remove.update((m["importer"], m["imported"]) for m in matches)
        elif expression not in unmatched:
            unmatched.append(expression)

    messages = []
    for expression in unmatched:
        importer = expression.partition("->")[0].strip()
        hint = "" if "*" in importer or importer in graph else graph.missing_hint(importer)
        messages.append(f"ignore_imports: '{expression}' matches no import{hint}")
    if messages and alerting == "error":
        raise RuleError(
            "\n".join(messages)
            + '\n(remove the stale entry, or set unmatched_ignore_imports_alerting = "warn")'
        )
    warnings = tuple(messages) if alerting == "warn" else ()
    if not to_remove:
        return graph, warnings
    return graph.without_imports(to_remove), warnings


@dataclass(frozen=True, kw_only=True)
class IgnoringRule(Rule):
    """A rule type about imports, with import-linter's ``ignore_imports`` options:
    its :meth:`evaluate` starts from :meth:`without_ignored_imports`."""

    ignore_imports: tuple[str, ...] = option(
        (), doc="imports to ignore: 'a -> b', wildcards * **", listed_last=True
    )
    unmatched_ignore_imports_alerting: AlertLevel = option(
        "error", doc="what an ignore_imports entry that matches nothing does", listed_last=True
    )

    def without_ignored_imports(self, graph: ProjectGraph) -> tuple[ProjectGraph, tuple[str, ...]]:
        """The graph without the ignored imports, and the warnings about entries that
        match nothing (:func:`apply_ignores`)."""
        return apply_ignores(graph, self.ignore_imports, self.unmatched_ignore_imports_alerting)


#: An option that takes one name or a list of them (``composition_root``,
#: ``should_implement``): the configuration may write either.
OneOrMore = str | tuple[str, ...]


def one_or_more(value: OneOrMore) -> tuple[str, ...]:
    """The names an option of type :data:`OneOrMore` gives, as a tuple (``""``, what such
    options defaulted to when they took one name, is none)."""
    if isinstance(value, str):
        return (value,) if value else ()
    return tuple(value)


INTERNAL_CHILDREN = ("children", "name a package inside the root packages")
INTERNAL_DESCENDANTS = ("descendants", "name a package inside the root packages")


def require_internal(
    graph: ProjectGraph, modules: Iterable[str], *, option: str, needs: tuple[str, str]
) -> None:
    """Raise a :class:`RuleError` for the first of ``modules`` that is an external package
    where the rule needs what is under it: ``needs`` is what ("children") and what to do
    instead. The graph holds an external package as one module, with nothing under it."""
    for module in sorted(modules):
        if not graph.is_internal(module):
            what, instead = needs
            roots = ", ".join(graph.root_packages)
            raise RuleError(
                f"{option}: '{module}' is an external package, a single module in the graph "
                f"without {what}; {instead} ({roots})"
            )


def chains_from_route(
    graph: ProjectGraph,
    route: grimp.Route,
    link: Callable[[str, str], Link] | None = None,
) -> list[Chain]:
    """The chains one grimp route stands for, with its extra heads and tails attached.

    ``link(importer, imported)`` makes each :class:`Link` (default ``Link.of(graph, ...)``).
    """
    if link is None:
        link = functools.partial(Link.of, graph)
    heads = sorted(route.heads)
    tails = sorted(route.tails)
    if not route.middle:
        return [
            Chain((link(head, tail),))
            for head in heads
            for tail in tails
            if graph.grimp.direct_import_exists(importer=head, imported=tail)
        ]
    modules = [heads[0], *route.middle, tails[0]]
    return [
        Chain(
            links=tuple(link(a, b) for a, b in itertools.pairwise(modules)),
            extra_firsts=tuple(link(head, route.middle[0]) for head in heads[1:]),
            extra_lasts=tuple(link(route.middle[-1], tail) for tail in tails[1:]),
        )
    ]


class Level(NamedTuple):
    """One layer as grimp's ``Layer``: its module names, and how they may import each other."""

    names: tuple[str, ...]
    independent: bool = True
    closed: bool = False


def illegal_dependencies_for_layers(
    graph: ProjectGraph, levels: Sequence[Level], containers: Iterable[str] = ()
) -> list[grimp.PackageDependency]:
    """grimp's ``find_illegal_dependencies_for_layers`` with the same verdicts, whose
    routes are chosen canonically (:meth:`ProjectGraph.shortest_chains`): the same
    imports give the same routes, whatever order grimp holds the modules in."""
    dependencies = []
    prefixes = [f"{container}." for container in sorted(containers)] or [""]
    for prefix in prefixes:
        layers = [
            (
                sorted(module for name in level.names if (module := prefix + name) in graph),
                level.independent,
                level.closed,
            )
            for level in levels
        ]
        members = {m: graph.with_descendants(m) for modules, _, _ in layers for m in modules}
        every_layer = set().union(*members.values())
        upstream: dict[str, set[str]] = {}  # what each layer module reaches, by grimp
        for importer, imported in sorted(_illegal_pairs(layers)):
            reachable = upstream.get(importer)
            if reachable is None:
                reachable = upstream[importer] = graph.grimp.find_upstream_modules(
                    importer, as_package=True
                )
            sources, targets = members[importer], members[imported]
            if reachable.isdisjoint(targets):  # no chain at all, through other layers or not
                continue
            excluded = frozenset(every_layer - sources - targets)
            routes = []
            for chain in graph.shortest_chains(
                sources, targets, excluded=excluded, reachable=reachable
            ):
                if len(chain) == 2:
                    routes.append(grimp.Route(frozenset(chain[:1]), (), frozenset(chain[1:])))
                    continue
                middle = chain[1:-1]
                heads = frozenset(graph.importers_of(middle[0]) & sources)
                tails = frozenset(graph.imported_by(middle[-1]) & targets)
                routes.append(grimp.Route(heads, middle, tails))
            if routes:
                dependencies.append(grimp.PackageDependency(importer, imported, frozenset(routes)))
    return dependencies


def _illegal_pairs(layers: list[tuple[list[str], bool, bool]]) -> set[tuple[str, str]]:
    """(importer, imported) pairs of layer modules that may not depend on each other."""
    pairs: set[tuple[str, str]] = set()
    for index, (modules, independent, _) in enumerate(layers):
        for module in modules:
            for lower, _, _ in layers[index + 1 :]:
                pairs.update((below, module) for below in lower)
            if independent:
                pairs.update((module, sibling) for sibling in modules if sibling != module)
            closed = False
            for higher, _, higher_closed in reversed(layers[:index]):
                if closed:
                    pairs.update((above, module) for above in higher)
                closed |= higher_closed
    return pairs


def violations_from_dependencies(
    graph: ProjectGraph, dependencies: Iterable[grimp.PackageDependency]
) -> list[Violation]:
    """One violation per illegal package dependency that grimp reports."""
    violations = []
    # Routes share imports (SymPy's layers: 4,100 links, 1,600 distinct), and a Link is
    # immutable: each is made once.
    links: dict[tuple[str, str], Link] = {}

    def link(importer: str, imported: str) -> Link:
        made = links.get((importer, imported))
        if made is None:
            made = links[importer, imported] = Link.of(graph, importer, imported)
        return made

    for dependency in dependencies:
        chains = sorted(
            chain for route in dependency.routes for chain in chains_from_route(graph, route, link)
        )
        violations.append(
            Violation(
                importer=dependency.importer,
                imported=dependency.imported,
                summary=f"{dependency.importer} is not allowed to import {dependency.imported}",
                chains=tuple(chains),
            )
        )
    return violations
