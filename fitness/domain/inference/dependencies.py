"""``fitness init``: the ``dependencies`` rule a project holds today.

Proposed when the project declares its dependencies (the graph carries its
metadata): every finding kind that holds today, and a ``usage`` entry for each
package just below a root package that uses no third-party distribution today
(``"shop.domain" = []``), the purity most worth keeping. Each candidate is checked
by the real rule class, as :func:`fitness.domain.inference.proposal.holds` checks every
proposal; a project whose findings all fail today gets no rule, and a note says why.

Kept apart from :mod:`.proposal` so that ``fitness init`` adds it in
one call (:func:`with_dependencies`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.inference.proposal import Proposal, ProposedRule, holds
from fitness.domain.options import build_rule

if TYPE_CHECKING:
    from fitness.domain.graph import ProjectGraph
    from fitness.domain.rules.base import Rule

NAME = "Third-party dependencies"
TYPE = "dependencies"
KINDS = ("undeclared", "unused", "development_only")


def propose_dependencies(
    graph: ProjectGraph, rule_classes: Mapping[str, type[Rule]]
) -> tuple[ProposedRule | None, str]:
    """The ``dependencies`` rule that holds on ``graph`` today (or None), and a note
    saying what was left out (or ``""``)."""
    if TYPE not in rule_classes or graph.dependency_metadata() is None:
        return None, ""

    def candidate(**options: Any) -> ProposedRule:
        return ProposedRule(NAME, TYPE, options)

    try:  # no declaration to read (or unreadable): nothing to propose
        build_rule(rule_classes[TYPE], candidate(findings=["usage"]).raw()).result(graph)
    except (ConfigError, RuleError):
        return None, ""

    kinds = [k for k in KINDS if holds(candidate(findings=[k]), rule_classes, graph)]
    left_out = [k for k in KINDS if k not in kinds]
    pure = [
        child
        for root in graph.root_packages
        for child in sorted(graph.grimp.find_children(root))
        if holds(candidate(findings=["usage"], usage={child: []}), rule_classes, graph)
    ]
    options: dict[str, Any] = {}
    if left_out and kinds:
        options["findings"] = [*kinds, *(["usage"] if pure else [])]
    elif not kinds:
        if not pure:
            return None, _note(left_out)
        options["findings"] = ["usage"]
    if pure:
        options["usage"] = {child: [] for child in pure}
    proposed = candidate(**options)
    if not holds(proposed, rule_classes, graph):
        return None, _note(left_out)
    return proposed, _note(left_out) if left_out else ""


def with_dependencies(
    proposal: Proposal, graph: ProjectGraph, rule_classes: Mapping[str, type[Rule]]
) -> Proposal:
    """``proposal`` with the ``dependencies`` rule that holds today, if any."""
    rule, note = propose_dependencies(graph, rule_classes)
    notes = (*proposal.notes, note) if note else proposal.notes
    if rule is None:
        return dataclasses.replace(proposal, notes=notes)
    return dataclasses.replace(proposal, rules=(*proposal.rules, rule), notes=notes)


def _note(left_out: list[str]) -> str:
    said = ", ".join(k.replace("_", "-") for k in left_out)
    return (
        f"third-party dependencies: {said} findings exist today and are not checked; "
        "`fitness check` with a dependencies rule lists them"
    )
