"""Every case of the corpus through ``fitness check`` (in-process and as a command) and
through pytest: the exact message, the exit code, no traceback, the user's files intact."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fitness.cli import main
from tests.robustness.corpus import (
    BY_ID,
    CASES,
    CHECKS_NOTHING,
    FITNESS,
    Case,
    snapshot,
    write_case,
)


def expected_error(case: Case, root: Path) -> str:
    where = f"{root}/pyproject.toml" + (f":{case.line}" if case.line else "")
    return f"{where}: {case.message.replace('{root}', str(root))}"


def check_outcome(case: Case, root: Path, code: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err
    assert code == case.code, out + err
    if case.kind in ("config", "graph"):
        if case.panics:  # grimp's note on file descriptor 2 (a subprocess sees it) first
            err = err[err.index("fitness: error: ") :]
        # Every mistake of the configuration is reported, one line each: this one among them.
        assert f"fitness: error: {expected_error(case, root)}" in err.splitlines(), err
        assert all(line.startswith("fitness: error: ") for line in err.splitlines()), err
        assert out == ""
    elif case.kind == "rule":
        assert "ERROR  layered" in out.splitlines()
        assert case.message in out.splitlines()
        # A misspelt module name is a configuration mistake too: a line at its option.
        where = f"fitness: error: {root}/pyproject.toml:"
        assert all(line.startswith(where) for line in err.splitlines()), err
        if err:
            assert any(line.endswith(f": {case.message}") for line in err.splitlines()), err
    else:
        assert err == ""
        assert case.message in out.splitlines(), out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fitness_check(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_case(tmp_path, case)
    before = snapshot(root)
    code = main(["check", "--full", "--config", str(root / "pyproject.toml")])
    captured = capsys.readouterr()
    check_outcome(case, root, code, captured.out, captured.err)
    assert snapshot(root) == before


@pytest.mark.parametrize("case", CHECKS_NOTHING, ids=[c.id for c in CHECKS_NOTHING])
def test_a_rule_over_no_modules(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_case(tmp_path, case)
    code = main(["check", "--full", "--config", str(root / "pyproject.toml")])
    captured = capsys.readouterr()
    check_outcome(case, root, code, captured.out, captured.err)


@pytest.mark.parametrize(
    "case_id",
    [
        "invalid UTF-8",
        "unknown rule type",
        "unreadable pyproject.toml",
        "symlink loops",
        "relative import beyond the top-level package",
    ],
)
def test_fitness_command(case_id: str, tmp_path: Path) -> None:
    """The command in a process of its own, run from the project directory (no --config)."""
    case = BY_ID[case_id]
    root = write_case(tmp_path, case)
    before = snapshot(root)
    run = subprocess.run(
        [*FITNESS, "check", "--full"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    check_outcome(case, root, run.returncode, run.stdout, run.stderr)
    assert snapshot(root) == before


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.pytest_ok], ids=[c.id for c in CASES if c.pytest_ok]
)
def test_pytest(case: Case, pytester: pytest.Pytester) -> None:
    root = write_case(pytester.path, case)
    before = snapshot(root)
    result = pytester.runpytest("-p", "no:cacheprovider", *case.pytest_args)
    out = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in out
    assert "INTERNALERROR" not in out
    if case.pytest_usage_error is not None:
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        assert case.pytest_usage_error.replace("{root}", str(root)) in result.stderr.lines
    elif case.kind in ("config", "graph"):  # a configuration error: one failing item
        result.assert_outcomes(failed=1)
        error = expected_error(case, root)  # alone, or among every mistake of the file
        lines = result.stdout.lines
        assert f"pytest-fitness: {error}" in lines or f"  {error}" in lines
    elif case.kind == "rule" or case.kind == "broken":
        result.assert_outcomes(failed=1)
        assert case.message in result.stdout.lines
    else:
        result.assert_outcomes(passed=1)
    assert snapshot(root) == before


@pytest.mark.parametrize(
    "case", [c for c in CASES if not c.pytest_ok], ids=[c.id for c in CASES if not c.pytest_ok]
)
def test_pytest_with_the_config_in_another_file(case: Case, pytester: pytest.Pytester) -> None:
    """pytest reads pyproject.toml itself (and stops at malformed TOML: its own usage
    error); a configuration given with --fitness-config is fitness's to report."""
    root = write_case(pytester.path, case)
    (root / "pyproject.toml").rename(root / "architecture.toml")
    before = snapshot(root)
    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-config", "architecture.toml")
    out = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in out
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    where = f"{root}/architecture.toml:{case.line}"
    assert f"pytest-fitness: {where}: {case.message}" in result.stdout.lines
    assert snapshot(root) == before
