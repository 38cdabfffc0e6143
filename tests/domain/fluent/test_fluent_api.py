"""The fluent rule API, on in-memory graphs and for real under pytest."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness import Condition, Findings, ProjectGraph, RuleViolated, condition, modules, predicate
from fitness.domain.fluent import SelectionRule
from fitness.domain.rules import ForbiddenRule
from fitness.domain.violations import Violation
from tests.helpers import fake_graph, write_files

GRAPH = fake_graph(
    """
    shop.domain.model -> shop.domain.money
    shop.domain.model -> decimal
    shop.domain.legacy -> sqlalchemy
    shop.application.place_order -> shop.domain.model
    shop.application.place_order -> shop.adapters.db.repo
    shop.adapters.db.repo -> sqlalchemy
    shop.adapters.db.repo -> shop.domain.model
    shop.adapters.web.views -> shop.application.place_order
    shop.adapters.web.views -> flask
    shop.main -> shop.adapters.web.views
    shop.main -> shop.adapters.db.repo
    """,
    roots=("shop",),
    external=True,
)


def test_a_kept_rule_returns_its_result() -> None:
    result = (
        modules("shop.domain")
        .excluding("shop.domain.legacy")
        .should_not_import("shop.adapters", "sqlalchemy")
        .check(GRAPH)
    )
    assert result.passed


def test_a_broken_rule_raises_an_assertion_error_with_the_sentence_and_chains() -> None:
    rule = (
        modules("shop.application")
        .should_not_import("sqlalchemy")
        .because("the core is persistence-agnostic")
    )
    with pytest.raises(AssertionError) as excinfo:
        rule.check(GRAPH)
    message = str(excinfo.value)
    assert message.startswith(
        "modules in shop.application should not import sqlalchemy, "
        "because the core is persistence-agnostic.\n"
    )
    assert "shop.application.place_order -> shop.adapters.db.repo -> sqlalchemy" in message
    assert "shop/application/place_order.py:2" in message
    assert isinstance(excinfo.value, RuleViolated)
    assert excinfo.value.result.violations[0].imported == "sqlalchemy"


def test_directly_only_checks_direct_imports() -> None:
    assert modules("shop.application").should_not_import("sqlalchemy", directly=True).check(GRAPH)
    with pytest.raises(AssertionError, match="should not directly import shop.adapters"):
        modules("shop.application").should_not_import("shop.adapters", directly=True).check(GRAPH)


def test_patterns_one_level_any_depth_and_bare_names() -> None:
    assert modules("shop.*").select(GRAPH) == {
        "shop.domain",
        "shop.application",
        "shop.adapters",
        "shop.main",
    }
    assert "shop.adapters.db.repo" in modules("shop.**").select(GRAPH)
    assert modules("shop.adapters").select(GRAPH) == {
        "shop.adapters",
        "shop.adapters.db",
        "shop.adapters.db.repo",
        "shop.adapters.web",
        "shop.adapters.web.views",
    }


def test_should_only_import() -> None:
    modules("shop.domain").excluding("shop.domain.legacy").should_only_import("shop.domain").check(
        GRAPH
    )  # decimal is in the standard library
    with pytest.raises(AssertionError) as excinfo:
        modules("shop.application").should_only_import("shop.domain").check(GRAPH)
    message = str(excinfo.value)
    assert (
        "shop.application.place_order imports shop.adapters.db.repo, which is not allowed"
        in message
    )
    assert "shop.application.place_order imports sqlalchemy, which is not allowed" in message


def test_should_not_and_only_be_imported_by() -> None:
    modules("shop.adapters.db").should_only_be_imported_by(
        "shop.main", "shop.application", directly=True
    ).check(GRAPH)
    with pytest.raises(AssertionError) as excinfo:
        modules("shop.adapters.db").should_only_be_imported_by(
            "shop.main", "shop.application"
        ).check(GRAPH)
    assert str(excinfo.value).splitlines()[2] == (
        "shop.adapters.db.repo is imported by shop.adapters.web.views, which is not allowed:"
    )
    assert (
        "shop.adapters.web.views -> shop.application.place_order -> shop.adapters.db.repo"
        in str(excinfo.value)
    )
    with pytest.raises(
        AssertionError,
        match="shop.application.place_order is not allowed to import shop.adapters.db.repo:",
    ):
        modules("shop.adapters").should_not_be_imported_by("shop.application").check(GRAPH)


def test_should_be_independent() -> None:
    modules("shop.domain.legacy", "shop.domain.model").should_be_independent().check(GRAPH)
    with pytest.raises(AssertionError) as excinfo:
        modules("shop.adapters.*").should_be_independent().check(GRAPH)
    assert "shop.adapters.web is not allowed to import shop.adapters.db:" in str(excinfo.value)
    # Indirect, through the application layer:
    assert (
        "shop.adapters.web.views -> shop.application.place_order -> shop.adapters.db.repo"
        in str(excinfo.value)
    )


def test_should_be_acyclic() -> None:
    modules("shop.domain.*").should_be_acyclic().check(GRAPH)
    with pytest.raises(AssertionError, match="import cycle: shop.adapters -> shop.application"):
        modules("shop.*").should_be_acyclic().check(GRAPH)
    cyclic = fake_graph("a.x.m -> a.y.m\na.y.n -> a.z.m\na.z.m -> a.x.m")
    with pytest.raises(AssertionError) as excinfo:
        modules("a.*").should_be_acyclic().check(cyclic)
    message = str(excinfo.value)
    assert "import cycle: a.x -> a.y -> a.z -> a.x" in message
    assert "a/y/n.py:1" in message


def test_custom_predicate_and_condition_carry_their_descriptions() -> None:
    @predicate("are repositories")
    def repositories(module: str, graph: ProjectGraph) -> bool:
        return module.endswith(".repo")

    @condition("import at most one internal module")
    def few_imports(module: str, graph: ProjectGraph) -> bool:
        imported = graph.grimp.find_modules_directly_imported_by(module)
        return len([m for m in imported if graph.is_internal(m)]) <= 1

    rule = modules("shop.**").that(repositories).should(few_imports)
    assert rule.description == (
        "modules in shop.** that are repositories should import at most one internal module"
    )
    rule.check(GRAPH)

    strict = condition(
        "import nothing internal",
        lambda module, graph: [
            f"{module} imports {m}"
            for m in sorted(graph.grimp.find_modules_directly_imported_by(module))
            if graph.is_internal(m)
        ],
    )
    with pytest.raises(AssertionError, match="shop.adapters.db.repo imports shop.domain.model"):
        modules("shop.**").that(repositories).should(strict).check(GRAPH)


class NoRepositoryNames(Condition):
    """A condition of a user's own: a subclass of :class:`fitness.Condition`."""

    description = "not be named like a repository"
    how_to_fix = "Rename the module."

    def evaluate(self, graph: ProjectGraph, selected: set[str]) -> Findings:
        return Findings.of(
            Violation(module, "", f"{module} is named like a repository")
            for module in selected
            if module.endswith(".repo")
        )


