"""What a rule check returns: plain data, printed elsewhere."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fitness._lazy import lazy_exports
from fitness.domain.graph import ProjectGraph

if TYPE_CHECKING:
    from fitness.domain.baseline_summary import BaselineEntry as BaselineEntry
    from fitness.domain.baseline_summary import BaselineSummary as BaselineSummary


#: What each kind of link says its importer does to its imported (``Link.verb``).
LINK_VERBS = {
    "import": "imports",
    "subclass": "subclasses",
    "call": "calls",
    "access": "uses",
    "instantiate": "instantiates",
    "declare": "declares",
}


@dataclass(frozen=True, order=True)
class Link:
    """One step in a chain, with where it is written: a direct import, or (in class
    and function rules, told by ``kind``) a base class, a call, an attribute access
    or an instantiation, from a class, function or module to a dotted name."""

    importer: str
    imported: str
    line_numbers: tuple[int, ...] = ()
    file: str | None = None
    code: str = ""
    #: ``import``, ``subclass``, ``call``, ``access``, ``instantiate`` or (a dependency in
    #: a project's metadata) ``declare`` (:data:`LINK_VERBS`).
    kind: str = "import"

    @classmethod
    def of(cls, graph: ProjectGraph, importer: str, imported: str) -> Link:
        lines = graph.import_lines(importer, imported)
        return cls(
            importer=importer,
            imported=imported,
            line_numbers=tuple(number for number, _ in lines if number is not None),
            file=graph.file_of(importer),
            code=lines[0][1].strip().lstrip("\ufeff") if lines else "",
        )

    @property
    def verb(self) -> str:
        """What the importer does to the imported: ``imports``, ``subclasses``, ``calls``..."""
        return LINK_VERBS.get(self.kind, self.kind)

    @property
    def location(self) -> str:
        """``file:line`` (or the module name when the file is not known)."""
        where = self.file or self.importer
        if self.line_numbers:
            return f"{where}:{','.join(str(n) for n in self.line_numbers)}"
        return where


@dataclass(frozen=True, order=True)
class Chain:
    """A path of direct imports from an importer to an imported module.

    ``extra_firsts`` and ``extra_lasts`` are other imports that make the same
    route, into its second module or out of its second-to-last one (grimp's
    route heads and tails), so one chain can stand for several equivalent ones.
    """

    links: tuple[Link, ...]
    extra_firsts: tuple[Link, ...] = ()
    extra_lasts: tuple[Link, ...] = ()

    @classmethod
    def of(cls, graph: ProjectGraph, modules: tuple[str, ...] | list[str]) -> Chain:
        return cls(tuple(Link.of(graph, a, b) for a, b in itertools.pairwise(modules)))

    @property
    def modules(self) -> tuple[str, ...]:
        if not self.links:
            return ()
        return (self.links[0].importer, *(link.imported for link in self.links))

    def __str__(self) -> str:
        """``a -> b -> c`` for imports; said in words for other links
        (``a.Order subclasses a.Base, which subclasses sqlalchemy.orm.DeclarativeBase``)."""
        if all(link.kind == "import" for link in self.links):
            return " -> ".join(self.modules)
        words = [self.links[0].importer]
        for index, link in enumerate(self.links):
            words.append(f"{', which ' if index else ' '}{link.verb} {link.imported}")
        return "".join(words)


@dataclass(frozen=True, order=True)
class Violation:
    """One illegal dependency.

    ``importer`` and ``imported`` name the dependency the rule forbids (for a
    layers rule, the two layers); a baseline matches violations on them and the
    rule's name, never on line numbers. ``chains`` show how the dependency is made.
    """

    importer: str
    imported: str
    summary: str
    chains: tuple[Chain, ...] = ()


@dataclass(frozen=True)
class RuleResult:
    """The verdict of one rule on one graph.

    ``details`` holds what a rule type measured besides its violations (plain data,
    written to the JSON report); ``baseline`` what a baseline did to the verdict
    (``None`` when none was applied).
    """

    rule_name: str
    description: str
    violations: tuple[Violation, ...] = ()
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    guidance: str = ""
    rule_type: str = ""
    #: The architecture decision record behind the rule (a path relative to the
    #: configuration file, or a URL), as configured with ``adr``; ``""`` if none.
    adr: str = ""
    details: dict[str, object] = field(default_factory=dict, compare=False)
    baseline: BaselineSummary | None = field(default=None, compare=False)

    @property
    def passed(self) -> bool:
        """Whether the rule holds: no violation and no error (a rule that cannot be
        checked does not pass); warnings do not count."""
        return not self.violations and not self.errors

    @property
    def broken(self) -> bool:
        """Broken by the code (violations), as opposed to unusable (errors)."""
        return bool(self.violations)


# The baseline's classes stay importable from here (where they were defined before),
# created only when used.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "BaselineEntry": "fitness.domain.baseline_summary",
        "BaselineSummary": "fitness.domain.baseline_summary",
    },
)
