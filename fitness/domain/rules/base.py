"""The one interface every rule type implements, built-in or from a plugin."""

from __future__ import annotations

import abc
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar, Literal, NamedTuple, final

from fitness.domain.code.detail import Detail
from fitness.domain.errors import MissingModuleError, RuleError, rule_error
from fitness.domain.graph import ProjectGraph
from fitness.domain.measurements import Measurements
from fitness.domain.modules import name_mistakes
from fitness.domain.observation import observe
from fitness.domain.options import option
from fitness.domain.progress import MigrationProgress
from fitness.domain.rendering import render_failure
from fitness.domain.source_facts import unread_summary
from fitness.domain.violations import Pair, RuleResult, Severity, Violation, settle_details

AlertLevel = Literal["none", "warn", "error"]


@dataclass(frozen=True)
class Findings:
    """What a rule found, before it is dressed as a :class:`RuleResult`.

    ``guidance`` replaces the rule's ``broken_contract_guidance`` or ``how_to_fix``
    when the rule has more to say about this graph (the imports that would break every
    cycle). What else the rule reports is typed, as on :class:`RuleResult` (``None``
    when it reports none): a migration's ``progress``, the ``measurements`` a baseline
    ratchets, the dependencies no baseline forgives (``not_baselined``), the
    ``cycle_breakers``. ``details`` is plain data of the rule's own (a plugin's
    figures) for the JSON report; it shows the typed fields too.
    """

    violations: tuple[Violation, ...] = ()
    warnings: tuple[str, ...] = ()
    details: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    guidance: str = ""
    progress: MigrationProgress | None = None
    measurements: Measurements | None = None
    not_baselined: frozenset[Pair] | None = None
    cycle_breakers: tuple[Pair, ...] | None = None

    def __post_init__(self) -> None:
        typed, details = settle_details(self.details, {n: getattr(self, n) for n in _TYPED})
        for name, value in typed.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "details", MappingProxyType(details))

    @classmethod
    def of(
        cls,
        violations: Iterable[Violation],
        warnings: Iterable[str] = (),
        *,
        details: Mapping[str, object] | None = None,
        guidance: str = "",
        progress: MigrationProgress | None = None,
        measurements: Measurements | None = None,
        not_baselined: Iterable[Pair] | None = None,
        cycle_breakers: Iterable[Pair] | None = None,
    ) -> Findings:
        return cls(
            tuple(sorted(set(violations))),
            tuple(warnings),
            MappingProxyType(dict(details or {})),
            guidance,
            progress=progress,
            measurements=measurements,
            not_baselined=None if not_baselined is None else frozenset(not_baselined),
            cycle_breakers=None if cycle_breakers is None else tuple(cycle_breakers),
        )

    @property
    def passed(self) -> bool:
        """No violation (as :attr:`RuleResult.passed`)."""
        return not self.violations


class RuleViolated(AssertionError):
    """Raised by ``check(graph)`` of a rule (a rule type or a fluent chain) that is
    broken or cannot be checked; the message is the rule's failure message and
    :attr:`result` the whole :class:`RuleResult`."""

    def __init__(self, result: RuleResult) -> None:
        super().__init__(render_failure(result))
        self.result = result


#: What a rule reports besides its violations, typed (a :class:`RuleResult` also has the
#: imports that inline suppressions left out, which checking adds).
_TYPED = ("progress", "not_baselined", "cycle_breakers", "measurements")

RuleViolated.__module__ = "fitness"  # shown as fitness.RuleViolated in pytest's output


class RuleWarning(UserWarning):
    """Issued by ``check(graph)`` of a rule of severity ``warning`` that is broken (it
    does not raise): the message is the rule's failure message."""


RuleWarning.__module__ = "fitness"


