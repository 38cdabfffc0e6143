"""What the selected classes or functions of a class or function rule must do. Each
condition carries its own description ("classes in x should <description>").

Every violation names the class or function with its file and line; where a place in
the code makes it (a base class on the way to a forbidden one, a call, an
instantiation), the violation's chain shows each step with its file and line, as an
import chain does, so reports and annotations point at it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from fitness.domain.codemodel import Call, ClassInfo, CodeModel, FunctionInfo
from fitness.domain.errors import RuleError, did_you_mean
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import has_wildcard
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.code_selection import (
    Item,
    ancestry,
    base_near_misses,
    file_of,
    is_class,
    location,
    missing_methods,
    name_matches,
    named_like,
    protocol_named,
    qualified_name,
    require_classes,
)
from fitness.domain.rules.conditions import FunctionCondition, Outcome
from fitness.domain.rules.selection import expand
from fitness.domain.violations import Chain, Link, Violation


class CodeCondition:
    """A described condition on the selected classes or functions."""

    #: Completes "classes in x should ...", e.g. "not subclass y".
    description: str
    #: What to do about a violation.
    how_to_fix: str = ""
    #: The option that gives it in configuration (named in errors).
    option: str = ""

    def evaluate(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> Findings:
        raise NotImplementedError


def _name(model: CodeModel, item: Item) -> str:
    """``module.Class (file:line)``: how a violation names what breaks the rule."""
    return f"{qualified_name(item)} ({location(model, item)})"


def _modules(graph: ProjectGraph, patterns: Sequence[str], option: str) -> set[str]:
    """The project's modules the patterns name; a pattern naming none is an error."""
    found: set[str] = set()
    for pattern in patterns:
        modules = expand(graph, pattern, option)
        if not modules:
            hint = "" if has_wildcard(pattern) else did_you_mean(pattern, graph.modules)
            raise RuleError(f"{option}: '{pattern}' matches no module{hint}")
        found |= modules
    return found


def _functions(selected: Sequence[Item]) -> list[FunctionInfo]:
    """The functions of the selection: a class stands for its methods."""
    functions: list[FunctionInfo] = []
    for item in selected:
        if is_class(item):
            functions.extend(item.methods)
        else:
            functions.append(cast(FunctionInfo, item))
    return functions


def _unresolved_warnings(model: CodeModel, classes: Iterable[ClassInfo]) -> list[str]:
    return [
        f"{_name(model, cls)}: base {join_names(cls.unresolved_bases)} cannot be resolved "
        "statically; the rule could not follow it"
        for cls in classes
        if cls.unresolved_bases
    ]


