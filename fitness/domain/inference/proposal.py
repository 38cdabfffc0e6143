"""What ``fitness init`` proposes: the architecture a codebase has today, and the one
its layout shows.

Two sources of rules:

- the *layouts* recognised from names and imports (:mod:`.recognition`): ports
  and adapters, onion, clean architecture, CQRS, events, modular monoliths and
  bounded contexts, Django projects, layered web services, each with the rules
  of its style;
- what the imports say alone: for each package down to ``max_layers_depth``,
  its children in the order they reach each other (:mod:`.layering`), no cycles
  between a root package's children, independent children, independent root
  packages.

Every candidate is built with the real rule class and checked against the
graph, exactly as ``fitness check`` will check it. Without a backlog, a rule
is proposed only if it holds today (a style's looser variants are tried in
turn). With a backlog (``fitness init --baseline``), a style's tightest rule is
proposed wherever it can be checked, even where today's code breaks it, and the
command records the violations in the baseline. Either way, a layering of
today's imports is never proposed where it runs the wrong way round for a
recognised style (it would lock in the service layer importing an adapter), nor
for autonomous siblings (modules are not layers of each other), and test
packages, entry points and migrations are never layers.

Pure: it reads the graph and returns a proposal; writing files is the command's
job (:mod:`.toml_text` renders it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.inference.candidates import Candidate, Recognition
from fitness.domain.inference.layering import child_graph, layering, packages_below, wrong_way
from fitness.domain.inference.recognition import recognise
from fitness.domain.inference.vocabulary import not_a_layer
from fitness.domain.options import build_rule

if TYPE_CHECKING:
    from fitness.domain.rules.base import Rule
    from fitness.domain.violations import RuleResult


@dataclass(frozen=True)
class ProposedRule:
    name: str
    type: str
    options: dict[str, Any] = field(default_factory=dict)
    because: str = ""

    def raw(self) -> dict[str, Any]:
        """The rule as its ``[[tool.fitness.rules]]`` table."""
        table: dict[str, Any] = {"name": self.name, "type": self.type, **self.options}
        if self.because:
            table["because"] = self.because
        return table


@dataclass(frozen=True)
class Proposal:
    root_packages: tuple[str, ...]
    rules: tuple[ProposedRule, ...]
    notes: tuple[str, ...] = ()
    #: Candidates checked and left out (they do not hold today, or cannot be checked).
    dropped: tuple[str, ...] = ()
    #: What was recognised, and why: ``"ports and adapters in shop, because ..."``.
    recognised: tuple[str, ...] = ()
    #: The rules of a recognised style left out because today's code breaks them
    #: (``fitness init --baseline`` proposes them).
    held_back: tuple[str, ...] = ()
    #: The rules proposed though today's code breaks them (``backlog``): their
    #: violations are to be recorded in the baseline.
    broken: tuple[str, ...] = ()


def holds(
    candidate: ProposedRule, rule_classes: Mapping[str, type[Rule]], graph: ProjectGraph
) -> bool:
    """Whether the rule, built by its real class as the configuration will build it,
    holds on ``graph`` today (no violation, no error, no warning)."""
    result = _verdict(candidate, rule_classes, graph)
    return result is not None and result.passed and not result.warnings


def _verdict(
    candidate: ProposedRule, rule_classes: Mapping[str, type[Rule]], graph: ProjectGraph
) -> RuleResult | None:
    """The rule's result on ``graph``, or ``None`` if it cannot be checked."""
    try:
        rule = build_rule(rule_classes[candidate.type], candidate.raw())
        return rule.result(graph)
    except (ConfigError, RuleError):
        return None


def _cycle_note(cycle: list[str]) -> str:
    names = (
        ", ".join(cycle) if len(cycle) <= 6 else f"{', '.join(cycle[:3])} and {len(cycle) - 3} more"
    )
    return f"{names} reach each other through imports: they share a layer as 'a : b' siblings"


class _Proposer:
    """Collects the rules, notes and left-out candidates of one proposal."""

    def __init__(
        self, graph: ProjectGraph, rule_classes: Mapping[str, type[Rule]], backlog: bool
    ) -> None:
        self.graph = graph
        self.rule_classes = rule_classes
        self.backlog = backlog
        self.notes: list[str] = []
        self.dropped: list[str] = []
        self.held_back: list[str] = []
        self.broken: list[str] = []
        #: Children of a proposed layering left out of it, with why (one note says them).
        self.unlayered: list[tuple[str, str]] = []

    def consider(self, candidate: ProposedRule) -> bool:
        """Keep a rule of what the imports say if it holds today."""
        if candidate.type not in self.rule_classes:
            return False
        if holds(candidate, self.rule_classes, self.graph):
            return True
        self.dropped.append(candidate.name)
        return False

    def choose(self, candidate: Candidate) -> ProposedRule | None:
        """A style's rule: the first variant that holds today; with a backlog, the
        tightest that can be checked, broken or not."""
        if candidate.type not in self.rule_classes:
            return None
        broken = False
        for options in candidate.variants:
            proposed = ProposedRule(candidate.name, candidate.type, dict(options))
            result = _verdict(proposed, self.rule_classes, self.graph)
            if result is None:
                continue
            if result.passed and not result.warnings:
                return proposed
            if self.backlog:
                if not result.passed:
                    self.broken.append(candidate.name)
                return proposed
            broken = True
        (self.held_back if broken else self.dropped).append(candidate.name)
        return None


