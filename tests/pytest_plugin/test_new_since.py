"""``pytest --fitness-new-since=REV``: the same verdicts as ``fitness check --new-since``,
one item per rule, also with pytest-xdist workers (their results reach the controller's
report and summary)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_new_since import AT_MAIN, commit, git
from tests.helpers import write_files


@pytest.fixture
def project(pytester: pytest.Pytester) -> Path:
    """``main`` with one known violation; the working tree adds a new one."""
    repo = write_files(pytester.path, AT_MAIN)
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "the project")
    write_files(repo, {"app/domain/rates.py": "import app.db.session\n"})
    return repo


def test_only_the_new_violation_fails_and_the_summary_counts_both(
    pytester: pytest.Pytester, project: Path
) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-new-since=main")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*app.domain.rates -> app.db.session*",
            "(not shown: 1 chain existed at main)",
            "*pytest-fitness*",
            "rules: 0 kept, 1 broken (1 new violation since main; 1 chain of them existed there)",
        ]
    )
    assert "app.domain.model" not in result.stdout.str()


def test_what_existed_at_the_revision_passes(pytester: pytest.Pytester, project: Path) -> None:
    write_files(project, {"app/domain/rates.py": ""})

    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-new-since=main")

    result.assert_outcomes(passed=1)
    assert pytester.runpytest("-p", "no:cacheprovider").ret == 1


def test_an_unknown_revision_is_a_usage_error(pytester: pytest.Pytester, project: Path) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-new-since=mian")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: pytest-fitness: --fitness-new-since 'mian': no such revision (a tag, a "
            "branch or a commit); did you mean 'main'?"
        ]
    )


def test_a_rule_checked_in_test_code_is_not_forgiven_by_the_revision(
    pytester: pytest.Pytester, project: Path
) -> None:
    write_files(
        project,
        {
            "app/domain/rates.py": "",
            "tests/test_arch.py": """
                from fitness import ForbiddenRule

                def test_pure(fitness_graph):
                    ForbiddenRule(
                        name="pure", source_modules=("app.domain",), forbidden_modules=("app.db",)
                    ).check(fitness_graph)
            """,
        },
    )

    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-new-since=main")

    result.assert_outcomes(passed=1, failed=1)  # measured at main: only configured rules
    result.stdout.fnmatch_lines(["FAILED tests/test_arch.py::test_pure*"])


@pytest.mark.slow
def test_with_xdist_workers_the_controller_reports_what_is_new(
    pytester: pytest.Pytester, project: Path
) -> None:
    result = pytester.runpytest_subprocess(
        "-p",
        "no:cacheprovider",
        "-n",
        "2",
        "--fitness-new-since=main",
        "--fitness-report=report.json",
    )

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["rules: 0 kept, 1 broken (1 new violation since main; 1 chain of them existed there)"]
    )
    summary = json.loads((project / "report.json").read_text(encoding="utf-8"))["summary"]
    assert summary["new_since"]["new"] == 1
    assert summary["new_since"]["existed_chains"] == 1
