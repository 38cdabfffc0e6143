"""Every option that names modules is checked entry by entry against the graph, for
every rule type alike: a misspelt name is a configuration error with a "did you mean",
even beside a right one (a union of patterns would otherwise pass on the right one).

The option declares it once (``option(names=...)``); the walk below goes through every
registered rule type, so a new rule type, or a new option, cannot forget it."""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from fitness import ClassesRule, FunctionsRule, classes, functions, modules
from fitness.application.check import check_project
from fitness.domain.code import ClassInfo, CodeModel, ModuleCode
from fitness.domain.errors import RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.modules import ModuleNames, names_options
from fitness.domain.options import build_rule
from fitness.domain.rules import builtin_rule_types
from fitness.domain.rules.base import Rule, found_by
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from fitness.domain.rules.imports.layers import LayersRule
from fitness.domain.rules.imports.protected import ProtectedRule
from tests.application.fakes import FakeProject
from tests.helpers import REPO, fake_graph

MODULES = """
app.domain.model -> app.domain.services
app.application.use_cases -> app.domain.model
app.adapters.db -> app.application.use_cases
app.adapters.web -> app.application.use_cases
app.ports
app.main -> app.adapters.db
app.commands
app.queries
app.read_model
app.write_model
app.events
app.subscribers
app.billing.api
app.shipping.api
app.kernel
app.legacy
app.modern
app.settings
"""


def graph() -> ProjectGraph:
    return fake_graph(MODULES, roots=("app",))


# One or more samples of every rule type: valid options naming modules of MODULES.
# Each option that names modules must appear, with plain module names, in one of them.
SAMPLES: dict[str, list[dict[str, Any]]] = {
    "layers": [
        {"layers": ["adapters", "application", "domain"], "containers": ["app"]},
        {"layers": ["app.adapters", "app.application", "app.domain"]},
    ],
    "forbidden": [{"source_modules": ["app.domain"], "forbidden_modules": ["app.adapters"]}],
    "dependencies": [{"usage": {"app.domain": []}}],
    "independence": [{"modules": ["app.billing", "app.shipping"]}],
    "protected": [{"protected_modules": ["app.adapters"], "allowed_importers": ["app.main"]}],
    "private_modules": [{"packages_with_private_modules": ["app.domain"]}],
    "acyclic_siblings": [{"ancestors": ["app"], "skip_descendants": ["app.domain"]}],
    "acyclic": [{"modules": ["app.domain"]}],
    "hexagonal": [
        {
            "domain": "app.domain",
            "application": "app.application",
            "ports": "app.ports",
            "adapters": ["app.adapters.db", "app.adapters.web"],
            "composition_root": "app.main",
            "domain_may_import": ["app.kernel"],
        }
    ],
    "clean_architecture": [
        {"rings": ["app.domain", "app.application", "app.adapters"], "frameworks": ["app.main"]},
        {
            "rings": ["app.domain", "app.application", "app.adapters"],
            "composition_root": ["app.main"],
        },
    ],
    "onion": [
        {
            "domain_models": ["app.domain.model"],
            "domain_services": ["app.domain.services"],
            "application_services": ["app.application"],
            "adapters": {"db": "app.adapters.db", "web": "app.adapters.web"},
            "frameworks": ["app.main"],
            "composition_root": ["app.main"],
        }
    ],
    "cqrs": [
        {
            "commands": ["app.commands"],
            "queries": ["app.queries"],
            "read_model": ["app.read_model"],
            "write_model": ["app.write_model"],
            "domain": ["app.domain"],
        }
    ],
    "event_driven": [
        {
            "publishers": ["app.commands"],
            "subscribers": ["app.subscribers"],
            "events": ["app.events"],
            "events_may_import": ["app.kernel"],
        }
    ],
    "bounded_contexts": [
        {"contexts": ["app.billing", "app.shipping"], "exclude": ["app.main"]},
        {"contexts": ["app.billing", "app.shipping"], "shared_kernel": ["app.kernel"]},
    ],
    "modular_monolith": [{"modules": {"app.billing": {}, "app.shipping": {}}}],
    "metrics": [
        {
            "packages": ["app.domain"],
            "overrides": {"app.domain": {"max_instability": 1.0}},
            "max_instability": 0.9,
        }
    ],
    "modules": [
        {
            "select": ["app.domain"],
            "excluding": ["app.domain.model"],
            "should_not_import": ["app.adapters"],
        },
        {"select": ["app.domain"], "should_only_import": ["app.kernel"]},
        {"select": ["app.domain"], "should_not_be_imported_by": ["app.main"]},
        {"select": ["app.domain"], "should_only_be_imported_by": ["app.application"]},
    ],
    "classes": [
        {
            "modules": ["app.domain"],
            "excluding": ["app.legacy"],
            "should_reside_in": ["app.domain"],
        },
        {"modules": ["app.domain"], "should_only_be_instantiated_in": ["app.main"]},
    ],
    "functions": [
        {"modules": ["app.domain"], "excluding": ["app.legacy"], "should_reside_in": ["app.domain"]}
    ],
    "strangler_fig": [{"legacy": "app.legacy", "replacement": "app.modern"}],
    "django_settings_access": [
        {"settings_modules": ["app.settings"], "allowed_importers": ["app.main"]}
    ],
}