def test_a_condition_class_says_its_description_and_how_to_fix() -> None:
    result = modules("shop.adapters").should(NoRepositoryNames()).result(GRAPH)

    assert result.description == ("modules in shop.adapters should not be named like a repository")
    assert [v.summary for v in result.violations] == [
        "shop.adapters.db.repo is named like a repository"
    ]
    assert result.guidance == "Rename the module."


def test_a_condition_class_must_say_what_it_requires() -> None:
    class Unsaid(Condition):
        def evaluate(self, graph: ProjectGraph, selected: set[str]) -> Findings:
            return Findings()

    with pytest.raises(TypeError, match="description"):
        Unsaid()  # type: ignore[abstract]


def test_an_empty_selection_fails_unless_allowed() -> None:
    with pytest.raises(
        AssertionError,
        match="modules: module 'shop.domian' is not in the graph; did you mean 'shop.domain'",
    ):
        modules("shop.domian").should_not_import("sqlalchemy").check(GRAPH)
    modules("shop.domian").should_not_import("sqlalchemy").allow_empty().check(GRAPH)


def test_an_unknown_internal_target_is_an_error() -> None:
    with pytest.raises(
        AssertionError,
        match="should_not_import: module 'shop.adaptors' is not in the graph; did you mean",
    ):
        modules("shop.domain").should_not_import("shop.adaptors").check(GRAPH)


def test_fluent_rules_are_rules_and_agree_with_the_configured_rule_type() -> None:
    fluent = modules("shop.application").should_not_import("sqlalchemy").rule()
    assert isinstance(fluent, SelectionRule)
    configured = ForbiddenRule(
        name="f", source_modules=("shop.application",), forbidden_modules=("sqlalchemy",)
    )
    fluent_pairs = {(v.importer, v.imported) for v in fluent.result(GRAPH).violations}
    configured_pairs = {(v.importer, v.imported) for v in configured.result(GRAPH).violations}
    # The fluent rule reports per module, the configured one per package: the same imports.
    assert fluent_pairs == {("shop.application.place_order", "sqlalchemy")}
    assert configured_pairs == {("shop.application", "sqlalchemy")}


