"""Architecture coverage: which modules of the root packages the rules govern.

A module is governed when it lies in the scope of at least one rule: each rule type
says what its scope is (:meth:`Rule.governed_modules`: a ``layers`` rule its layers,
``forbidden`` its source modules, ``classes`` the modules it selects...). A package is
governed too when every module directly inside it is (its ``__init__`` belongs to
them), so that a project whose every part is placed in the architecture is wholly
governed without a rule naming its root package. Modules no rule governs are green by
omission: new code there is checked by nothing. Pure: no I/O.

Every module of the root packages counts, test packages inside them (``app.tests``)
included: a rule can govern them like any other code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from fitness.domain.errors import FitnessError
from fitness.domain.graph import ProjectGraph, collapse

#: ``fitness coverage`` groups modules into the packages at this depth (2: ``app.domain``).
DEFAULT_DEPTH = 2
#: What ``type`` the coverage check itself has (it governs nothing).
COVERAGE_TYPE = "coverage"


def format_share(share: float) -> str:
    """``84.6%``: a share as a percentage, rounded down (99.96% is not shown as 100%)."""
    tenths = math.floor(share * 1000 + 1e-9)
    return f"{tenths // 10}.{tenths % 10}%"


class ScopedRule(Protocol):
    """What coverage needs of a rule (:class:`~fitness.domain.rules.base.Rule` has it)."""

    @property
    def name(self) -> str: ...

    @property
    def type_name(self) -> str: ...

    def governed_modules(self, graph: ProjectGraph) -> set[str] | None: ...


@dataclass(frozen=True)
class PackageCoverage:
    """How much of one package the rules govern."""

    package: str
    modules: int
    governed: int

    @property
    def share(self) -> float:
        return self.governed / self.modules if self.modules else 1.0


@dataclass(frozen=True)
class Spot:
    """Modules no rule governs, shown as one entry: a package whose whole subtree is
    ungoverned (``modules`` counts them), a single module, or a package whose own module
    is ungoverned while some modules under it are governed (``partly``)."""

    name: str
    modules: int = 1
    partly: bool = False

    def describe(self) -> str:
        """How ``fitness coverage`` lists it."""
        if self.partly:
            return f"{self.name} (the package's own module; governed once every module in it is)"
        if self.modules > 1:
            return f"{self.name} ({self.modules} modules)"
        return self.name

    def summary(self) -> str:
        """What a violation of ``require_coverage`` says about it."""
        if self.partly:
            return (
                f"{self.name} is governed by no rule (a package is governed once every "
                "module in it is)"
            )
        if self.modules > 1:
            return f"{self.name} ({self.modules} modules) is governed by no rule"
        return f"{self.name} is governed by no rule"


@dataclass(frozen=True)
class Coverage:
    """The modules of the root packages, those the rules govern, and the rules that
    do not say what they govern (counted as governing nothing)."""

    modules: tuple[str, ...]
    governed: frozenset[str]
    #: Rules whose type does not say what it governs: ``(name, type)``.
    silent_rules: tuple[tuple[str, str], ...] = ()

    @property
    def ungoverned(self) -> tuple[str, ...]:
        return tuple(m for m in self.modules if m not in self.governed)

    @property
    def governed_count(self) -> int:
        return len(self.modules) - len(self.ungoverned)

    @property
    def share(self) -> float:
        """The share of the modules the rules govern (1.0 for a project without modules)."""
        return self.governed_count / len(self.modules) if self.modules else 1.0

    def packages(self, depth: int = DEFAULT_DEPTH) -> list[PackageCoverage]:
        """The coverage of each package at ``depth``, by name."""
        counts: dict[str, list[int]] = {}
        for module in self.modules:
            row = counts.setdefault(collapse(module, depth), [0, 0])
            row[0] += 1
            row[1] += module in self.governed
        return [PackageCoverage(name, n, g) for name, (n, g) in sorted(counts.items())]

    def spots(self) -> list[Spot]:
        """The ungoverned modules, each ungoverned subtree as one entry, by name."""
        ungoverned = set(self.ungoverned)
        children = _children(self.modules)
        whole: set[str] = set()  # ungoverned with everything under it
        for module in sorted(self.modules, key=lambda m: -m.count(".")):
            if module in ungoverned and all(c in whole for c in children.get(module, ())):
                whole.add(module)
        spots = []
        for module in sorted(ungoverned):
            parent = module.rpartition(".")[0]
            if module in whole:
                if parent not in whole:
                    spots.append(Spot(module, _size(module, children)))
            else:
                spots.append(Spot(module, partly=True))
        return spots


def _children(modules: Iterable[str]) -> dict[str, list[str]]:
    known = set(modules)
    children: dict[str, list[str]] = {}
    for module in sorted(known):
        parent = module.rpartition(".")[0]
        if parent in known:
            children.setdefault(parent, []).append(module)
    return children


def _size(module: str, children: dict[str, list[str]]) -> int:
    return 1 + sum(_size(child, children) for child in children.get(module, ()))


def measure_coverage(graph: ProjectGraph, rules: Iterable[ScopedRule]) -> Coverage:
    """What the rules govern of the graph's root packages."""
    modules = tuple(sorted(graph.internal_modules))
    scoped: set[str] = set()
    silent = []
    for rule in rules:
        if rule.type_name == COVERAGE_TYPE:
            continue
        try:
            scope = rule.governed_modules(graph)
        except FitnessError:  # a plugin's rule that cannot say for this graph
            scope = None
        if scope is None:
            silent.append((rule.name, rule.type_name))
            continue
        scoped |= scope
    governed = {m for m in modules if m in scoped}
    children = _children(modules)
    # Deepest first: a package is governed when every module directly inside it is.
    for module in sorted(modules, key=lambda m: -m.count(".")):
        inside = children.get(module)
        if module not in governed and inside and all(c in governed for c in inside):
            governed.add(module)
    return Coverage(modules, frozenset(governed), tuple(silent))
