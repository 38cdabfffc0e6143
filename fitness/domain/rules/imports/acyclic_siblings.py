"""``acyclic_siblings``: the children of each package must not import each other in a cycle.

Same options and verdicts as import-linter's acyclic siblings contract: for
each ancestor, and recursively for its descendants down to ``depth`` levels
(except the skipped ones), the children of a package, each taken with its
descendants, must form no cycle. grimp nominates the imports whose removal
would make them acyclic; each violation is a dependency between two children
made of such imports, shown with the file and line of each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from fitness.domain.cycle_breakers import nominate_cycle_breakers, sibling_weights
from fitness.domain.errors import ConfigError
from fitness.domain.graph import ProjectGraph, collapse
from fitness.domain.modules import MODULES, governed_by, require_in_graph, resolve_all
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.support import INTERNAL_CHILDREN, IgnoringRule, require_internal
from fitness.domain.violations import Chain, Violation

DEFAULT_DEPTH = 10

Import = tuple[str, str]


@dataclass(frozen=True, kw_only=True)
class AcyclicSiblingsRule(IgnoringRule):
    """No cycles among the children of each package, from the ancestors down to ``depth``."""

    type_name = "acyclic_siblings"
    how_to_fix = (
        "Break each cycle: remove the listed imports (grimp's nomination of the fewest that "
        "make the siblings acyclic), for example by moving the shared code into a lower "
        "sibling or by inverting the dependency with an interface."
    )

    ancestors: tuple[str, ...] = option(
        doc="packages whose children (recursively) must be acyclic", names=MODULES
    )
    depth: int = option(DEFAULT_DEPTH, doc="how many levels below the ancestors to check too")
    skip_descendants: tuple[str, ...] = option(
        (),
        doc="descendants not to drill into (their siblings are still checked)",
        names=MODULES,
    )

    def __post_init__(self) -> None:
        if self.depth < 0:
            raise ConfigError("option 'depth' must be 0 or more", key=("depth",))
        overlap = sorted(set(self.ancestors) & set(self.skip_descendants))
        if overlap:
            raise ConfigError(
                f"skip_descendants: cannot skip '{overlap[0]}', it is also an ancestor",
                key=("skip_descendants",),
            )

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return governed_by(graph, self.ancestors)

    def describe(self) -> str:
        levels = f" and their descendants {self.depth} levels down" if self.depth else ""
        return f"The children of {join_names(self.ancestors)}{levels} must not form import cycles"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        ancestors = resolve_all(graph, self.ancestors, option="ancestors")
        require_in_graph(graph, ancestors, option="ancestors")
        require_internal(graph, ancestors, option="ancestors", needs=INTERNAL_CHILDREN)
        skipped = resolve_all(graph, self.skip_descendants, option="skip_descendants")
        require_in_graph(graph, skipped, option="skip_descendants")
        graph, warnings = self.without_ignored_imports(graph)
        packages: list[str] = []
        for ancestor in sorted(ancestors):
            self._packages(graph, ancestor, self.depth, skipped, packages)
        between = sibling_weights(graph.direct_imports(), packages)
        violations = []
        for package in sorted(between):
            pairs = between[package]
            weights = {pair: len(imports) for pair, imports in pairs.items()}
            children = graph.grimp.find_children(package)
            imports = {
                found
                for pair in nominate_cycle_breakers(children, weights)
                for found in pairs[pair]
            }
            violations += sibling_violations(graph, package, imports)
        return Findings.of(violations, warnings)

    def _packages(
        self,
        graph: ProjectGraph,
        package: str,
        remaining_depth: int,
        skipped: set[str],
        found: list[str],
    ) -> None:
        """``package`` and its descendants down to ``remaining_depth`` levels, except below
        the skipped ones: the packages whose children must be acyclic."""
        children = graph.grimp.find_children(package)
        if not children:
            return
        if len(children) >= 2:
            found.append(package)
        if remaining_depth:
            for child in sorted(children - skipped):
                self._packages(graph, child, remaining_depth - 1, skipped, found)


def sibling_violations(graph: ProjectGraph, package: str, imports: set[Import]) -> list[Violation]:
    """One violation per pair of children that the cycle-breaking imports connect."""
    depth = package.count(".") + 2
    by_pair: dict[Import, list[Import]] = defaultdict(list)
    for importer, imported in imports:
        by_pair[(collapse(importer, depth), collapse(imported, depth))].append((importer, imported))
    violations = []
    for (downstream, upstream), pairs in sorted(by_pair.items()):
        count = len(pairs)
        violations.append(
            Violation(
                importer=downstream,
                imported=upstream,
                summary=f"{downstream} -> {upstream} closes a cycle among the children of "
                f"{package}; removing {count} import{'s' if count != 1 else ''} would break it",
                chains=tuple(Chain.of(graph, pair) for pair in sorted(pairs)),
            )
        )
    return violations