def test_check_needs_the_project_graph() -> None:
    with pytest.raises(TypeError, match="needs the project graph"):
        modules("x").should_be_acyclic().check(object())  # type: ignore[arg-type]


def test_fluent_rules_in_a_test_file_under_pytest(pytester: pytest.Pytester, shop: Path) -> None:
    write_files(
        shop,
        {
            "test_architecture.py": """
                from fitness import modules

                def test_domain_is_persistence_agnostic(fitness_graph):
                    (
                        modules("shop.domain")
                        .should_not_import("shop.adapters", "sqlalchemy")
                        .because("the domain is persistence-agnostic")
                        .check(fitness_graph)
                    )

                def test_web_does_not_touch_the_database(fitness_graph):
                    modules("shop.adapters.web").should_not_import("shop.adapters.db").check(
                        fitness_graph
                    )
            """
        },
    )
    (shop / "shop/adapters/web/handlers.py").write_text(
        (shop / "shop/adapters/web/handlers.py").read_text()
        + "\nfrom shop.adapters.db.tables import orders\n"
    )
    result = pytester.runpytest("test_architecture.py")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "E  * fitness.RuleViolated: modules in shop.adapters.web should not "
            "import shop.adapters.db.",
            "E  * shop.adapters.web.handlers is not allowed to import shop.adapters.db.tables:",
            "E  *   shop/adapters/web/handlers.py:*  from shop.adapters.db.tables import orders",
        ]
    )


MODULES_RULES = """
[tool.fitness]
root_packages = ["shop"]
include_external_packages = true

[[tool.fitness.rules]]
name = "Domain is persistence-agnostic"
type = "modules"
select = ["shop.domain"]
should_not_import = ["shop.adapters", "sqlalchemy"]
because = "the domain is persistence-agnostic"

[[tool.fitness.rules]]
name = "Use cases only use the domain"
type = "modules"
select = ["shop.application"]
should_only_import = ["shop.domain"]
directly = true

[[tool.fitness.rules]]
name = "Slices are acyclic"
type = "modules"
select = ["shop.*"]
excluding = ["shop.main"]
should_be_acyclic = true
"""


def test_a_fluent_rule_declared_in_pyproject(pytester: pytest.Pytester, shop: Path) -> None:
    (shop / "pyproject.toml").write_text(MODULES_RULES)
    (shop / "shop/domain/model.py").write_text(
        (shop / "shop/domain/model.py").read_text()
        + "\nfrom shop.adapters.db.tables import orders\n"
    )
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=1, failed=2)
    out = result.stdout.str()
    assert (
        "modules in shop.domain should not import shop.adapters or sqlalchemy, "
        "because the domain is persistence-agnostic." in out
    )
    assert "shop.domain.model -> shop.adapters.db.tables -> sqlalchemy" in out
    assert "import cycle: shop.adapters -> shop.domain -> shop.adapters" in out
    assert "Use cases only use the domain PASSED" in out


def test_the_declared_and_the_fluent_rule_agree(shop: Path) -> None:
    from fitness.adapters.packages import GrimpGraphBuilder
    from fitness.domain.config import GraphSettings
    from fitness.domain.options import build_rule
    from fitness.domain.rules.imports.modules import ModulesRule

    (shop / "shop/domain/pricing.py").write_text(
        (shop / "shop/domain/pricing.py").read_text() + "\nimport requests\n"
    )
    graph = GrimpGraphBuilder(shop, sys_path=[]).build(
        GraphSettings(root_packages=("shop",), include_external_packages=True)
    )
    declared = build_rule(
        ModulesRule,
        {"name": "d", "select": ["shop.domain"], "should_not_import": ["requests"]},
    )
    fluent = modules("shop.domain").should_not_import("requests").named("d")
    assert declared.description == fluent.description
    assert declared.result(graph).violations == fluent.evaluate(graph).violations
    assert [v.importer for v in declared.result(graph).violations] == ["shop.domain.pricing"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"select": ["a"]}, "give exactly one of should_not_import"),
        (
            {"select": ["a"], "should_not_import": ["b"], "should_be_acyclic": True},
            "(found should_not_import, should_be_acyclic)",
        ),
        ({"select": ["a"], "should_not_imports": ["b"]}, "did you mean 'should_not_import'?"),
    ],
)
def test_declared_rule_options_are_validated(options: dict[str, object], message: str) -> None:
    from fitness.domain.errors import ConfigError
    from fitness.domain.options import build_rule
    from fitness.domain.rules.imports.modules import ModulesRule

    with pytest.raises(ConfigError) as excinfo:
        build_rule(ModulesRule, {"name": "x", **options})
    assert message in str(excinfo.value)
