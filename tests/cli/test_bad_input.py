"""Bad input gives a short error naming the file, line or key: in pytest and in the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import write_project

SHOP_FILES = {
    "shop/__init__.py": "",
    "shop/domain/__init__.py": "",
    "shop/domain/model.py": "import shop.domain.money\n",
    "shop/domain/money.py": "",
    "shop/application/__init__.py": "",
    "shop/application/services.py": "from shop.domain import model\n",
}


def project(root: Path, config: str) -> Path:
    return write_project(root, config, SHOP_FILES)


def run_cli(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", "--config", str(root / "pyproject.toml")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


CASES = {
    "malformed TOML": (
        """
        [tool.fitness]
        root_packages = ["shop"

        [[tool.fitness.rules]]
        """,
        "pyproject.toml:4: invalid TOML: Unclosed array",
    ),
    "unknown key": (
        """
        [tool.fitness]
        root_packages = ["shop"]
        include_external_package = true

        [[tool.fitness.rules]]
        name = "x"
        type = "independence"
        modules = ["shop.domain", "shop.application"]
        """,
        "pyproject.toml:3: [tool.fitness]: unknown key 'include_external_package'; "
        "did you mean 'include_external_packages'?",
    ),
    "unknown rule type": (
        """
        [tool.fitness]
        root_packages = ["shop"]

        [[tool.fitness.rules]]
        name = "x"
        type = "layer"
        layers = ["shop.application", "shop.domain"]
        """,
        "pyproject.toml:6: [[tool.fitness.rules]] #1 ('x'): unknown rule type 'layer'; "
        "did you mean 'layers'?",
    ),
    "unknown option": (
        """
        [tool.fitness]
        root_packages = ["shop"]

        [[tool.fitness.rules]]
        name = "first"
        type = "independence"
        modules = ["shop.domain", "shop.application"]

        [[tool.fitness.rules]]
        name = "second"
        type = "layers"
        layerz = ["shop.application", "shop.domain"]
        """,
        "pyproject.toml:12: [[tool.fitness.rules]] #2 ('second'): unknown option 'layerz'; "
        "did you mean 'layers'?",
    ),
    "wrong type": (
        """
        [tool.fitness]
        root_packages = ["shop"]

        [[tool.fitness.rules]]
        name = "x"
        type = "forbidden"
        source_modules = ["shop.domain"]
        forbidden_modules = ["shop.application"]
        allow_indirect_imports = 3
        """,
        "pyproject.toml:9: [[tool.fitness.rules]] #1 ('x'): option 'allow_indirect_imports' "
        "must be true or false, not an integer (3)",
    ),
    "missing option": (
        """
        [tool.fitness]
        root_packages = ["shop"]

        [[tool.fitness.rules]]
        name = "x"
        type = "forbidden"
        source_modules = ["shop.domain"]
        """,
        "[[tool.fitness.rules]] #1 ('x'): missing required option 'forbidden_modules'",
    ),
    "duplicate names": (
        """
        [tool.fitness]
        root_packages = ["shop"]

        [[tool.fitness.rules]]
        name = "x"
        type = "independence"
        modules = ["shop.domain", "shop.application"]

        [[tool.fitness.rules]]
        name = "x"
        type = "independence"
        modules = ["shop.domain", "shop.application"]
        """,
        "pyproject.toml:10: [[tool.fitness.rules]] #2: the name 'x' is used by another rule",
    ),
    "missing root package": (
        """
        [tool.fitness]
        root_packages = ["shopp"]

        [[tool.fitness.rules]]
        name = "x"
        type = "independence"
        modules = ["shop.domain", "shop.application"]
        """,
        "pyproject.toml:2: root package 'shopp' not found in",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_reports_bad_configuration(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, expected = CASES[case]
    root = project(tmp_path, config)
    code, out, err = run_cli(root, capsys)
    assert code == 2
    assert expected in err, err
    assert err.startswith("fitness: error: ")
    assert "Traceback" not in err + out
    assert len(err.splitlines()) <= 3


def test_pytest_itself_reports_malformed_toml_in_its_config_file(pytester: pytest.Pytester) -> None:
    # pyproject.toml is pytest's own configuration file here: pytest reads it first.
    project(pytester.path, CASES["malformed TOML"][0])
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*pyproject.toml: Unclosed array (at line 4, column 1)"])


@pytest.mark.parametrize("case", sorted(set(CASES) - {"missing root package", "malformed TOML"}))
def test_pytest_reports_bad_configuration_as_one_failing_item(
    case: str, pytester: pytest.Pytester
) -> None:
    config, expected = CASES[case]
    project(pytester.path, config)
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    out = result.stdout.str()
    assert "FAILED pyproject.toml::configuration" in out
    assert expected in out
    assert "Traceback" not in out


def test_pytest_reports_a_missing_root_package_on_each_item(pytester: pytest.Pytester) -> None:
    config, expected = CASES["missing root package"]
    project(pytester.path, config)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert expected in out
    assert "did you mean 'shop'?" in out
    assert "Traceback" not in out


MISSING_MODULE = """
[tool.fitness]
root_packages = ["shop"]

[[tool.fitness.rules]]
name = "layers with a typo"
type = "layers"
layers = ["shop.aplication", "shop.domain"]
"""


def test_a_module_missing_from_the_graph_is_an_error_with_did_you_mean(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    project(pytester.path, MISSING_MODULE)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*layers: module 'shop.aplication' is not in the graph; did you mean 'shop.application'?*"]
    )
    code, out, err = run_cli(pytester.path, capsys)
    assert code == 2
    assert "ERROR  layers with a typo" in out
    # A configuration mistake too: at the line of the option.
    assert err == (
        f"fitness: error: {pytester.path / 'pyproject.toml'}:7: rule 'layers with a typo': "
        "layers: module 'shop.aplication' is not in the graph; did you mean "
        "'shop.application'?\n"
    )


def test_a_wildcard_that_matches_nothing_fails(pytester: pytest.Pytester) -> None:
    project(
        pytester.path,
        """
        [tool.fitness]
        root_packages = ["shop"]

        [[tool.fitness.rules]]
        name = "adapters"
        type = "independence"
        modules = ["shop.adapters.*"]
        """,
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the expression 'shop.adapters.*' matches no module*"])


STALE_IGNORE = """
[tool.fitness]
root_packages = ["shop"]

[[tool.fitness.rules]]
name = "layers"
type = "layers"
layers = ["shop.application", "shop.domain"]
ignore_imports = ["shop.domain.model -> shop.application.services"]
{alerting}
"""


def test_an_ignore_that_matches_nothing_is_reported(pytester: pytest.Pytester) -> None:
    project(pytester.path, STALE_IGNORE.format(alerting=""))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*ignore_imports: 'shop.domain.model -> shop.application.services' matches no import*"]
    )


def test_an_unmatched_ignore_can_be_a_warning(pytester: pytest.Pytester) -> None:
    project(
        pytester.path, STALE_IGNORE.format(alerting='unmatched_ignore_imports_alerting = "warn"')
    )
    result = pytester.runpytest()
    assert result.parseoutcomes()["passed"] == 1
    result.stdout.fnmatch_lines(["*FitnessWarning: layers: ignore_imports: *matches no import*"])


def test_a_syntax_error_in_analysed_code_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, MISSING_MODULE.replace("shop.aplication", "shop.application"))
    (root / "shop/domain/money.py").write_text("x = 1\ndef broken(:\n")
    code, _, err = run_cli(root, capsys)
    assert code == 2
    assert "cannot parse shop/domain/money.py, line 2" in err


def test_no_configuration_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert "no configuration in this directory or its parents" in capsys.readouterr().err


def test_the_config_file_is_never_modified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = CASES["unknown option"]
    root = project(tmp_path, config)
    before = (root / "pyproject.toml").read_bytes()
    run_cli(root, capsys)
    assert (root / "pyproject.toml").read_bytes() == before
