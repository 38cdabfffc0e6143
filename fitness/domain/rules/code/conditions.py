"""What the selected classes or functions of a class or function rule must do. Each
condition carries its own description ("classes in x should <description>").

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
from fitness.domain.code.model import LOCALS, Call, ClassInfo, FunctionInfo
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
    inside_function,
    is_class,
    is_one_of,
    location,
    missing_methods,
    module_bodies,
    name_matches,
    named_like,
    protocol_named,
    qualified_name,
    require_classes,
    star_bases_warnings,
    star_calls_warnings,
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
    """A warning for each class whose bases the rule could not all follow: computed
    ones, and those a star import whose names cannot be known may bind."""
    warnings = []
    for cls in classes:
        if cls.unresolved_bases:
            warnings.append(unresolved_warning(model, cls, "the rule could not follow it"))
        warnings += star_bases_warnings(model, cls, "the rule could not follow it")
    return warnings


def _link(
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
            link = _link(model, cls.qualified_name, base, cls.module, (cls.line,), "subclass")
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
        classes = _classes(selected)
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
                        f"{_name(model, cls)} subclasses {said}",
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
        classes = [cls for cls in _classes(selected) if not is_one_of(model, cls, self.bases)]
        lacking = [cls for cls in classes if not subclasses(model, cls, self.bases)]
        # A class whose base the model cannot follow is not said not to subclass: warned.
        warnings = {cls.qualified_name: _unresolved_warnings(model, [cls]) for cls in lacking}
        return Findings.of(
            (
                Violation(
                    cls.qualified_name,
                    "",
                    f"{_name(model, cls)} does not subclass {join_names(self.bases, 'or')}",
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
        for cls in _classes(selected):
            lacking = [missing_methods(model, cls, protocol) for protocol in protocols]
            if not all(lacking):
                continue
            said = _name(model, cls)
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
            Violation(qualified_name(item), "", f"{_name(model, item)} {broken}")
            for item in selected
            if not any(named_like(item, p) for p in self.patterns)
        )


@dataclass(frozen=True)
class _Place:
    """Where calls are made: a function or method, or code outside functions."""

    #: The importer of the violation: ``module.function``, ``module``, ``module.Class``.
    name: str
    module: str
    #: How the summary names it, before the verb: ``module.f (file:line)``.
    shown: str
    #: After the target: ``at module level``, ``in its class body`` or "".
    where: str = ""


def _function_place(model: CodeModel, function: FunctionInfo) -> _Place:
    return _Place(qualified_name(function), function.module, _name(model, function))


def _body_place(model: CodeModel, body: Body, first_line: int) -> _Place:
    where = file_of(model, body.module) or body.module
    return _Place(body.name, body.module, f"{body.name} ({where}:{first_line})", body.where)


def _call_violations(model: CodeModel, place: _Place, calls: Iterable[Call]) -> list[Violation]:
    """One violation per target: the place, and each line it calls (or uses) the target on."""
    lines: dict[str, list[Call]] = {}
    for call in calls:
        lines.setdefault(call.target, []).append(call)
    violations = []
    for target, found in lines.items():
        kind = "access" if all(c.kind == "access" for c in found) else "call"
        link = _link(model, place.name, target, place.module, [c.line for c in found], kind)
        where = f" {place.where}" if place.where else ""
        violations.append(
            Violation(
                place.name,
                target,
                f"{place.shown} {link.verb} {target}{where}",
                (Chain((link,)),),
            )
        )
    return violations


@dataclass(frozen=True)
class NotCall(CodeCondition):
    """No call (or attribute access, such as ``os.environ``) whose resolved target
    matches: in the selected functions (a class stands for its methods and its body)
    and in the code outside functions the selection covers (module level and class
    bodies, run at import time). A name matches itself and every name under it
    (``requests`` matches ``requests.get``, ``os.environ`` matches ``os.environ.get``);
    a glob matches as :func:`name_matches` says."""

    targets: tuple[str, ...]
    option: str = "should_not_call"
    reads_bodies: ClassVar[bool] = True
    code_detail: ClassVar[Detail] = Detail.CALLS
    how_to_fix = (
        "Move the call out to an adapter, and hand the result (or a port that makes it) in."
    )

    @property
    def description(self) -> str:
        return f"not call {join_names(self.targets, 'or')}"

    def _matching(self, calls: Iterable[Call]) -> list[Call]:
        return [call for call in calls if any(name_matches(call.target, t) for t in self.targets)]

    def evaluate(
        self,
        graph: ProjectGraph,
        model: CodeModel,
        selected: Sequence[Item],
        bodies: Sequence[Body] = (),
    ) -> Findings:
        violations = []
        # A function's calls are those of what is defined inside it too: what is inside a
        # function of the selection is checked (and reported) as the function's code.
        functions, bodies = _outermost(_functions(selected), bodies)
        for function in functions:
            calls = self._matching(function.calls)
            if calls:
                violations.extend(_call_violations(model, _function_place(model, function), calls))
        for body in bodies:
            calls = self._matching(body.calls)
            if calls:
                place = _body_place(model, body, calls[0].line)
                violations.extend(_call_violations(model, place, calls))
        every_call = [c for f in functions for c in f.calls] + [c for b in bodies for c in b.calls]
        places = [(f.module, qualified_name(f), f.calls) for f in functions]
        places += [(b.module, b.name, b.calls) for b in bodies]
        unknown = star_calls_warnings(
            model, places, f"{self.option} could not check those calls in {{places}}"
        )
        return Findings.of(violations, [*self._near_misses(every_call), *unknown])

    def _near_misses(self, calls: Sequence[Call]) -> list[str]:
        """A name that matches no call, where a call's full name ends with it
        (``datetime.now`` for ``datetime.datetime.now``): the rule would pass unseen."""
        targets = {call.target for call in calls}
        # Only names resolved through the imports: ``console.print`` on a local
        # variable is no "print" mistyped.
        resolved = {call.target for call in calls if call.resolved}
        warnings = []
        for wanted in self.targets:
            if has_wildcard(wanted) or any(name_matches(t, wanted) for t in targets):
                continue
            similar = sorted(t for t in resolved if t.endswith("." + wanted))
            if similar:
                warnings.append(
                    f"{self.option}: '{wanted}' matches no call (calls are matched by their "
                    f"full name); did you mean '{similar[0]}'?"
                )
        return warnings


@dataclass(frozen=True)
class OnlyInstantiatedIn(CodeCondition):
    """Only the allowed modules (and the class's own module) create instances of the
    class: in their functions, or in code outside functions (module level, class
    bodies)."""

    modules: tuple[str, ...]
    option: str = "should_only_be_instantiated_in"
    code_detail: ClassVar[Detail] = Detail.CALLS
    how_to_fix = (
        "Create it where the rule allows (the composition root) and hand it in, "
        "through a port, to the code that needs it."
    )

    @property
    def description(self) -> str:
        return f"only be instantiated in {join_names(self.modules, 'or')}"

    def name_mistakes(self, graph: ProjectGraph, *, empty_ok: bool = False) -> list[str]:
        return MODULES.mistakes(self, graph, self.option, self.modules)

    def evaluate(
        self,
        graph: ProjectGraph,
        model: CodeModel,
        selected: Sequence[Item],
        bodies: Sequence[Body] = (),
    ) -> Findings:
        allowed = _modules(graph, self.modules, self.option)
        wanted = {cls.qualified_name: cls for cls in _classes(selected)}
        # (where, class) -> (module of the code, how it is said, the calls)
        sites: dict[tuple[str, str], tuple[str, str, list[Call]]] = {}

        def note(where: str, module: str, said: str, calls: Iterable[Call]) -> None:
            for call in calls:
                found = model.class_named(call.target)
                name = found.qualified_name if found is not None else call.target
                cls = wanted.get(name)
                if cls is None or module == cls.module:
                    continue
                sites.setdefault((where, name), (module, said, []))[2].append(call)

        outside = [f for f in model.functions(methods=True) if f.module not in allowed]
        functions, bodies = _outermost(outside, module_bodies(model, set(model.modules) - allowed))
        for function in functions:
            where = qualified_name(function)
            note(where, function.module, where, function.instantiates)
        for body in bodies:
            note(body.name, body.module, f"{body.name} ({body.where})", body.instantiates)
        # A class a star import whose names cannot be known may bind, created there.
        shorts = {cls.name.rpartition(".")[2] for cls in wanted.values()}
        places = [
            (f.module, qualified_name(f), [c for c in f.calls if c.target in shorts])
            for f in functions
        ]
        places += [(b.module, b.name, [c for c in b.calls if c.target in shorts]) for b in bodies]
        unknown = star_calls_warnings(
            model, places, f"{self.option} could not check those calls in {{places}}"
        )
        violations = []
        for (where, name), (module, said, calls) in sorted(sites.items()):
            link = _link(model, where, name, module, [c.line for c in calls], "instantiate")
            violations.append(
                Violation(
                    where,
                    name,
                    f"{_name(model, wanted[name])} is instantiated in {said}, "
                    f"outside {join_names(self.modules, 'and')}",
                    (Chain((link,)),),
                )
            )
        return Findings.of(violations, unknown)


def _outermost(
    functions: Sequence[FunctionInfo], bodies: Sequence[Body]
) -> tuple[list[FunctionInfo], list[Body]]:
    """The functions and bodies not defined inside one of ``functions`` (whose calls
    hold theirs): each call is looked at once, where it was before the model held
    nested definitions."""
    names = {qualified_name(f) for f in functions}
    if not any(LOCALS in name for name in names) and not any(LOCALS in b.name for b in bodies):
        return list(functions), list(bodies)
    return (
        [f for f in functions if not inside_function(qualified_name(f), names)],
        [b for b in bodies if not inside_function(b.name, names)],
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
            Violation(cls.qualified_name, "", f"{_name(model, cls)} is not frozen")
            for cls in _classes(selected)
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
            return [Violation(name, "", f"{_name(model, item)} does not {self.description}")]
        if isinstance(outcome, str):
            return [Violation(name, "", f"{_name(model, item)}: {outcome}")]
        if isinstance(outcome, Violation):
            return [outcome]
        found = []
        for each in outcome:
            found.extend(self._violations(model, item, each))
        return found
