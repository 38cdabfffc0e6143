"""What a rule check returns: plain data, printed elsewhere."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from fitness._lazy import lazy_exports
from fitness.domain.graph import ProjectGraph
from fitness.domain.measurements import Measurement, Measurements
from fitness.domain.progress import MigrationProgress
from fitness.domain.source_facts import CONTEXT_NOTES, MAX_QUOTE, shorten

if TYPE_CHECKING:
    from fitness.domain.baseline_summary import BaselineEntry as BaselineEntry
    from fitness.domain.baseline_summary import BaselineSummary as BaselineSummary
    from fitness.domain.baseline_summary import SinceSummary as SinceSummary


#: How much of a source line is quoted with an import, a call... (the line itself may be
#: megabytes): :func:`fitness.domain.rendering.quote_source`.

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
    #: Where the import is made, when not at the module's level: ``inside a function``,
    #: ``type-checking only`` (or which of its lines are, ``line 40 inside a function``).
    note: str = ""
    #: Those of ``line_numbers`` where the import is a dynamic one
    #: (``importlib.import_module("app.db")``).
    dynamic_lines: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        # The line itself may be megabytes: a link keeps what is quoted of it.
        if len(self.code) > MAX_QUOTE:
            object.__setattr__(self, "code", shorten(self.code.strip(), MAX_QUOTE))

    @classmethod
    def of(cls, graph: ProjectGraph, importer: str, imported: str) -> Link:
        lines = graph.import_lines(importer, imported)
        numbers = tuple(number for number, _ in lines if number is not None)
        dynamic = (
            tuple(n for n in numbers if graph.is_dynamic(importer, imported, n))
            if graph.dynamic_sites
            else ()
        )
        return cls(
            importer=importer,
            imported=imported,
            line_numbers=numbers,
            file=graph.file_of(importer),
            code=lines[0][1].strip().lstrip("\ufeff") if lines else "",
            note=context_note(graph, importer, numbers),
            dynamic_lines=dynamic,
        )

    @property
    def mark(self) -> str:
        """What messages add after the quoted line, in brackets: ``dynamic`` when the
        import is a dynamic one (``dynamic: line 12`` when some of its lines are), and the
        :attr:`note` (``inside a function``); ``""`` when there is neither."""
        said = [self.note] if self.note else []
        if self.dynamic_lines == self.line_numbers and self.dynamic_lines:
            said.insert(0, "dynamic")
        elif self.dynamic_lines:
            lines = ",".join(str(n) for n in self.dynamic_lines)
            said.insert(0, f"dynamic: line{'s' if len(self.dynamic_lines) > 1 else ''} {lines}")
        return f"({'; '.join(said)})" if said else ""

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


def context_note(graph: ProjectGraph, importer: str, numbers: tuple[int, ...]) -> str:
    """What a link says of where its import statements are made (``""``: at the module's
    level): ``inside a function`` when all are, else which lines are."""
    contexts = [graph.import_context(importer, number) for number in numbers]
    if not any(contexts):
        return ""
    if len(set(contexts)) == 1:
        return CONTEXT_NOTES[contexts[0]]
    return ", ".join(
        f"line {number} {CONTEXT_NOTES[context]}"
        for number, context in zip(numbers, contexts, strict=True)
        if context
    )


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


@dataclass(frozen=True, order=True)
class MetricRegression(Violation):
    """A measured value worse than the baseline recorded (the ratchet): a violation of
    the rule as a whole, so ``importer`` is the rule's name and ``imported`` empty.

    ``subject`` is the package measured (``system``, or ``""`` for a figure of the rule
    as a whole), ``metric`` what was measured, ``recorded`` the baseline's value and
    ``value`` today's.
    """

    subject: str = ""
    metric: str = ""
    recorded: float = 0.0
    value: float = 0.0

    @classmethod
    def of(cls, rule: str, measured: Measurement, recorded: float) -> MetricRegression:
        return cls(
            importer=rule,
            imported="",
            summary=f"{measured.name} got worse than the baseline: {_number(measured.value)} "
            f"(recorded {_number(recorded)})",
            subject=measured.subject,
            metric=measured.metric,
            recorded=recorded,
            value=measured.value,
        )

    @property
    def name(self) -> str:
        """The measurement's name, as the baseline records it (``shop.core: distance``)."""
        return Measurement(self.subject, self.metric, self.value).name


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


#: An import, or a dependency: (importer, imported).
Pair = tuple[str, str]

