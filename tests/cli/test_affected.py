"""``fitness affected REV`` on a git repository: committed, staged, unstaged and untracked
changes, the test files they can affect, for other runners."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fitness.cli import main
from tests.cli.test_new_since import commit, git
from tests.helpers import write_files

PROJECT = {
    ".gitignore": ".fitness_cache/\n",
    "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    "src/shop/__init__.py": "",
    "src/shop/money.py": "class Money: ...\n",
    "src/shop/orders.py": "from shop.money import Money\n",
    "src/shop/report.py": "",
    "tests/helpers.py": "from shop.report import *\n",
    "tests/test_money.py": "from shop.money import Money\n",
    "tests/test_orders.py": "from shop import orders\n",
    "tests/test_report.py": "import helpers\n",
    "docs/index.md": "# Shop\n",
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = write_files(tmp_path / "shop", PROJECT)
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "the shop")
    git(repo, "checkout", "-q", "-b", "change")
    monkeypatch.chdir(repo)
    return repo


def affected(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["affected", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_test_files_a_change_affects_one_a_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(repo, {"src/shop/money.py": "class Money:\n    cents = 0\n"})

    code, out, err = affected(capsys, "main")

    assert code == 0
    assert out == "tests/test_money.py\ntests/test_orders.py\n"
    assert err == "fitness: 2 of 3 test files affected by 1 changed module\n"


def test_committed_staged_unstaged_and_untracked_changes_all_count(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(repo, {"src/shop/money.py": "X = 1\n"})
    commit(repo, "committed")
    write_files(repo, {"src/shop/report.py": "Y = 2\n"})
    git(repo, "add", "src/shop/report.py")  # staged
    write_files(repo, {"tests/new_helper.py": ""})  # untracked

    _, out, err = affected(capsys, "main")

    assert out.split() == ["tests/test_money.py", "tests/test_orders.py", "tests/test_report.py"]
    assert err == "fitness: 3 of 3 test files affected by 3 changed modules\n"


def test_paths_are_relative_to_the_current_directory_and_json_says_why(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(repo, {"src/shop/report.py": "Y = 2\n"})
    monkeypatch.chdir(repo / "tests")

    code, out, _ = affected(capsys, "main", "--format", "json")

    assert code == 0
    data = json.loads(out)
    assert data["affected"] == ["test_report.py"]
    assert data["why"] == {
        "test_report.py": "tests/test_report.py -> tests/helpers.py -> src/shop/report.py"
    }
    assert (data["test_files"], data["changed_modules"], data["every_test"]) == (3, 1, False)


def test_a_non_python_change_selects_every_test_unless_a_glob_says_never(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(repo, {"docs/index.md": "# The shop\n"})

    _, out, err = affected(capsys, "main")
    assert len(out.split()) == 3
    assert err == (
        "fitness: 3 of 3 test files affected by 0 changed modules (every test: docs/index.md "
        "changed (not a Python file))\n"
    )

    _, out, err = affected(capsys, "main", "--never", "docs/**")
    assert (out, err) == ("", "fitness: 0 of 3 test files affected by 0 changed modules\n")


def test_pytests_settings_give_the_globs(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        repo,
        {
            "pyproject.toml": PROJECT["pyproject.toml"] + 'fitness_affected_never = ["*.md"]\n',
        },
    )
    commit(repo, "docs never select a test")
    write_files(repo, {"docs/index.md": "# The shop\n"})

    assert affected(capsys, "HEAD")[1] == ""


def test_an_unknown_revision_says_what_was_meant(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = affected(capsys, "mian")

    assert (code, out) == (2, "")
    assert err == (
        "fitness: error: fitness affected 'mian': no such revision (a tag, a branch or a "
        "commit); did you mean 'main'?\n"
    )


def test_a_warm_run_reads_no_file_again(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fitness.adapters import import_scan

    write_files(repo, {"src/shop/money.py": "X = 1\n"})
    affected(capsys, "main")
    parsed: list[int] = []
    original = import_scan.FactsCache.facts

    def counting(self, files):  # type: ignore[no-untyped-def]
        result = original(self, files)
        parsed.append(self.parsed)
        return result

    import_scan.FactsCache.facts = counting  # type: ignore[method-assign]
    try:
        assert affected(capsys, "main")[1] == "tests/test_money.py\ntests/test_orders.py\n"
    finally:
        import_scan.FactsCache.facts = original  # type: ignore[method-assign]
    assert parsed == [0]