@dataclass(frozen=True)
class ResideIn(CodeCondition):
    modules: tuple[str, ...]
    option: str = "should_reside_in"
    how_to_fix: str = "Move it into the modules the rule names, or narrow the selection."

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"reside in {join_names(self.modules, 'or')}"

    def evaluate(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> Findings:
        allowed = _modules(graph, self.modules, self.option)
        return Findings.of(
            Violation(
                qualified_name(item),
                item.module,
                f"{_name(model, item)} resides in {item.module}, "
                f"outside {join_names(self.modules, 'and')}",
            )
            for item in selected
            if item.module not in allowed
        )


def _classes(selected: Sequence[Item]) -> list[ClassInfo]:
    return [item for item in selected if is_class(item)]


def _ancestry_chain(model: CodeModel, steps: list[tuple[ClassInfo, str]]) -> Chain:
    return Chain(
        tuple(
            Link(
                importer=cls.qualified_name,
                imported=base,
                line_numbers=(cls.line,),
                file=file_of(model, cls.module),
            )
            for cls, base in steps
        )
    )


@dataclass(frozen=True)
class NotSubclass(CodeCondition):
    bases: tuple[str, ...]
    option: str = "should_not_subclass"
    how_to_fix: str = (
        "Keep the class free of that base: derive it from a class of its own layer, and map "
        "it to the framework in an adapter."
    )

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"not subclass {join_names(self.bases, 'or')}"

    def evaluate(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> Findings:
        require_classes(graph, model, self.bases, self.option)
        violations = []
        classes = _classes(selected)
        for cls in classes:
            steps = ancestry(model, cls, self.bases)
            if steps:
                base = steps[-1][1]
                violations.append(
                    Violation(
                        cls.qualified_name,
                        base,
                        f"{_name(model, cls)} subclasses {base}",
                        (_ancestry_chain(model, steps),),
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
    bases: tuple[str, ...]
    option: str = "should_subclass"
    how_to_fix: str = "Derive the class from the base the rule names (directly or not)."

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"subclass {join_names(self.bases, 'or')}"

    def evaluate(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> Findings:
        require_classes(graph, model, self.bases, self.option)
        classes = _classes(selected)
        unresolved = [cls for cls in classes if cls.unresolved_bases]
        return Findings.of(
            (
                Violation(
                    cls.qualified_name,
                    "",
                    f"{_name(model, cls)} does not subclass {join_names(self.bases, 'or')}",
                )
                for cls in classes
                if not cls.unresolved_bases and not ancestry(model, cls, self.bases)
            ),
            _unresolved_warnings(model, unresolved),
        )


@dataclass(frozen=True)
class Implement(CodeCondition):
    """Structurally: the class has every public method of the protocol, defined on it or
    inherited (from a class other than the protocol itself)."""

    protocol: str
    option: str = "should_implement"
    how_to_fix: str = "Give the class the methods the protocol declares."

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"implement {self.protocol}"

    def evaluate(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> Findings:
        protocol = protocol_named(graph, model, self.protocol, self.option)
        violations = []
        for cls in _classes(selected):
            missing = missing_methods(model, cls, protocol)
            if missing:
                violations.append(
                    Violation(
                        cls.qualified_name,
                        protocol.qualified_name,
                        f"{_name(model, cls)} does not implement {self.protocol}: "
                        f"it lacks {join_names(missing)}",
                    )
                )
        return Findings.of(violations)


@dataclass(frozen=True)
class BeNamed(CodeCondition):
    patterns: tuple[str, ...]
    option: str = "should_be_named"
    how_to_fix: str = "Rename it, so that its name says what it is."

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"be named {join_names(self.patterns, 'or')}"

    def evaluate(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> Findings:
        # The description lists the patterns; a violation repeats a short list only.
        broken = (
            f"is not named {join_names(self.patterns, 'or')}"
            if len(self.patterns) <= 3
            else f"matches none of the {len(self.patterns)} name patterns"
        )
        return Findings.of(
            Violation(qualified_name(item), "", f"{_name(model, item)} {broken}")
            for item in selected
            if not any(named_like(item, p) for p in self.patterns)
        )


def _call_violations(
    model: CodeModel, function: FunctionInfo, calls: Iterable[Call], verb: Callable[[Call], str]
) -> list[Violation]:
    """One violation per target: the function, and each line it calls the target on."""
    lines: dict[str, list[Call]] = {}
    for call in calls:
        lines.setdefault(call.target, []).append(call)
    name = qualified_name(function)
    return [
        Violation(
            name,
            target,
            f"{_name(model, function)} {verb(found[0])} {target}",
            (
                Chain(
                    (
                        Link(
                            importer=name,
                            imported=target,
                            line_numbers=tuple(sorted({c.line for c in found})),
                            file=file_of(model, function.module),
                        ),
                    )
                ),
            ),
        )
        for target, found in lines.items()
    ]


@dataclass(frozen=True)
class NotCall(CodeCondition):
    """No call (or attribute access, such as ``os.environ``) whose resolved target matches."""

    targets: tuple[str, ...]
    option: str = "should_not_call"
    how_to_fix: str = (
        "Move the call out to an adapter, and hand the result (or a port that makes it) in."
    )

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"not call {join_names(self.targets, 'or')}"

    def evaluate(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> Findings:
        violations = []
        functions = _functions(selected)
        for function in functions:
            calls = [
                call
                for call in function.calls
                if any(name_matches(call.target, t) for t in self.targets)
            ]
            violations.extend(
                _call_violations(
                    model,
                    function,
                    calls,
                    lambda call: "uses" if call.kind == "access" else "calls",
                )
            )
        return Findings.of(violations, self._near_misses(functions))

    def _near_misses(self, functions: Sequence[FunctionInfo]) -> list[str]:
        """A name that matches no call, where a call's full name ends with it
        (``datetime.now`` for ``datetime.datetime.now``): the rule would pass unseen."""
        targets = {call.target for function in functions for call in function.calls}
        warnings = []
        for wanted in self.targets:
            if has_wildcard(wanted) or any(name_matches(t, wanted) for t in targets):
                continue
            similar = sorted(t for t in targets if t.endswith("." + wanted))
            if similar:
                warnings.append(
                    f"{self.option}: '{wanted}' matches no call (calls are matched by their "
                    f"full name); did you mean '{similar[0]}'?"
                )
        return warnings


@dataclass(frozen=True)
class OnlyInstantiatedIn(CodeCondition):
    """Only functions of the allowed modules (and of the class's own module) create
    instances of the class."""

    modules: tuple[str, ...]
    option: str = "should_only_be_instantiated_in"
    how_to_fix: str = (
        "Create it where the rule allows (the composition root) and hand it in, "
        "through a port, to the code that needs it."
    )

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"only be instantiated in {join_names(self.modules, 'or')}"

    def evaluate(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> Findings:
        allowed = _modules(graph, self.modules, self.option)
        wanted = {cls.qualified_name: cls for cls in _classes(selected)}
        sites: dict[tuple[str, str], tuple[FunctionInfo, list[Call]]] = {}
        for function in model.functions(methods=True):
            if function.module in allowed:
                continue
            for call in function.instantiates:
                found = model.class_named(call.target)
                name = found.qualified_name if found is not None else call.target
                cls = wanted.get(name)
                if cls is None or function.module == cls.module:
                    continue
                sites.setdefault((qualified_name(function), name), (function, []))[1].append(call)
        violations = []
        for (where, name), (function, calls) in sorted(sites.items()):
            cls = wanted[name]
            violations.append(
                Violation(
                    where,
                    name,
                    f"{_name(model, cls)} is instantiated in {where}, "
                    f"outside {join_names(self.modules, 'and')}",
                    (
                        Chain(
                            (
                                Link(
                                    importer=where,
                                    imported=name,
                                    line_numbers=tuple(sorted({c.line for c in calls})),
                                    file=file_of(model, function.module),
                                ),
                            )
                        ),
                    ),
                )
            )
        return Findings.of(violations)


@dataclass(frozen=True)
class BeFrozen(CodeCondition):
    description: str = "be frozen"
    option: str = "should_be_frozen"
    how_to_fix: str = (
        "Make it immutable: @dataclass(frozen=True), attrs' frozen=True, a NamedTuple or an Enum."
    )

    def evaluate(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> Findings:
        return Findings.of(
            Violation(cls.qualified_name, "", f"{_name(model, cls)} is not frozen")
            for cls in _classes(selected)
            if not cls.frozen
        )


@dataclass(frozen=True)
class Custom(CodeCondition):
    """A user's condition (:func:`fitness.condition`), called once per class or function
    with it and the graph (``graph.code_model()`` is the whole model)."""

    condition: FunctionCondition

    @property
    def description(self) -> str:  # type: ignore[override]
        return self.condition.description

    @property
    def how_to_fix(self) -> str:  # type: ignore[override]
        return self.condition.how_to_fix

    def evaluate(self, graph: ProjectGraph, model: CodeModel, selected: Sequence[Item]) -> Findings:
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
            return [Violation(name, "", f"{_name(model, item)} does not {self.description}")]
        if isinstance(outcome, str):
            return [Violation(name, "", f"{_name(model, item)}: {outcome}")]
        if isinstance(outcome, Violation):
            return [outcome]
        found = []
        for each in outcome:
            found.extend(self._violations(model, item, each))
        return found
