"""Report formats from plugins: ``fitness_report_formats`` adds to ``fitness check --format``.

The example is the one docs/plugins.md shows (examples/custom_rules adds ``csv``); each
mistake a plugin can make is one line and exit status 2.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from pathlib import Path

import pytest

from fitness.adapters.report_formats import RESULT_FORMATS, format_help
from tests.adapters.test_plugin_loading import forget_modules  # noqa: F401  (fixture)
from tests.adapters.test_plugin_rule_types import add_imports_to_cli
from tests.helpers import copy_example, write_project

ROOT = Path(__file__).resolve().parents[2]
PLUGINS_PAGE = ROOT / "docs" / "plugins.md"


def documented(marker: str) -> tuple[list[str], list[str]]:
    """The command and the output of the console block that follows ``marker``."""
    text = PLUGINS_PAGE.read_text(encoding="utf-8")
    block = re.search(re.escape(marker) + r"\n```console\n(.*?)```", text, re.DOTALL)
    assert block is not None
    command, *output = block.group(1).splitlines()
    return command.removeprefix("$ ").split(), output


def run_fitness(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """The ``fitness`` command of this environment, as a user runs it."""
    return pytester.run(str(Path(sys.executable).parent / "fitness"), *args)


@pytest.fixture
def example(pytester: pytest.Pytester) -> Path:
    target = copy_example("custom_rules", pytester.path)
    os.chdir(target)
    return target


def test_the_csv_format_of_the_docs_writes_what_they_show(
    example: Path, pytester: pytest.Pytester
) -> None:
    command, output = documented("<!-- the test: tests/adapters/test_plugin_report_formats.py -->")
    add_imports_to_cli(example)

    result = run_fitness(pytester, *command[1:])

    assert (result.ret, result.errlines) == (1, [])
    assert result.outlines == output


def test_the_format_a_plugin_adds_is_named_when_a_format_is_misspelt(
    example: Path, pytester: pytest.Pytester
) -> None:
    result = run_fitness(pytester, "check", "--format", "cvs")

    assert result.ret == 2
    built_in = ", ".join(f.name for f in RESULT_FORMATS)
    assert result.errlines == [
        f"fitness: error: unknown format 'cvs'; did you mean 'csv'? (the formats: {built_in}, csv)"
    ]
    assert result.outlines == []


def test_the_help_of_check_names_each_built_in_format_and_says_plugins_may_add_more() -> None:
    help_text = format_help("check")

    assert help_text.startswith("text (default), json, sarif (SARIF 2.1.0)")
    assert [f.name for f in RESULT_FORMATS if f.name not in help_text] == []
    assert help_text.endswith(", or a format a plugin adds")


CONFIG = """
[tool.fitness]
root_packages = ["app"]
plugins = ["reports"]

