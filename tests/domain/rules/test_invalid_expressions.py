"""Invalid module and import expressions, and external packages where a rule needs what
is under them: a rule error that names the expression and what is wrong, never one of
grimp's exceptions; the other rules are still checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.cli import main
from fitness.domain.errors import RuleError
from fitness.domain.fluent import RuleViolated, modules
from fitness.domain.rules.imports.acyclic import AcyclicRule
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from fitness.domain.rules.imports.layers import LayersRule
from tests.helpers import fake_graph, write_project

GRAPH = """
    shop.adapters.db -> shop.domain.model
    shop.domain.model -> shop.domain.money
    shop.domain.money -> requests
"""
WHOLE_PART = "a wildcard must be a whole name part ('*' for one, '**' for any number)"


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("shop.adapters*", f"{WHOLE_PART}, not part of 'adapters*'"),
        ("shop.*x", f"{WHOLE_PART}, not part of '*x'"),
        ("shop.*.**", "'**' cannot be next to another wildcard ('*.**')"),
        ("**.*", "'**' cannot be next to another wildcard ('**.*')"),
        ("shop..*", "it has an empty name part (two dots in a row, or a dot at an end)"),
        ("shop. *", "it contains a space"),
    ],
)
def test_an_invalid_module_expression_names_itself_and_what_is_wrong(
    expression: str, problem: str
) -> None:
    rule = AcyclicRule(name="cycles", modules=(expression,))
    with pytest.raises(RuleError) as error:
        rule.evaluate(fake_graph(GRAPH))
    assert (
        str(error.value) == f"modules: '{expression}' is not a valid module expression: {problem}"
    )


def test_an_invalid_ignored_import_names_the_side_that_is_wrong() -> None:
    rule = LayersRule(
        name="layers", layers=("shop.adapters", "shop.domain"), ignore_imports=("a._x* -> b.**",)
    )
    with pytest.raises(RuleError) as error:
        rule.evaluate(fake_graph(GRAPH))
    assert str(error.value) == (
        "ignore_imports: 'a._x* -> b.**' is not a valid import expression: the importer "
        f"'a._x*': {WHOLE_PART}, not part of '_x*'"
    )


def test_spaces_around_the_arrow_of_an_ignored_import_do_not_matter() -> None:
    for written in ("shop.domain.model->shop.adapters.db", "shop.domain.model  ->  shop.*.db"):
        rule = LayersRule(
            name="layers", layers=("shop.adapters", "shop.domain"), ignore_imports=(written,)
        )
        graph = fake_graph(GRAPH + "shop.domain.model -> shop.adapters.db\n")
        assert rule.evaluate(graph).violations == ()


def test_an_invalid_pattern_in_the_fluent_api_fails_the_rule_with_the_reason() -> None:
    graph = fake_graph(GRAPH)
    with pytest.raises(RuleViolated) as error:
        modules("shop.*").excluding("shop.**.**").should_not_import("requests").check(graph)
    assert str(error.value) == (
        "modules in shop.* excluding shop.**.** should not import requests.\n\n"
        "excluding: 'shop.**.**' is not a valid module expression: '**' cannot be next to "
        "another wildcard ('**.**')\n"
    )
    result = modules("shop.domain").should_only_import("shop.b*").evaluate(graph)
    assert result.errors == (
        f"should_only_import: 'shop.b*' is not a valid module expression: {WHOLE_PART}, "
        "not part of 'b*'",
    )


def test_an_external_package_cannot_stand_for_what_is_under_it() -> None:
    graph = fake_graph(GRAPH, external=True)
    with pytest.raises(RuleError) as error:
        AcyclicRule(name="cycles", modules=("requests",)).evaluate(graph)
    assert str(error.value) == (
        "modules: 'requests' is an external package, a single module in the graph without "
        "children; name a package inside the root packages (shop)"
    )


def test_the_forbidden_rule_still_forbids_an_external_package_whole() -> None:
    graph = fake_graph(GRAPH, external=True)
    rule = ForbiddenRule(name="f", source_modules=("shop.domain",), forbidden_modules=("requests",))
    assert [v.summary for v in rule.evaluate(graph).violations] == [
        "shop.domain is not allowed to import requests"
    ]


def test_a_rule_with_an_invalid_expression_is_an_error_and_the_others_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(
        tmp_path,
        """
        [tool.fitness]
        root_packages = ["shop"]

        [[tool.fitness.rules]]
        name = "bad"
        type = "independence"
        modules = ["shop.adapters*", "shop.domain"]

        [[tool.fitness.rules]]
        name = "good"
        type = "forbidden"
        source_modules = ["shop.domain"]
        forbidden_modules = ["shop.adapters"]
        """,
        {
            "shop/__init__.py": "",
            "shop/domain/__init__.py": "",
            "shop/adapters/__init__.py": "import shop.domain\n",
        },
    )
    code = main(["check", "--full", "--config", str(tmp_path / "pyproject.toml")])
    out = capsys.readouterr().out.splitlines()
    assert code == 2
    assert out[:2] == ["ERROR  bad", "KEPT   good"]
    assert (
        f"modules: 'shop.adapters*' is not a valid module expression: {WHOLE_PART}, "
        "not part of 'adapters*'"
    ) in out
