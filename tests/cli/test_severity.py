"""``severity = "warning"`` in ``fitness check`` (issue 21): a broken warning rule is said
in every format and fails nothing; ``--strict`` makes it fail."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import write_project

CONFIG = """
[tool.fitness]
root_packages = ["app"]

[[tool.fitness.rules]]
name = "Layers"
type = "layers"
layers = ["app.api", "app.domain"]

[[tool.fitness.rules]]
name = "Pure domain"
type = "forbidden"
source_modules = ["app.domain"]
forbidden_modules = ["app.adapters"]
severity = "warning"
"""

FILES = {
    "app/__init__.py": "",
    "app/api.py": "import app.domain\n",
    "app/domain.py": "import app.adapters\n",
    "app/adapters.py": "",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_project(tmp_path / "project", CONFIG, FILES)
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return root


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "--no-cache", *args])
    return code, capsys.readouterr().out


def test_a_broken_warning_rule_is_reported_and_fails_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(capsys)
    lines = out.splitlines()
    assert code == 0
    assert lines[:2] == ["KEPT   Layers", "WARN   Pure domain"]
    assert "=== WARN: Pure domain ===" in lines
    assert "app.domain is not allowed to import app.adapters:" in lines
    assert lines[-1] == "1 kept, 0 broken, 1 warning (1 violation)"
    assert check(capsys, "-q") == (0, "1 kept, 0 broken, 1 warning (1 violation)\n")


def test_strict_makes_a_warning_fail(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(capsys, "--strict")
    assert code == 1
    assert out.splitlines()[1] == "BROKEN Pure domain"
    assert out.splitlines()[-1] == "1 kept, 1 broken (1 violation)"


def test_json_says_the_severity_and_the_status(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(capsys, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert [(r["rule"], r["status"], r.get("severity")) for r in data["rules"]] == [
        ("Layers", "kept", None),
        ("Pure domain", "warn", "warning"),
    ]
    assert data["summary"] == {
        "rules": 2,
        "kept": 1,
        "broken": 0,
        "warnings": 1,
        "errors": 0,
        "violations": 1,
        "known": 0,
        "stale": 0,
    }


def test_sarif_gives_the_warning_level(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(capsys, "--format", "sarif")
    run = json.loads(out)["runs"][0]
    assert code == 0
    assert [r["defaultConfiguration"]["level"] for r in run["tool"]["driver"]["rules"]] == [
        "error",
        "warning",
    ]
    assert [(r["ruleIndex"], r["level"]) for r in run["results"]] == [(1, "warning")]


def test_github_annotates_a_warning(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(capsys, "--format", "github")
    assert code == 0
    assert out.startswith("::warning file=app/domain.py,line=1,title=fitness%3A Pure domain::")
    assert "::error" not in out


def test_markdown_marks_a_warning(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(capsys, "--format", "markdown")
    assert code == 0
    assert "| 🟡 | Pure domain | 1 | 0 | 0 |" in out
    assert (
        "<details><summary>🟡 <b>Pure domain</b>: 1 violation (severity warning: it fails "
        "nothing)</summary>"
    ) in out


def test_the_html_report_marks_a_warning(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--no-cache", "-o", "report.html"]) == 0
    page = (project / "report.html").read_text(encoding="utf-8")
    assert '<td class="status WARN">WARN</td><td>Pure domain</td>' in page
    assert "1 kept, 0 broken, 1 warning (1 violation)" in page


def test_the_baseline_forgives_a_warning_rule_too(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["baseline", "--no-cache"]) == 0
    capsys.readouterr()
    code, out = check(capsys)
    assert code == 0
    assert out.splitlines()[1] == "KEPT   Pure domain (1 known violation in the baseline)"
    assert "Pure domain" in (project / "fitness-baseline.json").read_text(encoding="utf-8")


def test_a_warning_rule_that_cannot_be_checked_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project / "pyproject.toml"
    config.write_text(
        CONFIG.replace('forbidden_modules = ["app.adapters"]', 'forbidden_modules = ["app.nope"]'),
        encoding="utf-8",
    )
    code, out = check(capsys)
    assert code == 2
    assert out.splitlines()[1] == "ERROR  Pure domain"


def test_an_import_linter_contract_may_be_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "il"
    write_project(root, "", FILES)
    os.remove(root / "pyproject.toml")
    (root / ".importlinter").write_text(
        "[importlinter]\nroot_packages = app\n\n"
        "[importlinter:contract:pure]\nname = Pure domain\ntype = forbidden\n"
        "source_modules = app.domain\nforbidden_modules = app.adapters\nseverity = warning\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    code, out = check(capsys)
    assert (code, out.splitlines()[0]) == (0, "WARN   Pure domain")


def test_a_plugins_rule_may_be_a_warning(
    project: Path, site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.adapters.test_plugin_loading import ACME_RULES, install_fake_distribution

    install_fake_distribution(
        site, "acme-fitness", "1.2", {"acme": "acme_rules"}, {"acme_rules.py": ACME_RULES}
    )
    (project / "pyproject.toml").write_text(
        CONFIG.split("[[tool.fitness.rules]]")[0]
        + '[[tool.fitness.rules]]\nname = "Shallow"\ntype = "acme_max_depth"\nmax_depth = 1\n'
        'severity = "warning"\n',
        encoding="utf-8",
    )
    code, out = check(capsys)
    assert (code, out.splitlines()[0]) == (0, "WARN   Shallow")
