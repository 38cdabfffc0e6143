"""Module expressions: names with ``*`` (one level) and ``**`` (any depth) wildcards."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from grimp.exceptions import GrimpException

from fitness.domain.errors import MissingModuleError, RuleError
from fitness.domain.graph import ProjectGraph, in_package


def has_wildcard(expression: str) -> bool:
    return "*" in expression


def resolve(graph: ProjectGraph, expression: str, *, option: str) -> set[str]:
    """The modules an expression names.

    A plain name is returned as it is (whether it exists is checked separately,
    by :func:`require_in_graph`), so that external packages that nothing imports
    can still be named. A wildcard expression that matches nothing is an error:
    a typo must not make a rule pass silently.
    """
    if not has_wildcard(expression):
        return {expression}
    matches = matching_modules(graph, expression, option=option)
    if not matches:
        raise MissingModuleError(
            f"{option}: the expression '{expression}' matches no module", module=expression
        )
    return matches


def matching_modules(graph: ProjectGraph, expression: str, *, option: str) -> set[str]:
    """The modules a wildcard expression matches (perhaps none); a :class:`RuleError`
    that says what is wrong if grimp refuses the expression."""
    try:
        return set(graph.grimp.find_matching_modules(expression))
    except (GrimpException, ValueError):
        raise RuleError(
            f"{option}: '{expression}' is not a valid module expression: "
            f"{expression_problem(expression)}"
        ) from None


def invalid_expression(graph: ProjectGraph, expression: str) -> str | None:
    """What is wrong with a module expression, or None if grimp accepts it."""
    try:
        graph.grimp.find_matching_modules(expression)
    except (GrimpException, ValueError):
        return expression_problem(expression)
    return None


def expression_problem(expression: str) -> str:
    """What is wrong with a module expression that grimp refuses, in a few words."""
    if not expression.strip():
        return "it is empty"
    if any(c.isspace() for c in expression):
        return "it contains a space"
    parts = expression.split(".")
    if "" in parts:
        return "it has an empty name part (two dots in a row, or a dot at an end)"
    for part in parts:
        if "*" in part and part not in ("*", "**"):
            return (
                f"a wildcard must be a whole name part ('*' for one, '**' for any number), "
                f"not part of '{part}'"
            )
    for before, after in itertools.pairwise(parts):
        if "**" in (before, after) and before in ("*", "**") and after in ("*", "**"):
            return f"'**' cannot be next to another wildcard ('{before}.{after}')"
    return "write module names separated by dots, with '*' for one name part, '**' for any number"


def resolve_all(graph: ProjectGraph, expressions: Iterable[str], *, option: str) -> set[str]:
    modules: set[str] = set()
    for expression in expressions:
        modules |= resolve(graph, expression, option=option)
    return modules


def require_in_graph(graph: ProjectGraph, modules: Iterable[str], *, option: str) -> None:
    """Raise a :class:`MissingModuleError` naming the first module that is not in the graph."""
    for module in sorted(modules):
        if module not in graph:
            hint = graph.missing_hint(module)
            raise MissingModuleError(
                f"{option}: module '{module}' is not in the graph{hint}", module=module
            )


# Options that name modules ---------------------------------------------------------


@dataclass(frozen=True)
class ModuleNames:
    """How the entries of a rule option name modules: declared once per option,
    ``option(names=MODULES)``, so that every entry of it is checked against the graph
    before the rule is, by every rule type (built-in or from a plugin) alike. A misspelt
    entry is an error with a "did you mean", even beside a right one (a union of
    patterns would otherwise pass on the right one).

    An entry is a module name (which must be in the graph) or a wildcard expression
    (which must be valid and match a module): the messages are ``forbidden``'s
    (:func:`require_in_graph`, :func:`resolve`).
    """

    #: Names outside the root packages are accepted: external packages, which the
    #: graph holds only when something imports them (``forbidden_modules = ["sqlalchemy"]``).
    external: bool = False
    #: The name of a boolean option that, when true, lets an entry name nothing
    #: (``allow_empty``: the selection may be empty, a module may be absent).
    empty_if: str = ""
    #: Each entry lists siblings separated by this (``"a | b"``: clean architecture's rings).
    separator: str = ""
    #: In a table option: the table's ``"keys"`` name modules, or its ``"values"``.
    mapping: str = "keys"
    #: Check the entries only when this says so for the rule (``protected``'s allowed
    #: importers, required only as packages); ``None``: always.
    when: Callable[[Any], bool] | None = None

    def entries(self, value: Any) -> list[str]:
        """The module names or expressions an option's value holds."""
        if isinstance(value, str):
            values: list[Any] = [value] if value else []
        elif isinstance(value, Mapping):
            values = list(value.values() if self.mapping == "values" else value.keys())
        else:
            values = list(value or ())
        names: list[str] = []
        for item in values:
            for name in [item] if isinstance(item, str) else list(item or ()):
                if self.separator:  # "a | b": the spaces around the separator do not count
                    names.extend(part.strip() for part in name.split(self.separator))
                else:
                    names.append(name)
        return names

    def mistakes(self, rule: Any, graph: ProjectGraph, option: str, value: Any) -> list[str]:
        """What is wrong with each entry of the option (nothing: they all name modules)."""
        if self.when is not None and not self.when(rule):
            return []
        empty_ok = bool(self.empty_if and getattr(rule, self.empty_if, False))
        found = []
        for entry in self.entries(value):
            mistake = self.mistake(graph, option, entry, empty_ok=empty_ok)
            if mistake and mistake not in found:
                found.append(mistake)
        return found

    def mistake(self, graph: ProjectGraph, option: str, entry: str, *, empty_ok: bool) -> str:
        """What is wrong with one entry, or ``""``."""
        if self.external and not has_wildcard(entry) and not graph.is_internal(entry):
            return ""
        return entry_mistake(graph, option, entry, empty_ok=empty_ok)


