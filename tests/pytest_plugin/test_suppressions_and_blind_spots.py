"""Inline suppressions in the analysed code, and the dynamic imports nobody can see."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.cli import main
from fitness.domain.suppressions import parse_suppressions
from tests.helpers import write_project

CONFIG = """
[tool.fitness]
root_packages = ["app"]

[[tool.fitness.rules]]
name = "Layered"
type = "layers"
layers = ["app.api", "app.domain"]

[[tool.fitness.rules]]
name = "Domain alone"
type = "independence"
modules = ["app.domain", "app.api"]
"""


def project(root: Path, model: str, extra: dict[str, str] | None = None) -> Path:
    return write_project(
        root,
        CONFIG,
        {
            "app/__init__.py": "",
            "app/api/__init__.py": "",
            "app/api/views.py": "from app.domain import model\n",
            "app/domain/__init__.py": "",
            "app/domain/model.py": model,
            **(extra or {}),
        },
    )


def check(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    code = main(["check", "--no-cache", "--config", str(root), *options])
    return code, capsys.readouterr().out


def test_parse_suppressions() -> None:
    text = "import a  # fitness: ignore[Layered, Other] legacy, see #12\nimport b\n"
    (suppression,) = parse_suppressions("m", "m.py", text)
    assert suppression.line == 1
    assert suppression.rules == ("Layered", "Other")
    assert suppression.reason == "legacy, see #12"


def test_a_suppression_silences_that_import_for_that_rule_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        tmp_path,
        "import app.api.views  # fitness: ignore[Layered] the legacy report, see TICKET-7\n",
    )
    code, out = check(root, capsys)
    assert "KEPT   Layered" in out
    assert "BROKEN Domain alone" in out  # the other rule still sees the import
    assert code == 1


def test_a_suppression_needs_a_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, "import app.api.views  # fitness: ignore[Layered]\n")
    code, out = check(root, capsys)
    assert code == 2
    assert (
        "app/domain/model.py:1: '# fitness: ignore[Layered]' needs a reason after the brackets"
        in out
    )


def test_a_suppression_that_silences_nothing_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        tmp_path,
        "import os  # fitness: ignore[Layered] no longer needed\n"
        "import app.api.views  # fitness: ignore[Layered, Domain alone] both, on purpose\n",
        {"app/api/views.py": "import json\n"},  # the api no longer imports the domain
    )
    code, out = check(root, capsys)
    assert code == 0
    assert (
        "warning: app/domain/model.py:1: '# fitness: ignore[Layered]' silences nothing; remove it"
        in out
    )
    assert "app/domain/model.py:2" not in out  # that one does silence an import


def test_a_suppression_naming_no_rule_gets_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "import app.api.views  # fitness: ignore[Layerd] typo\n")
    code, out = check(root, capsys)
    assert code == 1
    assert (
        "note: app/domain/model.py:1: '# fitness: ignore[Layerd]' names no rule; "
        "did you mean 'Layered'?" in out
    )


DYNAMIC = {
    "app/api/views.py": "import json\n",
    "app/api/plugins.py": (
        "import importlib\n"
        "from importlib import import_module\n"
        "\n"
        "def load(name):\n"
        '    first = importlib.import_module("app.api.views")\n'
        "    second = import_module(name)\n"
        '    return __import__("json"), first, second, __import__(name.lower())\n'
    ),
}


def test_dynamic_imports_are_summarised_in_one_line_by_fitness_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Those of a literal name are imports the rules check; the others are blind spots."""
    root = project(tmp_path, "", DYNAMIC)
    code, out = check(root, capsys)
    assert code == 0
    assert out == (
        "KEPT   Layered\n"
        "KEPT   Domain alone\n"
        "\n"
        "Blind spots: 2 dynamic imports the rules cannot see "
        "(fitness check --blind-spots lists them)\n"
        "\n"
        "2 kept, 0 broken (0 violations)\n"
    )


def test_the_blind_spots_option_turns_the_list_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "", DYNAMIC)
    code, out = check(root, capsys, "--blind-spots", "off")
    assert code == 0
    assert "Blind spots" not in out


def test_blind_spots_list_in_the_configuration_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "", DYNAMIC)
    config = root / "pyproject.toml"
    config.write_text(
        config.read_text().replace("[tool.fitness]\n", '[tool.fitness]\nblind_spots = "list"\n', 1)
    )
    code, out = check(root, capsys)
    assert code == 0
    assert "Blind spots: 2 dynamic imports the rules cannot see:\n" in out


def test_a_misspelt_blind_spots_mode_is_named_with_a_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "", DYNAMIC)
    config = root / "pyproject.toml"
    config.write_text(
        config.read_text().replace("[tool.fitness]\n", '[tool.fitness]\nblind_spots = "lists"\n', 1)
    )
    code = main(["check", "--config", str(config)])
    assert code == 2
    assert capsys.readouterr().err == (
        f"fitness: error: {config}:2: [tool.fitness]: option 'blind_spots' must be one of "
        "'summary', 'list', 'off', not 'lists'; did you mean 'list'?\n"
    )


