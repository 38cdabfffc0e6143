"""The one interface every rule type implements, built-in or from a plugin."""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal, NamedTuple

from fitness.domain.graph import ProjectGraph
from fitness.domain.options import option
from fitness.domain.violations import RuleResult, Violation

AlertLevel = Literal["none", "warn", "error"]


@dataclass(frozen=True)
class Findings:
    """What a rule found, before it is dressed as a :class:`RuleResult`."""

    violations: tuple[Violation, ...] = ()
    warnings: tuple[str, ...] = ()

    @classmethod
    def of(cls, violations: Iterable[Violation], warnings: Iterable[str] = ()) -> Findings:
        return cls(tuple(sorted(set(violations))), tuple(warnings))


@dataclass(frozen=True, kw_only=True)
class Rule(abc.ABC):
    """A principle the architecture must keep.

    A rule type is a frozen dataclass deriving from this class: its fields are
    its options (validated from configuration by :func:`fitness.domain.options.build_rule`),
    ``type_name`` is what ``type = "..."`` selects in configuration. It implements
    :meth:`describe` (one sentence, generated from the options: the rule is the
    message) and :meth:`evaluate`.
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

    @abc.abstractmethod
    def describe(self) -> str:
        """The rule as one sentence, without the ``because`` clause."""

    @abc.abstractmethod
    def evaluate(self, graph: ProjectGraph) -> Findings:
        """Find the violations. Raise :class:`~fitness.domain.errors.RuleError` if the rule
        cannot be checked against this graph (for example it names a missing module)."""

    @property
    def description(self) -> str:
        text = self.describe()
        return f"{text}, because {self.because}" if self.because else text

    def check(self, graph: ProjectGraph) -> RuleResult:
        findings = self.evaluate(graph)
        return RuleResult(
            rule_name=self.name,
            description=self.description,
            violations=findings.violations,
            warnings=findings.warnings,
            guidance=self.broken_contract_guidance or self.how_to_fix,
            rule_type=self.type_name,
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