def entry_mistake(graph: ProjectGraph, option: str, entry: str, *, empty_ok: bool = False) -> str:
    """What is wrong with a module name or wildcard expression, as ``forbidden`` says it:
    a name not in the graph (with "did you mean"), an invalid expression, or one that
    matches no module; ``""`` if nothing is. With ``empty_ok`` (a selection allowed to
    be empty) only an invalid expression is wrong."""
    if has_wildcard(entry) or empty_ok:
        try:
            matches = graph.grimp.find_matching_modules(entry)
        except (GrimpException, ValueError):
            return f"{option}: '{entry}' is not a valid module expression: " + (
                expression_problem(entry)
            )
        if not empty_ok and not matches:
            return f"{option}: the expression '{entry}' matches no module"
        return ""
    if entry in graph:
        return ""
    return f"{option}: module '{entry}' is not in the graph{graph.missing_hint(entry)}"


@dataclass(frozen=True)
class CheckedBy(ModuleNames):
    """An option whose names only the rule type can check (layer names relative to
    containers, metric packages at a depth): ``method`` of the rule, called with the
    graph, returns its mistakes (one message each)."""

    method: str = ""

    def mistakes(self, rule: Any, graph: ProjectGraph, option: str, value: Any) -> list[str]:
        if self.when is not None and not self.when(rule):
            return []
        return list(getattr(rule, self.method)(graph))


@dataclass(frozen=True)
class OwnNames(ModuleNames):
    """An option whose value knows which module names it holds (a fluent rule's
    selection or condition): its ``name_mistakes(graph, empty_ok=...)`` says."""

    def mistakes(self, rule: Any, graph: ProjectGraph, option: str, value: Any) -> list[str]:
        check = getattr(value, "name_mistakes", None)
        if check is None:
            return []
        empty_ok = bool(self.empty_if and getattr(rule, self.empty_if, False))
        return list(check(graph, empty_ok=empty_ok))


#: The option names modules or wildcard expressions, each of which must be in the graph.
MODULES = ModuleNames()
#: As :data:`MODULES`, but a name outside the root packages is accepted (an external
#: package, perhaps not imported at all).
MODULES_OR_EXTERNAL = ModuleNames(external=True)
#: A selection's patterns (``a.b``, ``a.*``, ``a.**``): they may name nothing when
#: ``allow_empty`` is true.
SELECTED_MODULES = ModuleNames(empty_if="allow_empty")
#: A fluent rule's selection (:class:`OwnNames`; it may name nothing with allow_empty).
OWN_SELECTION = OwnNames(empty_if="allow_empty")
#: A fluent rule's condition (:class:`OwnNames`).
OWN_NAMES = OwnNames()


def name_mistakes(rule: Any, graph: ProjectGraph) -> list[RuleError]:
    """Every mistake in the options of ``rule`` that name modules (declared with
    ``option(names=...)``), each a :class:`RuleError` keyed on its option, in the order of
    the options and of their entries."""
    found: list[RuleError] = []
    for field in dataclasses.fields(rule):
        kind = field.metadata.get("names")
        if kind is None:
            continue
        value = getattr(rule, field.name)
        if value is None or (not value and not isinstance(value, bool)):
            continue
        found.extend(
            _name_error(graph, message, key=(field.name,))
            for message in kind.mistakes(rule, graph, field.name, value)
        )
    return found


_MISSING = re.compile(
    r": (?:module '(?P<module>[^']*)' is not in the graph|"
    r"the expression '(?P<expression>[^']*)' matches no module)"
)


def _name_error(graph: ProjectGraph, message: str, *, key: tuple[str | int, ...]) -> RuleError:
    """The error for one misnamed entry: a :class:`MissingModuleError` when the entry
    names a module of the root packages the graph does not have (at an older commit, a
    module not written yet: the rule is not applicable there), else a :class:`RuleError`."""
    found = _MISSING.search(message)
    name = found and (found.group("module") or found.group("expression"))
    if not name or not any(in_package(name, root) for root in graph.root_packages):
        return RuleError(message, key=key)
    return MissingModuleError(message, key=key, module=name)


def names_options(rule_type: type) -> list[str]:
    """The options of a rule type that name modules (declared with ``option(names=...)``)."""
    return [
        field.name
        for field in dataclasses.fields(rule_type)
        if field.init and field.metadata.get("names") is not None
    ]


def governed_by(graph: ProjectGraph, *values: Any, kind: ModuleNames = MODULES) -> set[str]:
    """The modules of the root packages that the options' values name, each with
    everything under it (a rule's scope, for ``fitness coverage``). Lenient: a name not in
    the graph, or an expression that matches nothing, names nothing here (the rule's own
    check reports it)."""
    found: set[str] = set()
    for value in values:
        for entry in kind.entries(value):
            if has_wildcard(entry):
                try:
                    matches = set(graph.grimp.find_matching_modules(entry))
                except (GrimpException, ValueError):
                    continue
            else:
                matches = {entry} if entry in graph else set()
            for module in matches:
                if graph.is_internal(module):
                    found |= graph.with_descendants(module)
    return found