def test_dynamic_imports_are_listed_by_fitness_check_blind_spots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "", DYNAMIC)
    code, out = check(root, capsys, "--blind-spots")
    assert code == 0
    assert (
        "Blind spots: 2 dynamic imports the rules cannot see:\n"
        "  app/api/plugins.py:6  second = import_module(name)\n"
        '  app/api/plugins.py:7  return __import__("json"), first, second, '
        "__import__(name.lower())\n"
    ) in out


def test_a_dynamic_import_of_a_literal_name_is_checked_and_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(
        tmp_path,
        "",
        {
            "app/api/views.py": "import json\n",
            "app/api/plugins.py": (
                "import importlib\n"
                "\n"
                "def load():\n"
                '    return importlib.import_module(".model", package="app.domain")\n'
            ),
        },
    )
    code, out = check(root, capsys)
    assert code == 1
    assert (
        "app.api is not allowed to import app.domain:\n"
        "  app.api.plugins -> app.domain.model\n"
        '    app/api/plugins.py:4  return importlib.import_module(".model", '
        'package="app.domain")  (dynamic)\n'
    ) in out
    assert "Blind spots" not in out


def test_an_import_linter_configuration_keeps_import_linters_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """import-linter does not see dynamic imports: its verdicts stay its own."""
    root = project(
        tmp_path,
        "",
        {
            "app/api/views.py": "import json\n",
            "app/api/plugins.py": 'import importlib\nimportlib.import_module("app.domain.model")\n',
        },
    )
    (root / "pyproject.toml").unlink()
    (root / ".importlinter").write_text(
        "[importlinter]\nroot_package = app\n\n"
        "[importlinter:contract:independence]\nname = Domain alone\ntype = independence\n"
        "modules =\n    app.domain\n    app.api\n"
    )
    code = main(["check", "--no-cache", "--config", str(root / ".importlinter")])
    out = capsys.readouterr().out
    assert code == 0
    assert "KEPT   Domain alone" in out
    assert "Blind spots: 1 dynamic import the rules cannot see" in out


def test_dynamic_imports_are_summarised_in_pytests_summary(pytester: pytest.Pytester) -> None:
    project(pytester.path, "", DYNAMIC)
    result = pytester.runpytest()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*- pytest-fitness -*",
            "Blind spots: 2 dynamic imports the rules cannot see "
            "(--fitness-blind-spots lists them)",
        ]
    )
    assert "import_module(" not in result.stdout.str()


def test_dynamic_imports_are_listed_in_pytests_summary(pytester: pytest.Pytester) -> None:
    project(pytester.path, "", DYNAMIC)
    result = pytester.runpytest("--fitness-blind-spots")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*- pytest-fitness -*",
            "Blind spots: 2 dynamic imports the rules cannot see:",
            "  app/api/plugins.py:6  second = import_module(name)",
        ]
    )


@pytest.mark.slow
def test_dynamic_imports_are_listed_under_xdist(pytester: pytest.Pytester) -> None:
    project(pytester.path, "", DYNAMIC)
    result = pytester.runpytest_subprocess(
        "-n", "2", "-p", "no:cacheprovider", "--fitness-blind-spots=list"
    )
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["Blind spots: 2 dynamic imports the rules cannot see:"])


def test_no_blind_spots_no_section(pytester: pytest.Pytester) -> None:
    project(pytester.path, "")
    result = pytester.runpytest()
    assert (
        "pytest-fitness"
        not in result.stdout.str().split("short test summary")[0].split("passed")[-1]
    )
    assert "Blind spots" not in result.stdout.str()


def test_dynamic_imports_in_strings_comments_and_definitions_are_not_calls() -> None:
    from fitness.adapters.source_scan import find_dynamic_imports

    text = (
        "import importlib\n"
        '"""Docs: importlib.import_module("nope") is mentioned here."""\n'
        '# import_module("nope")\n'
        "def import_module(name):\n"
        "    return name\n"
        "s = \"import_module('nope')\"\n"
        "z = __import__('json'); w = importlib . import_module(\n"
        '    "multi.line")\n'
    )
    found = [(d.line_number, d.target) for d in find_dynamic_imports("m", "m.py", text)]
    assert found == [(7, "json"), (7, "multi.line")]


def test_source_files_are_read_whole_whatever_their_size(tmp_path: Path) -> None:
    """Files are read with os.read: a file bigger than one read, or empty, is whole."""
    from fitness.adapters.source_limits import read_source as _read_bytes

    for size in (0, 1, 65_535, 65_536, 300_001):
        path = tmp_path / f"f{size}.py"
        data = bytes(i % 251 for i in range(size))
        path.write_bytes(data)
        assert _read_bytes(str(path)) == data
    proc = Path("/proc/self/status")  # fstat says 0 bytes: the read goes on to the end
    if proc.exists():
        assert _read_bytes(str(proc)).startswith(b"Name:")