#: Options whose text is not a module of the graph, and why (each checked otherwise):
#: an option of every rule type by its name, one of a single type as ``type.option``.
NOT_MODULE_NAMES = {
    "name": "the rule's name",
    "because": "prose",
    "broken_contract_guidance": "prose",
    "adr": "a file or a URL, checked when the configuration is read",
    "ignore_imports": "import expressions; one that matches no import is an error already",
    "layers.exhaustive_ignores": "names of a container's children that need not be layers",
    "layers.closed_layers": "names of layers, checked against 'layers' when the rule is read",
    "clean_architecture.ring_names": "names given to the rings",
    "bounded_contexts.published": "submodule names relative to each context (warned about)",
    "bounded_contexts.context_map": "relations between the declared contexts, checked by the rule",
    "that_subclass": "class names, checked by the rule (no class of the project)",
    "that_implement": "protocols of the project, checked by the rule",
    "should_subclass": "class names, checked by the rule",
    "should_not_subclass": "class names, checked by the rule",
    "should_implement": "a protocol of the project, checked by the rule",
    "that_are_named": "name patterns",
    "should_be_named": "name patterns",
    "that_are_decorated_with": "decorator names, matched by their full name",
    "should_not_call": "names of what may not be called (print, requests, os.environ)",
    "django_app_dependencies.apps": "Django apps by module or label, checked by the rule",
    "django_models_isolation.models": "app submodule names, relative to each Django app",
    "django_models_isolation.forbidden": "app submodule names, relative to each Django app",
    "unmatched_ignore_imports_alerting": "a choice",
    "dependencies.usage": "packages, each checked by the rule (with 'did you mean')",
    "dependencies.module_distributions": "import names of third-party distributions",
    "dependencies.requirements_files": "files, relative to the configuration",
    "dependencies.development_requirements_files": "files, relative to the configuration",
    "dependencies.development_extras": "names of extras of the project's metadata",
    "dependencies.production_groups": "names of dependency groups of the project's metadata",
    "dependencies.test_modules": "test packages that may be absent (tests, testing...)",
    "dependencies.environment": "directories of installed distributions",
    "dependencies.ignore_undeclared": "distribution or import names",
    "dependencies.ignore_unused": "distribution names",
    "dependencies.ignore_development_only": "distribution names",
}


def rule_types() -> dict[str, type[Rule]]:
    """Every registered rule type: the built-in ones and the first-party plugin's."""
    sys.path.insert(0, str(REPO / "plugins" / "fitness-django" / "src"))
    try:
        import fitness_django
    finally:
        sys.path.pop(0)
    found = {cls.type_name: cls for cls in builtin_rule_types()}
    found.update({cls.type_name: cls for cls in fitness_django.RULE_TYPES})
    return found


TYPES = rule_types()


def typo(name: str) -> str:
    """``app.domain`` -> ``app.dmoain``: two letters of the last part swapped (or its
    last letter doubled: ``app`` -> ``appp``)."""
    head, dot, last = name.rpartition(".")
    if len(last) < 3 or last[1] == last[2]:
        return f"{name}{last[-1]}"
    return f"{head}{dot}{last[0]}{last[2]}{last[1]}{last[3:]}"


