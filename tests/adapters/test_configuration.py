"""Usability of the configuration and the Python API (issue 11 G): what a team meets
when it starts, makes a mistake, or writes its rules in Python."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import fitness
from fitness import (
    Findings,
    ForbiddenRule,
    LayersRule,
    ProjectGraph,
    Rule,
    RuleResult,
    RuleViolated,
    modules,
)
from fitness.adapters.config.plugins import load_rule_types
from fitness.adapters.main_blocks import main_block_lines
from fitness.cli import main
from fitness.domain.rule_types import BUILTIN_RULE_TYPES
from tests.helpers import fake_graph, write_project

APP = {
    "app/__init__.py": "",
    "app/ui.py": "import app.core\n",
    "app/core.py": "",
}
LAYERED = """
[tool.fitness]
root_packages = ["app"]

[[tool.fitness.rules]]
name = "layered"
type = "layers"
layers = {layers}
"""
ORDINARY_TESTS = """
def test_one():
    assert 1 + 1 == 2

def test_two():
    assert "a" < "b"
"""


# A configuration mistake is one failing item ------------------------------------------


def test_a_configuration_error_is_one_failing_item_and_the_other_tests_run(
    pytester: pytest.Pytester,
) -> None:
    write_project(
        pytester.path,
        LAYERED.format(layers='"app.ui"'),
        {**APP, "tests/test_ordinary.py": ORDINARY_TESTS},
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, passed=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert (
        f"pytest-fitness: {pytester.path}/pyproject.toml:7: [[tool.fitness.rules]] #1 "
        "('layered'): option 'layers' must be a list of strings, not a string ('app.ui'): "
        'write layers = ["app.ui"]'
    ) in result.stdout.lines
    result.stdout.fnmatch_lines(["FAILED pyproject.toml::configuration - pytest-fitness: *"])
    assert "Traceback" not in result.stdout.str()
    assert "ERROR collecting" not in result.stdout.str()


def test_a_configuration_error_fails_the_fitness_graph_fixture_too(
    pytester: pytest.Pytester,
) -> None:
    write_project(
        pytester.path,
        LAYERED.format(layers='["app.ui"]'),
        {
            **APP,
            "tests/test_fluent.py": "def test_graph(fitness_graph):\n    pass\n",
            "tests/test_ordinary.py": ORDINARY_TESTS,
        },
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, errors=1, passed=2)  # the fixture's test: an error


# No rules: the graph is all a fluent team needs ----------------------------------------


def test_a_configuration_without_rules_serves_the_fitness_graph_fixture(
    pytester: pytest.Pytester,
) -> None:
    fluent = """
from fitness import modules

def test_core_does_not_import_ui(fitness_graph):
    modules("app.core").should_not_import("app.ui").check(fitness_graph)

def test_ui_does_not_import_core(fitness_graph):
    modules("app.ui").should_not_import("app.core").check(fitness_graph)
