"""What only pytest can get wrong: files written at the end of the session, options that
name a directory, and pytest-xdist workers meeting bad input."""

from __future__ import annotations

import pytest

from tests.robustness.corpus import BY_ID, LAYERS, Case, snapshot, write_case

NOTES = {"notes.txt": "mine\n"}


def test_a_report_that_cannot_be_written(pytester: pytest.Pytester) -> None:
    root = write_case(pytester.path, Case("x", "kept", "", files=NOTES))
    before = snapshot(root)
    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-report", "notes.txt/r.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_outcomes(passed=1)
    assert (
        f"pytest-fitness: error: {root}/notes.txt/r.json: cannot write the report: "
        f"{root}/notes.txt is not a directory"
    ) in result.stdout.lines
    assert "Traceback" not in result.stdout.str()
    assert snapshot(root) == before


def test_a_baseline_that_cannot_be_written(pytester: pytest.Pytester) -> None:
    config = LAYERS.replace("[tool.fitness]\n", '[tool.fitness]\nbaseline = "notes.txt/b.json"\n')
    root = write_case(pytester.path, Case("x", "kept", "", config=config, files=NOTES))
    before = snapshot(root)
    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-update-baseline")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert (
        f"pytest-fitness: error: {root}/notes.txt/b.json: cannot write the baseline: "
        f"{root}/notes.txt is not a directory"
    ) in result.stdout.lines
    assert "Traceback" not in result.stdout.str()
    assert snapshot(root) == before


def test_fitness_config_naming_a_directory(pytester: pytest.Pytester) -> None:
    root = write_case(pytester.path, Case("x", "kept", ""))
    (root / "sub/pyproject.toml").mkdir(parents=True)
    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-config", "sub/pyproject.toml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert (
        f"ERROR: --fitness-config: {root}/sub/pyproject.toml: is a directory, not a file"
        in result.stderr.lines
    )


@pytest.mark.slow
@pytest.mark.parametrize("case_id", ["invalid UTF-8", "unknown option", "misspelt layer"])
def test_xdist_workers(case_id: str, pytester: pytest.Pytester) -> None:
    """Two workers meet the same bad input: the same message, no INTERNALERROR."""
    case = BY_ID[case_id]
    extra = (
        '\n[[tool.fitness.rules]]\nname = "second"\ntype = "forbidden"\n'
        'source_modules = ["shop.domain"]\nforbidden_modules = ["shop.application"]\n'
    )
    root = write_case(
        pytester.path,
        Case(case.id, case.kind, case.message, config=case.config + extra, files=case.files),
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", timeout=300)
    out = result.stdout.str()
    assert "INTERNALERROR" not in out
    assert "Traceback" not in out
    if case.kind == "graph":
        result.assert_outcomes(failed=2)
        # One report per failed item; the short summary's FAILED lines (cut or
        # not, depending on the terminal width) are not counted.
        expected = f"pytest-fitness: {root}/pyproject.toml: {case.message}"
        assert result.stdout.lines.count(expected) == 2
    elif case.kind == "config":  # one failing item in place of the rules
        result.assert_outcomes(failed=1)
        assert f"pytest-fitness: {root}/pyproject.toml:{case.line}: {case.message}" in out
    else:
        result.assert_outcomes(failed=1, passed=1)
        assert case.message in result.stdout.lines