@dataclass(frozen=True, kw_only=True)
class Rule(abc.ABC):
    """A principle the architecture must keep.

    A rule type is a frozen dataclass deriving from this class: its fields are
    its options (validated from configuration by :func:`fitness.domain.options.build_rule`),
    ``type_name`` is what ``type = "..."`` selects in configuration. It implements
    :meth:`describe` (one sentence, generated from the options: the rule is the
    message) and :meth:`evaluate`.

    In a test, a rule is used as a fluent one is: :meth:`check` raises
    :class:`RuleViolated` (an ``AssertionError``) when the rule is broken, and
    :meth:`result` returns the :class:`RuleResult` without raising. fitness itself
    calls :meth:`result`. Both are final: what a rule type adds to its verdict
    (measured values, guidance for this graph) it returns in its :class:`Findings`.
    """

    type_name: ClassVar[str] = ""
    #: What to do about a violation, shown after them unless the rule overrides it.
    how_to_fix: ClassVar[str] = ""
    #: Whether the rule needs external packages (third-party, standard library) in the
    #: graph; the configuration then builds it with ``include_external_packages``.
    needs_external_packages: ClassVar[bool] = False

    name: str = option(doc="the rule's name: the pytest item's name and the baseline's key")
    because: str = option("", doc="why the rule exists; appended to its description")
    broken_contract_guidance: str = option(
        "", doc="what to do when the rule is broken (shown after the violations)"
    )
    adr: str = option(
        "",
        doc="the architecture decision record behind the rule: a path relative to the "
        "configuration file (it must exist) or a URL; shown with every failure and report",
    )
    severity: Severity = option(
        "error",
        doc="'error': a violation fails the run; 'warning': violations are reported (as "
        "warnings) and fail nothing, unless warnings are made to fail (fitness check "
        "--strict, pytest --fitness-strict); a rule that cannot be checked fails either way",
    )
    exclude_function_level_imports: bool = option(
        False,
        doc="leave out the imports made inside functions and methods (run when called, "
        "not when the module is imported), for this rule (as the [tool.fitness] setting "
        "does for every rule)",
    )

    @abc.abstractmethod
    def describe(self) -> str:
        """The rule as one sentence, without the ``because`` clause."""

    @abc.abstractmethod
    def evaluate(self, graph: ProjectGraph) -> Findings:
        """Find the violations. Raise :class:`~fitness.domain.errors.RuleError` if the rule
        cannot be checked against this graph (for example it names a missing module)."""

    def governed_modules(self, graph: ProjectGraph) -> set[str] | None:
        """The modules this rule governs (its scope, for ``fitness coverage``): every one
        of them, a package the rule names with everything under it
        (:func:`~fitness.domain.modules.governed_by` expands option values so). ``None``
        (the default): the rule type does not say, and the rule counts as governing
        nothing.

        A built-in rule type answers from its options, leniently: a name that is not in
        the graph governs nothing here (:meth:`name_mistakes` reports it)."""
        return None

    def name_mistakes(self, graph: ProjectGraph) -> list[RuleError]:
        """Every entry of the options that name modules (``option(names=...)``) that the
        graph does not have, each a :class:`RuleError` keyed on its option."""
        return name_mistakes(self, graph)

    def code_detail(self) -> Detail:
        """What checking the rule reads of the code model beyond each module's outline
        (``Detail.CALLS``, ``Detail.COHESION``), so that a run parses each file once,
        with what all its rules read. Only the rule types that read the bodies of
        functions or classes say more than the default, the outline."""
        return Detail.OUTLINE

    @property
    def description(self) -> str:
        text = self.describe()
        return f"{text}, because {self.because}" if self.because else text

    @final
    def check(self, graph: ProjectGraph) -> RuleResult:
        """Assert the rule: the :class:`RuleResult` if it holds; :class:`RuleViolated`
        (whose message is the failure message) if it is broken or cannot be checked."""
        __tracebackhide__ = True
        # Under pytest the verdict takes part in the session (baseline, report).
        return asserted(observe(found_by(self, graph), named=True))

    @final
    def result(self, graph: ProjectGraph) -> RuleResult:
        """The verdict, without raising for violations (a :class:`RuleError` still
        propagates: the rule cannot be checked against this graph, for example each of
        the module names it misspells)."""
        mistakes = self.name_mistakes(graph)
        if mistakes:
            raise rule_error(mistakes)
        if self.exclude_function_level_imports:
            graph = graph.without_function_level_imports()
        findings = self.evaluate(graph)
        return RuleResult(
            rule_name=self.name,
            description=self.description,
            violations=findings.violations,
            warnings=findings.warnings + unread_warning(graph),
            guidance=findings.guidance or self.broken_contract_guidance or self.how_to_fix,
            rule_type=self.type_name,
            adr=self.adr,
            severity=self.severity,
            details=dict(findings.details),
            progress=findings.progress,
            measurements=findings.measurements,
            not_baselined=findings.not_baselined,
            cycle_breakers=findings.cycle_breakers,
        )


