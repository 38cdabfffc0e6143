"""A file name the system refuses (5,000 characters: "File name too long"), wherever fitness
takes one, is one short line naming the option or the key (with the file and line of the
configuration) and exit 2, never an OSError traceback (issue 19, item 9)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import write_project

LONG = "x" * 5_000
SHOWN = "x" * 99 + "…"

RULE = """
[[tool.fitness.rules]]
name = "r"
type = "forbidden"
source_modules = ["app.a"]
forbidden_modules = ["app.b"]
"""


def project(root: Path, settings: str = "", rule: str = "") -> None:
    write_project(
        root,
        f'[tool.fitness]\nroot_packages = ["app"]\n{settings}\n{RULE}{rule}',
        {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": ""},
    )


def committed(root: Path) -> None:
    project(root)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "one"]):
        subprocess.run(
            ["git", "-c", "user.name=A", "-c", "user.email=a@example.com", *command],
            cwd=root,
            check=True,
            capture_output=True,
        )


@dataclass(frozen=True)
class Case:
    setup: Callable[[Path], object]
    arguments: tuple[str, ...]
    #: The error line, ``{where}`` standing for the configuration file.
    says: str


TOO_LONG = f"'{SHOWN}': File name too long"
CASES = {
    "baseline in the configuration": Case(
        lambda root: project(root, f'baseline = "{LONG}"'),
        ("check",),
        f"{{where}}:3: baseline: {TOO_LONG} (5,000 characters)",
    ),
    "cache_dir in the configuration": Case(
        lambda root: project(root, f'cache_dir = "{LONG}"'),
        ("check",),
        f"{{where}}:3: cache_dir: {TOO_LONG} (5,000 characters)",
    ),
    "a rule's adr": Case(
        lambda root: project(root, rule=f'adr = "{LONG}"\n'),
        ("check",),
        f"{{where}}:10: [[tool.fitness.rules]] #1 ('r'): option 'adr': {TOO_LONG} "
        "(5,000 characters)",
    ),
    "a plugin's name": Case(
        lambda root: project(root, f'plugins = ["{LONG}"]'),
        ("check",),
        f"{{where}}:3: plugins: '{SHOWN}' cannot be a module's name: File name too long "
        "(5,000 characters)",
    ),
    "--config of fitness check": Case(
        project, ("check", "--config", LONG), f"--config: {TOO_LONG} (5,000 characters)"
    ),
    "--config of fitness rules": Case(
        project, ("rules", "--config", LONG), f"--config: {TOO_LONG} (5,000 characters)"
    ),
    "--config of fitness history": Case(
        project, ("history", "--config", LONG), f"--config: {TOO_LONG} (5,000 characters)"
    ),
    "--baseline of fitness check": Case(
        project, ("check", "--baseline", LONG), f"--baseline: {TOO_LONG} (5,000 characters)"
    ),
    "--baseline of fitness baseline": Case(
        project, ("baseline", "--baseline", LONG), f"--baseline: {TOO_LONG} (5,000 characters)"
    ),
    "-o of fitness check": Case(
        project, ("check", "-o", LONG), f"{SHOWN}: cannot write the report: File name too long"
    ),
    "-o of fitness report": Case(
        project, ("report", "-o", LONG), f"{SHOWN}: cannot write the report: File name too long"
    ),
    "-o of fitness graph": Case(
        project, ("graph", "-o", LONG), f"{SHOWN}: cannot write the report: File name too long"
    ),
    "-o of fitness metrics": Case(
        project, ("metrics", "-o", LONG), f"{SHOWN}: cannot write the report: File name too long"
    ),
    "-o of fitness history": Case(
        committed,
        ("history", "-o", LONG),
        f"{SHOWN}: cannot write the report: File name too long",
    ),
    "the directory of fitness init": Case(
        lambda root: None, ("init", LONG), f"directory: {TOO_LONG} (5,000 characters)"
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_name_too_long_is_one_line_and_exit_2(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case.setup(tmp_path)
    monkeypatch.chdir(tmp_path)
    code = main(case.arguments)
    err = capsys.readouterr().err
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith("fitness: error: ")
    assert len(line) < 300
    assert line == "fitness: error: " + case.says.format(where=tmp_path / "pyproject.toml")


def test_a_root_package_too_long_is_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(
        tmp_path,
        f'[tool.fitness]\nroot_packages = ["{LONG}"]\n{RULE}',
        {"app/__init__.py": "", "app/a.py": "", "app/b.py": ""},
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        f"fitness: error: {tmp_path / 'pyproject.toml'}:2: root package {TOO_LONG} "
        "(5,000 characters)\n"
    )


def test_a_null_character_in_a_file_name_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project(tmp_path, 'baseline = "known\\u0000.json"')
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        f"fitness: error: {tmp_path / 'pyproject.toml'}:3: baseline: 'known\\x00.json': "
        "a file name cannot hold a null character\n"
    )


@pytest.mark.parametrize(
    ("option", "said"),
    [
        ("--fitness-config", f"ERROR: --fitness-config: {TOO_LONG} (5,000 characters)"),
        ("--fitness-report", "pytest-fitness: error: *xxx…: cannot write the report: *"),
    ],
    ids=["--fitness-config", "--fitness-report"],
)
def test_a_name_too_long_under_pytest_is_one_line(
    pytester: pytest.Pytester, option: str, said: str
) -> None:
    project(pytester.path)
    suffix = ".json" if option == "--fitness-report" else ""
    result = pytester.runpytest("-p", "no:cacheprovider", f"{option}={LONG}{suffix}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    output = result.stdout.str() + result.stderr.str()
    assert "Traceback" not in output and "OSError" not in output
    (result.stderr if option == "--fitness-config" else result.stdout).fnmatch_lines([said])
