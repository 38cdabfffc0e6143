"""What the selected classes or functions of a class or function rule must do. Each
condition carries its own description ("classes in x should <description>"). The
conditions on calls and instantiations are in :mod:`fitness.domain.rules.code.calls`.

Every violation names the class or function with its file and line; where a place in
the code makes it (a base class on the way to a forbidden one, a call, an
instantiation), the violation's chain shows each step with its file and line, as an
import chain does, so reports and annotations point at it.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from fitness.domain.code.detail import Detail
from fitness.domain.code.model import ClassInfo, FunctionInfo
from fitness.domain.code.project import CodeModel
from fitness.domain.code.vocabulary import builtin_bases
from fitness.domain.errors import RuleError, did_you_mean
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import MODULES, has_wildcard
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.code.items import (
    Body,
    Item,
    ancestry,
    ancestry_end,
    base_near_misses,
    file_of,
    is_class,
    is_one_of,
    location,
    missing_methods,
    name_matches,
    named_like,
    protocol_named,
    qualified_name,
    require_classes,
    star_bases_warnings,
    subclasses,
    unresolved_warning,
)
from fitness.domain.rules.conditions import Described, FunctionCondition, Outcome
from fitness.domain.rules.selection import expand
from fitness.domain.violations import Chain, Link, Violation


class CodeCondition(Described):
    """A described condition on the selected classes or functions, and (for a condition
    on calls) on the code outside functions the selection covers (``bodies``: module
    level and class bodies, see :meth:`CodeSelection.bodies`)."""

    #: The option that gives it in configuration (named in errors).
    option: str = ""
    #: Whether it looks at the code outside functions (``bodies``), which then keeps
    #: a selection of no function from being empty.
    reads_bodies: ClassVar[bool] = False
    #: What it reads of the code model beyond the outline (:meth:`Rule.code_detail`).
    code_detail: ClassVar[Detail] = Detail.OUTLINE

    @abc.abstractmethod
    def evaluate(
        self,
        graph: ProjectGraph,
        model: CodeModel,
        selected: Sequence[Item],
        bodies: Sequence[Body] = (),
    ) -> Findings:
        """The violations of the selected classes or functions (and of ``bodies``)."""

    def name_mistakes(self, graph: ProjectGraph, *, empty_ok: bool = False) -> list[str]:
        """The module names of the condition that the graph does not have (checked before
        the rule, as a declared rule's options are)."""
        return []


def item_name(model: CodeModel, item: Item) -> str:
    """``module.Class (file:line)``: how a violation names what breaks the rule."""
    return f"{qualified_name(item)} ({location(model, item)})"


def modules_named(graph: ProjectGraph, patterns: Sequence[str], option: str) -> set[str]:
    """The project's modules the patterns name; a pattern naming none is an error."""
    found: set[str] = set()
    for pattern in patterns:
        modules = expand(graph, pattern, option)
        if not modules:
            hint = "" if has_wildcard(pattern) else did_you_mean(pattern, graph.modules)
            raise RuleError(f"{option}: '{pattern}' matches no module{hint}")
        found |= modules
    return found


def functions_of(selected: Sequence[Item]) -> list[FunctionInfo]:
    """The functions of the selection: a class stands for its methods."""
    functions: list[FunctionInfo] = []
    for item in selected:
        if is_class(item):
            functions.extend(item.methods)
        else:
            functions.append(cast(FunctionInfo, item))
    return functions


def _unresolved_warnings(model: CodeModel, classes: Iterable[ClassInfo]) -> list[str]:
    """A warning for each class whose bases the rule could not all follow: computed
    ones, and those a star import whose names cannot be known may bind."""
    warnings = []
    for cls in classes:
        if cls.unresolved_bases:
            warnings.append(unresolved_warning(model, cls, "the rule could not follow it"))
        warnings += star_bases_warnings(model, cls, "the rule could not follow it")
    return warnings


def code_link(
    model: CodeModel, importer: str, imported: str, module: str, lines: Sequence[int], kind: str
) -> Link:
    """A step of a violation's chain, quoting the source line of its first place."""
    numbers = tuple(sorted(set(lines)))
    return Link(
        importer=importer,
        imported=imported,
        line_numbers=numbers,
        file=file_of(model, module),
        code=model.line_text(module, numbers[0]) if numbers else "",
        kind=kind,
    )


@dataclass(frozen=True)
class ResideIn(CodeCondition):
    modules: tuple[str, ...]
    option: str = "should_reside_in"
    how_to_fix = "Move it into the modules the rule names, or narrow the selection."

    @property
    def description(self) -> str:
        return f"reside in {join_names(self.modules, 'or')}"

    def name_mistakes(self, graph: ProjectGraph, *, empty_ok: bool = False) -> list[str]:
        return MODULES.mistakes(self, graph, self.option, self.modules)

    def evaluate(
        self,
        graph: ProjectGraph,
        model: CodeModel,
        selected: Sequence[Item],
        bodies: Sequence[Body] = (),
    ) -> Findings:
        allowed = modules_named(graph, self.modules, self.option)
        return Findings.of(
            Violation(
                qualified_name(item),
                item.module,
                f"{item_name(model, item)} resides in {item.module}, "
                f"outside {join_names(self.modules, 'and')}",
            )
            for item in selected
            if item.module not in allowed
        )


def classes_of(selected: Sequence[Item]) -> list[ClassInfo]:
    return [item for item in selected if is_class(item)]


#: The most steps of a way up a violation's chain shows: a class deriving from the base
#: a rule forbids through a chain of thousands (a file a pull request can write) must
#: not make thousands of chains thousands of links long.
MAX_WAY_UP = 25


def _ancestry_chain(
    model: CodeModel, steps: list[tuple[ClassInfo, str]], links: dict[tuple[str, str], Link]
) -> Chain:
    """The chain of a way up; its links are shared (through ``links``) by the chains of
    the classes below that take the same way: on a deep hierarchy, each class's chain
    holds most of the one above it."""
    chain = []
    for cls, base in steps:
        link = links.get((cls.qualified_name, base))
        if link is None:
            link = code_link(model, cls.qualified_name, base, cls.module, (cls.line,), "subclass")
            links[cls.qualified_name, base] = link
        chain.append(link)
    return Chain(tuple(chain))


@dataclass(frozen=True)
class NotSubclass(CodeCondition):
    bases: tuple[str, ...]
    option: str = "should_not_subclass"
    how_to_fix = (
        "Keep the class free of that base: derive it from a class of its own layer, and map "
        "it to the framework in an adapter."
    )

    @property
    def description(self) -> str:
        return f"not subclass {join_names(self.bases, 'or')}"

    def evaluate(
        self,
        graph: ProjectGraph,
        model: CodeModel,
        selected: Sequence[Item],
        bodies: Sequence[Body] = (),
    ) -> Findings:
        require_classes(graph, model, self.bases, self.option)
        violations = []
        links: dict[tuple[str, str], Link] = {}
        classes = classes_of(selected)
        for cls in classes:
            base, length = ancestry_end(model, cls, self.bases)
            if length:
                steps = ancestry(model, cls, self.bases, limit=MAX_WAY_UP)
                # A builtin base deriving from the forbidden one: say which, and through what.
                above = [
                    b for b in builtin_bases(base) if any(name_matches(b, p) for p in self.bases)
                ]
                said = f"{above[0]} (through {base})" if above and base not in self.bases else base
                if length > len(steps):
                    said += (
                        f" through {length - 1:,} classes (the chain shows the first {len(steps)})"
                    )
                violations.append(
                    Violation(
                        cls.qualified_name,
                        base,
                        f"{item_name(model, cls)} subclasses {said}",
                        (_ancestry_chain(model, steps, links),),
                    )
                )
        warnings = [
            f"{self.option}: '{pattern}' names no base class (bases are matched by their "
            f"full name); did you mean '{full}'?"
            for pattern, full in base_near_misses(model, classes, self.bases)
        ]
        return Findings.of(violations, [*warnings, *_unresolved_warnings(model, classes)])


@dataclass(frozen=True)
class Subclass(CodeCondition):
    """Derive from one of ``bases``, directly or not. A class that is one of the bases is
    left out, as ``that_subclass`` leaves it out: a rule about a base's subclasses does
    not ask the base to be one of them."""

    bases: tuple[str, ...]
    option: str = "should_subclass"
    how_to_fix = "Derive the class from the base the rule names (directly or not)."

    @property
    def description(self) -> str:
        return f"subclass {join_names(self.bases, 'or')}"

    def evaluate(
        self,
        graph: ProjectGraph,
        model: CodeModel,
        selected: Sequence[Item],
        bodies: Sequence[Body] = (),
    ) -> Findings:
        require_classes(graph, model, self.bases, self.option)
        classes = [cls for cls in classes_of(selected) if not is_one_of(model, cls, self.bases)]
        lacking = [cls for cls in classes if not subclasses(model, cls, self.bases)]
        # A class whose base the model cannot follow is not said not to subclass: warned.
        warnings = {cls.qualified_name: _unresolved_warnings(model, [cls]) for cls in lacking}
        return Findings.of(
            (
                Violation(
                    cls.qualified_name,
                    "",
                    f"{item_name(model, cls)} does not subclass {join_names(self.bases, 'or')}",
                )
                for cls in lacking
                if not warnings[cls.qualified_name]
            ),
            [warning for cls in lacking for warning in warnings[cls.qualified_name]],
        )


@dataclass(frozen=True)
class Implement(CodeCondition):
    """Structurally: the class has every public method of one of the protocols, defined
    on it or inherited (from a class other than the protocol itself)."""

    protocols: tuple[str, ...]
    option: str = "should_implement"
    how_to_fix = "Give the class the methods the protocol declares."

    @property
    def description(self) -> str:
        return f"implement {join_names(self.protocols, 'or')}"

    def evaluate(
        self,
        graph: ProjectGraph,
        model: CodeModel,
        selected: Sequence[Item],
        bodies: Sequence[Body] = (),
    ) -> Findings:
        protocols = [protocol_named(graph, model, p, self.option) for p in self.protocols]
        violations = []
        for cls in classes_of(selected):
            lacking = [missing_methods(model, cls, protocol) for protocol in protocols]
            if not all(lacking):
                continue
            said = item_name(model, cls)
            if len(protocols) == 1:
                summary = f"{said} does not implement {self.protocols[0]}: it lacks "
                summary += join_names(lacking[0])
            else:
                summary = f"{said} implements none of {join_names(self.protocols, 'or')}: "
                summary += "; ".join(
                    f"it lacks {join_names(missing)} of {name}"
                    for name, missing in zip(self.protocols, lacking, strict=True)
                )
            violations.append(
                Violation(
                    cls.qualified_name, ", ".join(p.qualified_name for p in protocols), summary
                )
            )
        return Findings.of(violations)


@dataclass(frozen=True)
class BeNamed(CodeCondition):
    patterns: tuple[str, ...]
    option: str = "should_be_named"
    how_to_fix = "Rename it, so that its name says what it is."

    @property
    def description(self) -> str:
        return f"be named {join_names(self.patterns, 'or')}"

    def evaluate(
        self,
        graph: ProjectGraph,
        model: CodeModel,
        selected: Sequence[Item],
        bodies: Sequence[Body] = (),
    ) -> Findings:
        # The description lists the patterns; a violation repeats a short list only.
        broken = (
            f"is not named {join_names(self.patterns, 'or')}"
            if len(self.patterns) <= 3
            else f"matches none of the {len(self.patterns)} name patterns"
        )
        return Findings.of(
            Violation(qualified_name(item), "", f"{item_name(model, item)} {broken}")
            for item in selected
            if not any(named_like(item, p) for p in self.patterns)
        )


@dataclass(frozen=True)
class BeFrozen(CodeCondition):
    description = "be frozen"
    option: str = "should_be_frozen"
    how_to_fix = (
        "Make it immutable: @dataclass(frozen=True), attrs' frozen=True, a NamedTuple or an Enum."
    )

    def evaluate(
        self,
        graph: ProjectGraph,
        model: CodeModel,
        selected: Sequence[Item],
        bodies: Sequence[Body] = (),
    ) -> Findings:
        return Findings.of(
            Violation(cls.qualified_name, "", f"{item_name(model, cls)} is not frozen")
            for cls in classes_of(selected)
            if not cls.frozen
        )


@dataclass(frozen=True)
class Custom(CodeCondition):
    """A user's condition (:func:`fitness.condition`), called once per class or function
    with it and the graph (``graph.code_model()`` is the whole model)."""

    condition: FunctionCondition
    code_detail: ClassVar[Detail] = Detail.ALL  # it may read anything

    @property
    def description(self) -> str:
        return self.condition.description

    @property
    def how_to_fix(self) -> str:
        return self.condition.how_to_fix

    def evaluate(
        self,
        graph: ProjectGraph,
        model: CodeModel,
        selected: Sequence[Item],
        bodies: Sequence[Body] = (),
    ) -> Findings:
        function = cast(Callable[[Any, ProjectGraph], Outcome], self.condition.function)
        violations: list[Violation] = []
        for item in selected:
            violations.extend(self._violations(model, item, function(item, graph)))
        return Findings.of(violations)

    def _violations(self, model: CodeModel, item: Item, outcome: Outcome) -> list[Violation]:
        name = qualified_name(item)
        if outcome is True or outcome is None:
            return []
        if outcome is False:
            return [Violation(name, "", f"{item_name(model, item)} does not {self.description}")]
        if isinstance(outcome, str):
            return [Violation(name, "", f"{item_name(model, item)}: {outcome}")]
        if isinstance(outcome, Violation):
            return [outcome]
        found = []
        for each in outcome:
            found.extend(self._violations(model, item, each))
        return found
