"""No line fitness prints lets its input drive the terminal (issue 19, item 8): what an
error, a warning or a note echoes (a module's or a rule's name from the configuration,
an option's value, a path, a rule name from the baseline) has its control characters
escaped, as the reports escape them. Each input below holds ESC sequences (recolour,
clear the screen), a right-to-left override and a line separator."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import write_project

#: What a terminal acts on: C0 (but the newline), DEL, C1, and the bidirectional and
#: line-breaking characters that make a line read in another order or break it.
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]"
)

HOSTILE = "bad\x1b[31m\x1b[2J\u202e\u2028x"
ESCAPED = r"bad\x1b[31m\x1b[2J\u202e\u2028x"

RULE = """
    [[tool.fitness.rules]]
    name = "{name}"
    type = "forbidden"
    source_modules = ["app.a"]
    forbidden_modules = ["{module}"]
"""


def toml(text: str) -> str:
    """``text`` as a TOML basic string's content (control characters as \\u escapes)."""
    return json.dumps(text)[1:-1]


def project(root: Path, *, roots: str = "app", name: str = "r", module: str = "app.b") -> Path:
    return write_project(
        root,
        f'[tool.fitness]\nroot_packages = ["{toml(roots)}"]\n'
        + RULE.format(name=toml(name), module=toml(module)),
        {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": ""},
    )


def stale_baseline(root: Path) -> None:
    project(root)
    violation = {"importer": "app.a", "imported": "app.b"}
    rules = {HOSTILE: {"violations": [violation]}}
    baseline = {"version": 2, "tool": "pytest-fitness", "rules": rules}
    (root / "fitness-baseline.json").write_text(json.dumps(baseline), encoding="utf-8")


def git_repository(root: Path) -> None:
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
    #: What the line starts with, on stderr ("" for stdout).
    says: str


CASES = {
    "a root package in a configuration error": Case(
        lambda root: project(root, roots=HOSTILE), ("check",), "fitness: error: "
    ),
    "an unknown --rule value and the rule names it suggests": Case(
        lambda root: project(root, name=HOSTILE),
        ("check", "--rule", f"{HOSTILE}?!"),
        "fitness: error: ",
    ),
    "a --config path": Case(project, ("check", "--config", f"{HOSTILE}.toml"), "fitness: error: "),
    "a --baseline path": Case(
        project, ("check", "--baseline", f"{HOSTILE}/b.json"), "fitness: error: "
    ),
    "a rule's name and a module's in an error of fitness baseline": Case(
        lambda root: project(root, name=HOSTILE, module=f"app.{HOSTILE}"),
        ("baseline",),
        "fitness: error: ",
    ),
    "a rule of the baseline that is no rule any more, in a warning": Case(
        stale_baseline, ("check",), "fitness: warning: "
    ),
    "a rule's name in fitness baseline -v": Case(
        lambda root: project(root, name=HOSTILE), ("baseline", "-v"), ""
    ),
    "the file fitness baseline wrote": Case(
        lambda root: project(root, name="r"), ("baseline", "--baseline", f"{HOSTILE}.json"), ""
    ),
    "the file fitness report wrote": Case(project, ("report", "-o", f"{HOSTILE}.html"), ""),
    "a --since value": Case(git_repository, ("history", "--since", HOSTILE), "fitness: error: "),
}


USAGE = {
    "an argument no command takes": (("check", HOSTILE), "fitness: error: unrecognized"),
    "a value an option refuses": (("history", "--depth", HOSTILE), "fitness history: error: "),
}
for name, (arguments, says) in USAGE.items():
    CASES[f"a usage error: {name}"] = Case(project, arguments, says)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_what_a_line_echoes_is_escaped(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case.setup(tmp_path)
    monkeypatch.chdir(tmp_path)
    try:
        main(case.arguments)
    except SystemExit as exit:  # argparse
        assert exit.code == 2
    out, err = capsys.readouterr()
    assert not RAW.search(out + err), (out, err)
    lines = (err if case.says else out).splitlines()
    assert any(line.startswith(case.says) and ESCAPED in line for line in lines), (out, err)


def test_ordinary_names_are_printed_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project(tmp_path, name="Domain free — «ünïcode» 名前 'quoted' \\x1b")
    monkeypatch.chdir(tmp_path)
    main(["check", "--rule", "nothing"])
    err = capsys.readouterr().err
    assert err == (
        "fitness: error: --rule 'nothing' matches no rule (the rules: "
        "'Domain free — «ünïcode» 名前 'quoted' \\x1b')\n"
    )
