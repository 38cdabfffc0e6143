"""The conditions of the class and function rules on what the code calls and where it
instantiates: ``should_not_call`` and ``should_only_be_instantiated_in``. They read the
calls of the code model (functions, and the code outside functions a selection covers:
module level and class bodies), and show each call's place as a step of the chain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from fitness.domain.code.detail import Detail
from fitness.domain.code.model import LOCALS, Call, FunctionInfo
from fitness.domain.code.project import CodeModel
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import MODULES, has_wildcard
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.code.conditions import (
    CodeCondition,
    classes_of,
    code_link,
    functions_of,
    item_name,
    modules_named,
)
from fitness.domain.rules.code.items import (
    Body,
    Item,
    file_of,
    inside_function,
    module_bodies,
    name_matches,
    qualified_name,
    star_calls_warnings,
)
from fitness.domain.violations import Chain, Violation


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
    return _Place(qualified_name(function), function.module, item_name(model, function))


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
        link = code_link(model, place.name, target, place.module, [c.line for c in found], kind)
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
        functions, bodies = _outermost(functions_of(selected), bodies)
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
        allowed = modules_named(graph, self.modules, self.option)
        wanted = {cls.qualified_name: cls for cls in classes_of(selected)}
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
            link = code_link(model, where, name, module, [c.line for c in calls], "instantiate")
            violations.append(
                Violation(
                    where,
                    name,
                    f"{item_name(model, wanted[name])} is instantiated in {said}, "
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