"""
    write_project(
        pytester.path,
        '[tool.fitness]\nroot_packages = ["app"]\n',
        {**APP, "tests/test_architecture.py": fluent},
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["E * fitness.RuleViolated: modules in app.ui should not import app.core."]
    )


# The Python API: built-in rules are importable and behave as fluent ones ---------------


def test_every_built_in_rule_type_is_importable_from_fitness() -> None:
    classes = [info.rule_class for info in load_rule_types([], None)]
    builtin = [cls for cls in classes if cls.__module__.startswith("fitness.")]
    assert len(builtin) == len(BUILTIN_RULE_TYPES) >= 12
    for cls in builtin:
        assert getattr(fitness, cls.__name__) is cls, cls.__name__
        assert cls.__name__ in fitness.__all__


def test_no_rule_type_overrides_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """`check` and `result` are the same for every rule type (built-in, fluent, and
    the plugins'): what a rule type adds to its verdict goes into its `Findings`."""
    from fitness.domain.fluent import SelectionRule
    from fitness.domain.rules.code.classes import CodeRule

    classes = [info.rule_class for info in load_rule_types([], None)]
    classes += [cls for cls in (SelectionRule, CodeRule) if cls not in classes]
    monkeypatch.syspath_prepend(Path(__file__).parents[2] / "plugins/fitness-django/src")
    from fitness_django.plugin import RULE_TYPES

    classes += [cls for cls in RULE_TYPES if cls not in classes]
    # the two fluent rules, fitness-django's three
    assert len(classes) == len(BUILTIN_RULE_TYPES) + 5
    overriding = [
        f"{cls.__name__}.{method}"
        for cls in classes
        for klass in cls.__mro__
        if klass is not fitness.Rule
        for method in ("check", "result")
        if method in vars(klass)
    ]
    assert overriding == []


GRAPH = fake_graph("app.ui -> app.core\napp.core -> app.ui.widgets\napp.ui.widgets")


def test_a_built_in_rule_check_raises_rule_violated_when_broken() -> None:
    rule = LayersRule(name="layered", layers=("app.ui", "app.core"))
    with pytest.raises(RuleViolated) as excinfo:
        rule.check(GRAPH)
    assert isinstance(excinfo.value, AssertionError)
    assert str(excinfo.value).startswith(
        "Layers app.ui > app.core: each layer may import only the layers below it.\n"
    )
    assert excinfo.value.result.rule_name == "layered"
    assert [v.importer for v in excinfo.value.result.violations] == ["app.core"]


def test_a_built_in_rule_check_returns_the_result_when_kept() -> None:
    rule = LayersRule(name="layered", layers=("app.ui", "app.core"))
    graph = fake_graph("app.ui -> app.core\napp.core")
    result = rule.check(graph)
    assert isinstance(result, RuleResult) and result.passed


def test_a_rule_that_cannot_be_checked_raises_rule_violated_with_the_error() -> None:
    rule = LayersRule(name="layered", layers=("app.ui", "app.coer"))
    with pytest.raises(RuleViolated) as excinfo:
        rule.check(GRAPH)
    assert excinfo.value.result.errors == (
        "layers: module 'app.coer' is not in the graph; did you mean 'app.core'?",
    )
    fluent = modules("app.coer").should_not_import("app.ui")
    with pytest.raises(RuleViolated):
        fluent.check(GRAPH)


def test_result_returns_the_verdict_without_raising_for_both_kinds_of_rule() -> None:
    built_in = ForbiddenRule(
        name="core", source_modules=("app.core",), forbidden_modules=("app.ui",)
    )
    fluent = modules("app.core").should_not_import("app.ui")
    for verdict in (built_in.result(GRAPH), fluent.result(GRAPH), fluent.evaluate(GRAPH)):
        assert isinstance(verdict, RuleResult)
        assert not verdict.passed
        assert [v.importer for v in verdict.violations] == ["app.core"]


def test_evaluate_of_a_rule_type_gives_its_findings_which_say_whether_it_passed() -> None:
    built_in = ForbiddenRule(
        name="core", source_modules=("app.core",), forbidden_modules=("app.ui",)
    )
    findings = built_in.evaluate(GRAPH)
    assert isinstance(findings, Findings)
    assert findings.passed is False
    assert Findings().passed is True


def test_rule_result_passed_is_documented() -> None:
    doc = RuleResult.passed.__doc__ or ""
    assert "violation" in doc and "error" in doc
    assert Rule.check.__doc__ and "RuleViolated" in Rule.check.__doc__
    fluent = (Path(__file__).parents[2] / "docs" / "fluent.md").read_text(encoding="utf-8")
    assert "`RuleResult.passed`" in fluent


# FitnessWarning points at the configuration ------------------------------------------


def test_a_rule_warning_points_at_the_rule_in_the_configuration(
    pytester: pytest.Pytester,
) -> None:
    config = LAYERED.format(layers='["app.ui", "app.core"]') + (
        'ignore_imports = ["app.core -> app.ui"]\nunmatched_ignore_imports_alerting = "warn"\n'
    )
    write_project(pytester.path, config, APP)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            f"  {pytester.path}/pyproject.toml:4: FitnessWarning: layered: ignore_imports: "
            "'app.core -> app.ui' matches no import",
            "    [[tool.fitness.rules]]",
        ]
    )
    assert "pytest_plugin.py" not in result.stdout.str()


# if __name__ == "__main__": ----------------------------------------------------------

MAIN_BLOCK = """\
import os

def run():
    pass

if __name__ == "__main__":
    import app.ui
    run()
"""


def test_main_block_lines_are_the_top_level_blocks_either_way_round() -> None:
    text = (
        "import x\n"
        "if __name__ == '__main__':\n    import a\n"
        "if '__main__' == __name__:\n    import b\n    import c\n"
        "def f():\n    if __name__ == '__main__':\n        import d\n"
        "if __name__ != '__main__':\n    import e\n"
    )
    assert main_block_lines(text) == [(2, 3), (4, 6)]
    assert main_block_lines("def broken(:\n") == []


def test_a_main_block_written_inside_a_string_is_not_one() -> None:
    text = (
        'USAGE = """\n'
        "if __name__ == '__main__':\n"
        "    import a\n"
        '"""\n'
        "import b\n"
        "if __name__ == '__main__':\n"
        "    import c\n"
    )
    assert main_block_lines(text) == [(6, 7)]
    assert main_block_lines('x = """\nif __name__ == "__main__":\n"""\n') == []