def unread_warning(graph: ProjectGraph) -> tuple[str, ...]:
    """What every rule says about the files that were not read (a blind spot: a link to a
    file outside the project...): their imports could change its verdict."""
    unread = graph.unread_files
    if not unread:
        return ()
    count = len(unread)
    files = f"{count} files that were not read" if count > 1 else "a file that was not read"
    return (f"cannot see the imports of {files}: {unread_summary(unread)}",)


def asserted(result: RuleResult) -> RuleResult:
    """``result``, or :class:`RuleViolated` if it fails; a :class:`RuleWarning` if it is
    broken but only a warning (``severity = "warning"``)."""
    __tracebackhide__ = True
    if result.fails:
        raise RuleViolated(result)
    if result.warned:
        warnings.warn(RuleWarning(render_failure(result)), stacklevel=3)
    return result


def code_detail(rules: Iterable[Rule]) -> Detail:
    """What the rules read of the code model, together (:meth:`Rule.code_detail`)."""
    detail = Detail.OUTLINE
    for rule in rules:
        detail |= rule.code_detail()
    return detail


def found_by(rule: Rule, graph: ProjectGraph) -> RuleResult:
    """What a rule finds in a graph: ``rule.result(graph)``, or, if the rule cannot be
    checked against this graph (a :class:`RuleError`), a result with that error."""
    try:
        return rule.result(graph)
    except RuleError as error:
        return unusable_result(rule, error)


def error_result(rule: Rule, *messages: str, missing_module: str = "") -> RuleResult:
    """The result of a rule that cannot be checked: ``messages`` say why
    (``missing_module``: the module it names that the graph does not have)."""
    return RuleResult(
        rule_name=rule.name,
        description=rule.description,
        errors=messages,
        rule_type=rule.type_name,
        adr=rule.adr,
        missing_module=missing_module,
        severity=rule.severity,
    )


def unusable_result(rule: Rule, error: RuleError) -> RuleResult:
    """The result of a rule that ``error`` says cannot be checked against this graph: each
    of its mistakes; when every one is a module the graph does not have (at an older
    commit, not written yet), those modules."""
    mistakes = error.mistakes
    missing = [m.module for m in mistakes if isinstance(m, MissingModuleError)]
    return error_result(
        rule,
        *(str(mistake) for mistake in mistakes),
        missing_module=", ".join(missing) if len(missing) == len(mistakes) else "",
    )


class RuleTypeRef(NamedTuple):
    """A rule type named by where its class is defined, imported on first use.

    A plugin's ``fitness_rule_types`` may return these instead of classes,
    ``RuleTypeRef("django_apps", "fitness_django.rules:DjangoAppsRule")``: the
    module is then imported only when a configured rule has that type (or
    ``fitness rules`` lists it), so a run pays only for the rule types it uses.
    The class's ``type_name`` must be the one given here.
    """

    type_name: str
    #: ``"package.module:ClassName"``
    target: str


def join_names(names: Iterable[str], conjunction: str = "and") -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