[[tool.fitness.rules]]
name = "Layers"
type = "layers"
layers = ["app.ui", "app.core"]
"""
APP = {"app/__init__.py": "", "app/ui.py": "import app.core\n", "app/core.py": ""}


def plugin_project(pytester: pytest.Pytester, body: str) -> Path:
    source = "import fitness\nfrom fitness import ReportFormat, hookimpl\n\n" + textwrap.dedent(
        body
    )
    write_project(pytester.path, CONFIG, {**APP, "reports.py": source})
    os.chdir(pytester.path)
    return pytester.path


@pytest.mark.usefixtures("forget_modules")
@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            """
            @hookimpl
            def fitness_report_formats():
                return [ReportFormat("json", lambda results, context: "")]
            """,
            "fitness: error: plugin reports (local plugin): report format 'json' is built in; "
            "a plugin's format needs a name of its own",
        ),
        (
            """
            @hookimpl
            def fitness_report_formats():
                return [ReportFormat("Bad\\x1b[31mname", lambda results, context: "")]
            """,
            "fitness: error: plugin reports (local plugin): report format name "
            "'Bad\\x1b[31mname' must be lower-case letters, digits, '-' or '_' "
            "(at most 32, a letter first)",
        ),
        (
            """
            @hookimpl
            def fitness_report_formats():
                return ReportFormat("mine", lambda results, context: "")
            """,
            "fitness: error: plugin reports (local plugin): fitness_report_formats() must "
            "return a list of fitness.ReportFormat, not ReportFormat(name='mine', renderer=*",
        ),
        (
            """
            @hookimpl
            def fitness_report_formats():
                return [ReportFormat("mine", "reports:nowhere")]
            """,
            "fitness: error: report format 'mine': cannot import its renderer "
            "'reports:nowhere': AttributeError: module 'reports' has no attribute 'nowhere'",
        ),
        (
            """
            def render(results, context):
                return {}[results[0].rule_name]

            @hookimpl
            def fitness_report_formats():
                return [ReportFormat("mine", render)]
            """,
            "fitness: error: report format 'mine' (reports:render) failed: "
            "KeyError: 'Layers' (*reports.py:6)",
        ),
        (
            """
            @hookimpl
            def fitness_report_formats():
                return [ReportFormat("mine", lambda results, context: None)]
            """,
            "fitness: error: report format 'mine' (reports:fitness_report_formats.<locals>."
            "<lambda>) must return text, not NoneType",
        ),
        (
            """
            @hookimpl
            def fitness_report_formats():
                yield ReportFormat("mine", lambda results, context: "")
                raise ValueError("half way")
            """,
            "fitness: error: plugin reports (local plugin): fitness_report_formats() failed: "
            "ValueError: half way (*reports.py:*)",
        ),
    ],
    ids=[
        "built-in name",
        "escape in name",
        "not a list",
        "no renderer",
        "fails",
        "no text",
        "hook fails half way",
    ],
)
def test_a_plugin_format_that_cannot_be_used_is_one_line_and_exit_2(
    pytester: pytest.Pytester, body: str, error: str
) -> None:
    plugin_project(pytester, body)

    result = run_fitness(pytester, "check", "--format", "mine")

    assert result.ret == 2
    assert len(result.errlines) == 1
    assert re.fullmatch(re.escape(error).replace(r"\*", ".*"), result.errlines[0])
    assert result.outlines == []


@pytest.mark.usefixtures("forget_modules")
def test_a_plugin_format_is_loaded_only_when_named(pytester: pytest.Pytester) -> None:
    plugin_project(
        pytester,
        """
        @hookimpl
        def fitness_report_formats():
            raise RuntimeError("loaded")
        """,
    )

    assert run_fitness(pytester, "check", "--format", "json").ret == 0
    failed = run_fitness(pytester, "check", "--format", "mine")
    assert failed.ret == 2
    assert failed.errlines[0].startswith(
        "fitness: error: plugin reports (local plugin): fitness_report_formats() failed: "
        "RuntimeError: loaded"
    )


@pytest.mark.usefixtures("forget_modules")
def test_only_the_renderer_of_the_format_named_is_imported(pytester: pytest.Pytester) -> None:
    plugin_project(
        pytester,
        """
        def render(results, context):
            return "".join(f"{r.rule_name}: {r.passed}\\n" for r in results)

        @hookimpl
        def fitness_report_formats():
            return [
                ReportFormat("mine", render),
                ReportFormat("heavy", "heavy_reports:render"),
            ]
        """,
    )
    (pytester.path / "heavy_reports.py").write_text("raise ImportError('imported')\n")

    result = run_fitness(pytester, "check", "--format", "mine")

    assert (result.ret, result.outlines, result.errlines) == (0, ["Layers: True"], [])
    failed = run_fitness(pytester, "check", "--format", "heavy")
    assert failed.ret == 2
    assert failed.errlines == [
        "fitness: error: report format 'heavy': cannot import its renderer "
        f"'heavy_reports:render': ImportError: imported ({pytester.path / 'heavy_reports.py'}:1)"
    ]


@pytest.mark.usefixtures("forget_modules")
def test_two_plugins_may_not_add_formats_of_one_name(pytester: pytest.Pytester) -> None:
    body = """
        @hookimpl
        def fitness_report_formats():
            yield ReportFormat("mine", lambda results, context: "")
        """
    plugin_project(pytester, body)
    (pytester.path / "more_reports.py").write_text(
        (pytester.path / "reports.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    config = pytester.path / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'plugins = ["reports"]', 'plugins = ["reports", "more_reports"]'
        ),
        encoding="utf-8",
    )

    result = run_fitness(pytester, "check", "--format", "mine")

    assert (result.ret, result.outlines) == (2, [])
    assert result.errlines == [
        "fitness: error: report format 'mine' is added twice: by reports (local plugin) and by "
        "more_reports (local plugin); uninstall one of them, or remove one from "
        "[tool.fitness] plugins"
    ]


def test_an_unknown_format_is_echoed_escaped(example: Path, pytester: pytest.Pytester) -> None:
    result = run_fitness(pytester, "check", "--format", "x\x1b[31my")

    assert result.ret == 2
    assert result.errlines[0].startswith("fitness: error: unknown format 'x\\x1b[31my' (")