@pytest.mark.parametrize(("exclude", "code"), [("false", 1), ("true", 0)])
def test_imports_under_the_main_block_are_left_out_only_when_asked(
    exclude: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = LAYERED.format(layers='["app.ui", "app.core"]').replace(
        'root_packages = ["app"]\n',
        f'root_packages = ["app"]\nexclude_main_block_imports = {exclude}\n',
    )
    write_project(tmp_path, config, {**APP, "app/core.py": MAIN_BLOCK})
    assert main(["check", "--full", "--no-cache", "--config", str(tmp_path)]) == code
    out = capsys.readouterr().out
    note = (
        'note: 1 import under if __name__ == "__main__" left out of the graph '
        "(exclude_main_block_imports): app/core.py:7\n"
    )
    assert (note in out) is (exclude == "true")


def test_an_import_also_made_outside_the_main_block_stays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = "import app.ui\n\nif __name__ == '__main__':\n    import app.ui\n"
    config = LAYERED.format(layers='["app.ui", "app.core"]').replace(
        'root_packages = ["app"]\n', 'root_packages = ["app"]\nexclude_main_block_imports = true\n'
    )
    write_project(tmp_path, config, {**APP, "app/core.py": source})
    assert main(["check", "--no-cache", "--config", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "app/core.py:1  import app.ui" in out
    assert "app/core.py:4" not in out.split("note:")[0]


def test_the_cache_keeps_every_import_and_the_option_applies_on_each_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = LAYERED.format(layers='["app.ui", "app.core"]')
    write_project(tmp_path, config, {**APP, "app/core.py": MAIN_BLOCK})
    assert main(["check", "--config", str(tmp_path)]) == 1  # fills the cache
    toml = tmp_path / "pyproject.toml"
    toml.write_text(
        toml.read_text().replace(
            'root_packages = ["app"]\n',
            'root_packages = ["app"]\nexclude_main_block_imports = true\n',
        )
    )
    assert main(["check", "--config", str(tmp_path)]) == 0
    toml.write_text(toml.read_text().replace("exclude_main_block_imports = true\n", ""))
    assert main(["check", "--config", str(tmp_path)]) == 1
    capsys.readouterr()


@pytest.mark.skipif(importlib.util.find_spec("rich") is None, reason="rich is not installed")
def test_rich_console_reaches_markdown_only_through_a_main_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The false chain of the issue, on the real package (read, never imported)."""
    spec = importlib.util.find_spec("rich")
    assert spec is not None and spec.submodule_search_locations
    (tmp_path / "rich").symlink_to(next(iter(spec.submodule_search_locations)))
    config = """
[tool.fitness]
root_packages = ["rich"]
exclude_main_block_imports = {exclude}

[[tool.fitness.rules]]
name = "console below markdown"
type = "forbidden"
source_modules = ["rich.console"]
forbidden_modules = ["rich.markdown"]
"""
    write_project(tmp_path, config.format(exclude="false"), {})
    assert main(["check", "--no-cache", "--config", str(tmp_path)]) == 1
    assert "rich.console -> rich.pager -> rich.__main__ -> rich.markdown" in (
        capsys.readouterr().out
    )
    write_project(tmp_path, config.format(exclude="true"), {})
    assert main(["check", "--no-cache", "--config", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "KEPT   console below markdown\n" in out
    assert 'under if __name__ == "__main__" left out of the graph' in out


def test_graph_type_is_the_public_one() -> None:
    assert fitness.ProjectGraph is ProjectGraph


# The class of bug: any list option given a string ------------------------------------


def _list_options() -> list[tuple[type[Rule], str]]:
    import typing

    from fitness.domain.options import option_infos

    found = []
    for info in load_rule_types([], None):
        cls = info.rule_class
        hints = typing.get_type_hints(cls)
        for option in option_infos(cls):
            hint = hints[option.name]
            table = option.type.startswith("a table")  # a string there is no list meant
            one_or_more = str in typing.get_args(hint)  # a string is one item (issue 21)
            if typing.get_origin(hint) is tuple or (
                "list of" in option.type and not table and not one_or_more
            ):
                found.append((cls, option.name))
    return found


LIST_OPTIONS = _list_options()


def test_the_list_options_of_every_rule_type_are_found() -> None:
    assert len(LIST_OPTIONS) > 20
    assert (LayersRule, "layers") in LIST_OPTIONS


@pytest.mark.parametrize(
    ("cls", "name"), LIST_OPTIONS, ids=[f"{c.type_name}.{n}" for c, n in LIST_OPTIONS]
)
def test_a_string_for_a_list_option_is_an_error_naming_it(cls: type[Rule], name: str) -> None:
    from fitness.domain.errors import ConfigError
    from fitness.domain.options import build_rule

    with pytest.raises(ConfigError) as excinfo:
        build_rule(cls, {"name": "x", name: "a.b"}, where="rule: ")
    # Every mistake of the table is reported (required options missing here too).
    [error] = [e for e in excinfo.value.mistakes if e.key == (name,)]
    assert error.message.startswith(f"rule: option '{name}' must be ")
    assert error.message.endswith(f", not a string ('a.b'): write {name} = [\"a.b\"]")


def test_import_linter_configurations_keep_a_one_line_value_as_a_list_of_one() -> None:
    from fitness.domain.options import build_rule

    rule = build_rule(
        ForbiddenRule,
        {"name": "x", "source_modules": "a.b", "forbidden_modules": "c"},
        single_item_lists=True,
    )
    assert (rule.source_modules, rule.forbidden_modules) == (("a.b",), ("c",))