def misspelt(value: Any, kind: ModuleNames) -> Any:
    """The option's value with one misspelt name beside the right ones."""
    if isinstance(value, str):
        return typo(value)
    if isinstance(value, Mapping):
        first_key, first = next(iter(value.items()))
        if kind.mapping == "values":
            return {**value, "misspelt": typo(first)}
        return {**value, typo(first_key): first}
    return [typo(value[0]), *value]


def cases() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for type_name, cls in sorted(TYPES.items()):
        for option in names_options(cls):
            sample = next((s for s in SAMPLES.get(type_name, []) if option in s), None)
            yield type_name, option, sample or {}


CASES = list(cases())


def kind_of(cls: type[Rule], option: str) -> ModuleNames:
    field = next(f for f in dataclasses.fields(cls) if f.name == option)
    kind: ModuleNames = field.metadata["names"]
    return kind


@pytest.mark.parametrize(
    ("type_name", "option", "sample"), CASES, ids=[f"{t}.{o}" for t, o, _ in CASES]
)
def test_a_misspelt_module_beside_a_right_one_is_a_configuration_error_with_did_you_mean(
    type_name: str, option: str, sample: dict[str, Any]
) -> None:
    cls = TYPES[type_name]
    assert sample, f"add a sample of {type_name} naming modules in '{option}' to SAMPLES"
    right = build_rule(cls, {"name": "rule", **sample})
    assert right.name_mistakes(graph()) == []

    raw = {"name": "rule", **sample, option: misspelt(sample[option], kind_of(cls, option))}
    rule = build_rule(cls, raw)
    outcome = check_project(FakeProject(graph(), (rule,)))
    [mistake] = outcome.mistakes
    assert mistake.key == ("rules", 0, option)
    assert mistake.message.startswith(f"rule 'rule': {option}")
    assert "; did you mean '" in mistake.message
    # Checked in code (a pytest item, a rule in a test), the rule cannot be checked.
    assert found_by(rule, graph()).errors == (mistake.message.removeprefix("rule 'rule': "),)


def test_every_rule_type_has_options_naming_modules_or_none_that_could() -> None:
    """Each option is declared as naming modules or listed here as naming none: a new
    option that names modules cannot slip through unchecked."""
    undecided = []
    for type_name, cls in sorted(TYPES.items()):
        hints = typing.get_type_hints(cls)
        declared = set(names_options(cls))
        for field in dataclasses.fields(cls):
            hint = str(hints[field.name])
            holds_text = "str" in hint and "Literal" not in hint
            excused = {field.name, f"{type_name}.{field.name}"} & set(NOT_MODULE_NAMES)
            if field.init and holds_text and field.name not in declared and not excused:
                undecided.append(f"{type_name}.{field.name}")
    assert undecided == []


def test_the_walk_covers_the_import_linter_types_the_styles_and_the_code_rules() -> None:
    walked = {(t, o) for t, o, _ in CASES}
    for expected in [
        ("forbidden", "source_modules"),
        ("layers", "layers"),
        ("layers", "containers"),
        ("hexagonal", "domain"),
        ("modular_monolith", "modules"),
        ("classes", "modules"),
        ("classes", "excluding"),
        ("functions", "excluding"),
        ("modules", "select"),
        ("metrics", "packages"),
        ("django_settings_access", "settings_modules"),
    ]:
        assert expected in walked


# What the issue found ---------------------------------------------------------------


def test_a_classes_rule_with_one_misspelt_module_beside_a_right_one_is_an_error() -> None:
    rule = ClassesRule(name="c", modules=("app.domian", "app.domain"), should_be_named=("*",))

    assert found_by(rule, graph()).errors == (
        "modules: module 'app.domian' is not in the graph; did you mean 'app.domain'?",
    )


def test_an_exclusion_that_names_nothing_is_an_error() -> None:
    rule = FunctionsRule(
        name="f", modules=("app",), excluding=("app.legcy",), should_be_named=("*",)
    )

    assert found_by(rule, graph()).errors == (
        "excluding: module 'app.legcy' is not in the graph, nor a class or function of the "
        "project; did you mean 'app.legacy'?",
    )


