"""``pytest --fitness-affected=REV``: the test files a change cannot affect are deselected,
with one line saying how many are run; also with pytest-xdist workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_affected import PROJECT
from tests.cli.test_new_since import commit, git
from tests.helpers import write_files

TESTS = {
    "tests/test_money.py": "from shop.money import Money\n\ndef test_money():\n    assert Money\n",
    "tests/test_orders.py": "from shop import orders\n\ndef test_orders():\n    pass\n",
    "tests/test_report.py": "import helpers\n\ndef test_report():\n    pass\n\n"
    "def test_report_again():\n    pass\n",
}


@pytest.fixture
def project(pytester: pytest.Pytester) -> Path:
    repo = write_files(
        pytester.path,
        {
            **PROJECT,
            **TESTS,
            # What pytester writes beside the project for a run in a subprocess.
            ".gitignore": ".fitness_cache/\nrunpytest-*\nstdout\nstderr\n",
            "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
            'pythonpath = ["src"]\n',
        },
    )
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "the shop")
    return repo


def test_the_tests_a_change_cannot_affect_are_deselected(
    pytester: pytest.Pytester, project: Path
) -> None:
    write_files(project, {"src/shop/money.py": "class Money:\n    cents = 0\n"})

    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-affected=main")

    result.assert_outcomes(passed=2, deselected=2)
    result.stdout.fnmatch_lines(
        [
            "collected 4 items / 2 deselected / 2 selected",
            "fitness: 2 of 3 test files affected by 1 changed module",
        ]
    )


def test_without_a_change_nothing_runs(pytester: pytest.Pytester, project: Path) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-affected=main")

    result.assert_outcomes(deselected=4)
    result.stdout.fnmatch_lines(["fitness: 0 of 3 test files affected by 0 changed modules"])


def test_a_changed_conftest_runs_everything(pytester: pytest.Pytester, project: Path) -> None:
    write_files(project, {"tests/conftest.py": "import pytest\n"})

    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-affected=main")

    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "fitness: 3 of 3 test files affected by 1 changed module (every test: "
            "tests/conftest.py changed (configuration))"
        ]
    )


def test_the_ini_globs_apply(pytester: pytest.Pytester, project: Path) -> None:
    write_files(
        project,
        {
            "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
            'pythonpath = ["src"]\nfitness_affected_always = ["src/shop/*.py"]\n',
        },
    )
    commit(project, "every module selects every test")
    write_files(project, {"src/shop/report.py": "X = 1\n"})

    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-affected=HEAD")

    result.assert_outcomes(passed=4)


def test_an_unknown_revision_is_a_usage_error(pytester: pytest.Pytester, project: Path) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-affected=mian")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: pytest-fitness: --fitness-affected 'mian': no such revision*did you mean 'main'?"]
    )


@pytest.mark.slow
def test_with_xdist_workers_deselect_the_same_tests(
    pytester: pytest.Pytester, project: Path
) -> None:
    write_files(project, {"tests/helpers.py": "X = 2\n"})

    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-n", "2", "--fitness-affected=main"
    )

    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["fitness: 1 of 3 test files affected by 1 changed module"])


def test_a_changed_files_name_reaches_the_terminal_escaped(
    pytester: pytest.Pytester, project: Path
) -> None:
    (project / "notes\x1b[31m.txt").write_text("red\n", encoding="utf-8")

    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-affected=main")

    assert "\x1b[31m" not in result.stdout.str()
    result.stdout.fnmatch_lines(["*(every test: notes\\x1b[31m.txt changed (not a Python file))"])