def propose(
    graph: ProjectGraph,
    rule_classes: Mapping[str, type[Rule]],
    *,
    backlog: bool = False,
    max_independence_depth: int = 3,
    max_layers_depth: int = 2,
) -> Proposal:
    """A configuration for the code: the rules of the layouts it recognises and of what
    its imports say, checked by the rule classes in ``rule_classes`` (by type name)
    that will check it. Every rule holds today, unless ``backlog``: then a recognised
    style's rules are proposed even where today's code breaks them."""
    proposer = _Proposer(graph, rule_classes, backlog)
    recognitions = recognise(graph, frozenset(rule_classes), max_depth=max_layers_depth)
    styled: list[ProposedRule] = []
    layered_by_style: set[str] = set()
    for recognition in recognitions:
        for style_rule in recognition.candidates:
            kept = proposer.choose(style_rule)
            if kept is not None:
                styled.append(kept)
                layered_by_style.update(style_rule.layers)
    layers: list[ProposedRule] = []
    acyclic: list[ProposedRule] = []
    independence: list[ProposedRule] = []
    for root in graph.root_packages:
        for package in packages_below(graph, root, max_layers_depth):
            if package in layered_by_style:
                continue
            proposed = _layers(proposer, recognitions, package)
            if proposed is not None:
                layers.append(proposed)
        children = child_graph(graph, root)
        if len(children) >= 2 and nx.is_directed_acyclic_graph(children):
            candidate = ProposedRule(
                f"No cycles between the packages of {root}", "acyclic", {"modules": [root]}
            )
            if proposer.consider(candidate):
                acyclic.append(candidate)
        for package in packages_below(graph, root, max_independence_depth - 1):
            if package == root or len(graph.grimp.find_children(package)) < 2:
                continue
            if child_graph(graph, package).number_of_edges():
                continue  # direct imports between them: not independent, no need to check
            candidate = ProposedRule(
                f"The children of {package} are independent",
                "independence",
                {"modules": [f"{package}.*"]},
            )
            if proposer.consider(candidate):
                independence.append(candidate)
    if proposer.unlayered:
        proposer.notes.append(_left_out_note(proposer.unlayered))
    if len(graph.root_packages) >= 2:
        candidate = ProposedRule(
            "The root packages are independent",
            "independence",
            {"modules": sorted(graph.root_packages)},
        )
        if proposer.consider(candidate):
            independence.append(candidate)
    return Proposal(
        tuple(graph.root_packages),
        (*layers, *styled, *acyclic, *independence),
        tuple(proposer.notes),
        tuple(proposer.dropped),
        tuple(r.line for r in recognitions),
        tuple(proposer.held_back),
        tuple(proposer.broken),
    )


def _layers(
    proposer: _Proposer, recognitions: list[Recognition], package: str
) -> ProposedRule | None:
    """The layering of ``package``'s children by today's imports, unless its children
    are autonomous or the layering runs the wrong way round for a recognised style."""
    autonomous = next((r for r in recognitions if package in r.autonomous), None)
    if autonomous is not None:
        proposer.notes.append(
            f"{package} is not layered: its children are autonomous ({autonomous.style})"
        )
        return None
    found = layering(proposer.graph, package)
    if found is None:
        return None
    for recognition in recognitions:
        ranks = recognition.ranks.get(package)
        wrong = wrong_way(found.reaches, ranks) if ranks else None
        if wrong is not None:
            inner, outer = wrong
            proposer.notes.append(
                f"{package} is not layered as its imports are today: {inner} reaches "
                f"{outer}, the wrong way round for {recognition.style}"
            )
            return None
    candidate = ProposedRule(f"{package} is layered", "layers", {"layers": found.layers})
    if not proposer.consider(candidate):
        return None
    proposer.notes.extend(_cycle_note(cycle) for cycle in found.cycles)
    # What the layers leave out is said (one note for the proposal: _left_out_note).
    for child in sorted(proposer.graph.grimp.find_children(package)):
        why = not_a_layer(child.rpartition(".")[2])
        if why is not None:
            proposer.unlayered.append((child, why))
    return candidate


#: How many modules the note of what the layers leave out names.
_NAMED = 5


def _left_out_note(unlayered: list[tuple[str, str]]) -> str:
    """One note for the children the proposed layerings leave out, by why: an entry
    point, test code or generated code is no layer (a library's public ``testing``
    module may still be part of its architecture: a rule should name it)."""
    by_why: dict[str, list[str]] = {}
    for module, why in unlayered:
        by_why.setdefault(why, []).append(module)
    parts = []
    for why, modules in sorted(by_why.items()):
        named = ", ".join(modules[:_NAMED])
        more = f" and {len(modules) - _NAMED} more" if len(modules) > _NAMED else ""
        parts.append(f"{named}{more} ({why})")
    return "in no layer: " + "; ".join(parts) + " (fitness coverage lists what no rule governs)"