def test_an_exclusion_may_name_a_class_or_a_glob_over_qualified_names() -> None:
    order = ClassInfo(
        module="app.domain.model",
        name="SqlOrder",
        line=1,
        bases=(),
        unresolved_bases=(),
        decorators=(),
        frozen=False,
        methods=(),
        abstract=False,
        protocol=False,
    )
    code = ModuleCode(
        "app.domain.model",
        "app/domain/model.py",
        imports=(),
        exports=None,
        classes=(order,),
        functions=(),
        blind_spots=(),
    )
    model = CodeModel({"app.domain.model": code})
    project = graph()
    project.attach_code_model(lambda: model)
    for exclusion in ("app.domain.model.SqlOrder", "*.Sql*"):
        rule = ClassesRule(
            name="c", modules=("app.domain",), excluding=(exclusion,), should_be_named=("*",)
        )
        assert rule.name_mistakes(project) == []


def test_every_misspelt_name_of_a_rule_is_reported_not_only_the_first() -> None:
    rule = ForbiddenRule(
        name="f",
        source_modules=("app.domian", "app.domain", "app.kernle"),
        forbidden_modules=("app.adaptres",),
    )

    assert found_by(rule, graph()).errors == (
        "source_modules: module 'app.domian' is not in the graph; did you mean 'app.domain'?",
        "source_modules: module 'app.kernle' is not in the graph; did you mean 'app.kernel'?",
        "forbidden_modules: module 'app.adaptres' is not in the graph; did you mean "
        "'app.adapters'?",
    )


def test_the_fluent_selections_check_each_name_too() -> None:
    for rule in (
        modules("app.domian", "app.domain").should_not_import("app.adapters"),
        classes("app.domian", "app.domain").should_be_named("*"),
        functions("app.domian", "app.domain").should_be_named("*"),
    ):
        assert found_by(rule.rule(), graph()).errors == (
            "modules: module 'app.domian' is not in the graph; did you mean 'app.domain'?",
        )
    condition = modules("app.domain").should_only_import("app.kernle")
    assert found_by(condition.rule(), graph()).errors == (
        "should_only_import: module 'app.kernle' is not in the graph; did you mean 'app.kernel'?",
    )


def test_a_wildcard_that_matches_nothing_is_an_error_unless_the_selection_may_be_empty() -> None:
    rule = modules("app.nothing.*", "app.domain").should_not_import("app.adapters")

    assert found_by(rule.rule(), graph()).errors == (
        "modules: the expression 'app.nothing.*' matches no module",
    )
    assert found_by(rule.allow_empty().rule(), graph()).errors == ()


# Names that may be absent keep their meaning --------------------------------------


def test_external_packages_may_be_named_where_they_could_be_imported() -> None:
    rule = ForbiddenRule(
        name="f", source_modules=("app.domain",), forbidden_modules=("sqlalchemy",)
    )

    assert rule.name_mistakes(fake_graph(MODULES, roots=("app",), external=True)) == []


def test_an_optional_layer_may_be_missing() -> None:
    rule = LayersRule(name="l", layers=("app.adapters", "(app.gone)", "app.domain"))

    assert rule.name_mistakes(graph()) == []


def test_allowed_importers_of_single_modules_may_be_missing_as_in_import_linter() -> None:
    loose = ProtectedRule(
        name="p",
        protected_modules=("app.adapters",),
        allowed_importers=("app.gone",),
        as_packages=False,
    )
    strict = ProtectedRule(
        name="p", protected_modules=("app.adapters",), allowed_importers=("app.gone",)
    )

    assert loose.name_mistakes(graph()) == []
    assert found_by(loose, graph()).warnings == (
        "allowed_importers: module 'app.gone' is not in the graph, so it allows nothing",
    )
    assert [str(m) for m in strict.name_mistakes(graph())] == [
        "allowed_importers: module 'app.gone' is not in the graph"
    ]


def test_a_rule_error_carries_every_mistake_and_the_option_of_each() -> None:
    rule = ForbiddenRule(
        name="f", source_modules=("app.domian",), forbidden_modules=("app.adaptres",)
    )

    with pytest.raises(RuleError) as caught:
        rule.result(graph())
    assert [m.key for m in caught.value.mistakes] == [("source_modules",), ("forbidden_modules",)]