#: What a broken rule does to the run: ``error`` fails it, ``warning`` is reported only.
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class RuleResult:
    """The verdict of one rule on one graph.

    Besides its violations, a rule may report (``None`` when it does not): the
    ``progress`` of a migration (``strangler_fig``), the values a baseline ratchets
    (``measurements``), the dependencies no baseline forgives (``not_baselined``), the
    imports that would break every cycle (``cycle_breakers``); checking adds the imports
    inline suppressions left out (``suppressed_imports``). ``details`` is plain data for
    the JSON report: what the rule type adds of its own (a plugin's figures), and the
    typed fields as the report shows them (:func:`settle_details`). ``baseline`` is what
    a baseline did to the verdict (``None`` when none was applied), ``since`` what the
    violations of a revision did (``--new-since REV``; ``None`` without it).
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
    since: SinceSummary | None = field(default=None, compare=False)
    progress: MigrationProgress | None = field(default=None, compare=False)
    measurements: Measurements | None = field(default=None, compare=False)
    not_baselined: frozenset[Pair] | None = field(default=None, compare=False)
    cycle_breakers: tuple[Pair, ...] | None = field(default=None, compare=False)
    suppressed_imports: tuple[Pair, ...] | None = field(default=None, compare=False)
    #: When the rule cannot be checked because it names a module the graph does not have
    #: (``errors`` says so): that module, or the wildcard expression that matches none.
    missing_module: str = field(default="", compare=False)
    #: ``warning``: its violations are reported and fail nothing (unless warnings are made
    #: to fail: ``--strict``); a rule that cannot be checked fails whatever its severity.
    severity: Severity = "error"

    def __post_init__(self) -> None:
        typed, details = settle_details(self.details, {n: getattr(self, n) for n in TYPED})
        for name, value in typed.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "details", details)

    @property
    def passed(self) -> bool:
        """Whether the rule holds: no violation and no error (a rule that cannot be
        checked does not pass); warnings do not count."""
        return not self.violations and not self.errors

    @property
    def broken(self) -> bool:
        """Broken by the code (violations), as opposed to unusable (errors)."""
        return bool(self.violations)

    @property
    def warned(self) -> bool:
        """Broken, but a rule of severity ``warning``: reported, failing nothing."""
        return bool(self.violations) and not self.errors and self.severity == "warning"

    @property
    def fails(self) -> bool:
        """Whether the result fails the run (``fitness check``'s exit status, the pytest
        item): a rule that cannot be checked, or violations of a rule of severity error."""
        return not self.passed and not self.warned


# The typed fields of a result as plain data ----------------------------------------------

#: The typed fields a result (and a rule's :class:`~fitness.domain.rules.base.Findings`)
#: may carry besides its violations, in the order ``details`` shows them: before the
#: rule's own data, but the suppressed imports (added by checking) after it.
TYPED = ("progress", "not_baselined", "cycle_breakers", "measurements", "suppressed_imports")
_SHOWN_LAST = frozenset({"suppressed_imports"})


def _pairs_from(key: str) -> Callable[[Mapping[str, object]], Any]:
    def parse(details: Mapping[str, object]) -> tuple[Pair, ...] | None:
        if key not in details:
            return None
        items = details[key]
        return tuple(
            (item[0], item[1])
            for item in (items if isinstance(items, list | tuple) else ())
            if isinstance(item, list | tuple)
            and len(item) == 2
            and all(isinstance(part, str) for part in item)
        )

    return parse


def _not_baselined_from(details: Mapping[str, object]) -> frozenset[Pair] | None:
    pairs = _pairs_from("not_baselined")(details)
    return None if pairs is None else frozenset(pairs)


_Read = Callable[[Mapping[str, object]], Any]
_Show = Callable[[Any], dict[str, object]]
#: field -> (read it from plain data, show it as plain data)
_PLAIN: dict[str, tuple[_Read, _Show]] = {
    "progress": (MigrationProgress.from_details, lambda p: p.to_details()),
    "not_baselined": (
        _not_baselined_from,
        lambda pairs: {"not_baselined": [list(pair) for pair in sorted(pairs)]},
    ),
    "cycle_breakers": (
        _pairs_from("cycle_breakers"),
        lambda pairs: {"cycle_breakers": list(pairs)},
    ),
    "measurements": (Measurements.from_details, lambda m: m.to_details()),
    "suppressed_imports": (
        _pairs_from("suppressed_imports"),
        lambda pairs: {"suppressed_imports": list(pairs)},
    ),
}


def settle_details(
    details: Mapping[str, object], typed: Mapping[str, object]
) -> tuple[dict[str, object], dict[str, object]]:
    """The typed fields (``None`` where none was given) completed from the plain data in
    ``details``, and ``details`` showing every typed field given.

    A field given is the truth: ``details`` shows it where it already had its key, else
    before the rule's own data (the suppressed imports after it). A field not given is
    read from ``details`` (a result read back from JSON, a plugin's rule that writes
    ``details["not_baselined"]``), which keeps it as it was. Measurements that
    ``details`` already states (the ``metrics`` rule type's ``packages`` and ``system``)
    are not repeated.
    """
    if not details and all(value is None for value in typed.values()):
        return dict(typed), {}
    settled = dict(typed)
    first: dict[str, object] = {}
    shown = dict(details)
    last: dict[str, object] = {}
    for name, value in typed.items():
        read, show = _PLAIN[name]
        if value is None:
            settled[name] = read(details)
            continue
        if name == "measurements" and read(details) == value:
            continue
        for key, data in show(value).items():
            if key in shown:
                shown[key] = data
            else:
                (last if name in _SHOWN_LAST else first)[key] = data
    return settled, {**first, **shown, **last}


# The baseline's classes stay importable from here (where they were defined before),
# created only when used.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "BaselineEntry": "fitness.domain.baseline_summary",
        "BaselineSummary": "fitness.domain.baseline_summary",
        "SinceSummary": "fitness.domain.baseline_summary",
    },
)
