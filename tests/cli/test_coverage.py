"""``fitness coverage`` and ``require_coverage``: the modules no rule governs, seen and,
when asked, failing the check (in ``fitness check``, pytest and the HTML report)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import write_project

FILES = {
    "shop/__init__.py": "",
    "shop/domain/__init__.py": "",
    "shop/domain/model.py": "",
    "shop/adapters/__init__.py": "",
    "shop/adapters/db.py": "import shop.domain.model\n",
    "shop/legacy/__init__.py": "",
    "shop/legacy/old.py": "",
    "shop/tests/__init__.py": "",
    "shop/tests/test_model.py": "import shop.domain.model\n",
}

CONFIG = """
[tool.fitness]
root_packages = ["shop"]
{extra}

[[tool.fitness.rules]]
name = "layers"
type = "layers"
layers = ["shop.adapters", "shop.domain"]
"""


def project(root: Path, extra: str = "") -> Path:
    return write_project(root, CONFIG.format(extra=extra), FILES)


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--config", str(root / "pyproject.toml")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_coverage_lists_what_no_rule_governs_by_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)

    code, out, err = run(root, capsys, "coverage")

    assert (code, err) == (0, "")
    assert out == (
        "Architecture coverage: 4 of 9 modules governed by a rule (44.4%)\n"
        "\n"
        "package        modules  governed   share\n"
        "shop                 1         0    0.0%\n"
        "shop.adapters        2         2  100.0%\n"
        "shop.domain          2         2  100.0%\n"
        "shop.legacy          2         0    0.0%\n"
        "shop.tests           2         0    0.0%\n"
        "\n"
        "Governed by no rule (5 modules):\n"
        "  shop (the package's own module; governed once every module in it is)\n"
        "  shop.legacy (2 modules)\n"
        "  shop.tests (2 modules)\n"
        "\n"
        "Place them in the architecture: name each (or a package above it) in a rule.\n"
    )


def test_coverage_in_json_names_every_ungoverned_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, "require_coverage = 0.4")

    code, out, _ = run(root, capsys, "coverage", "--format", "json")

    data = json.loads(out)
    assert code == 0
    assert (data["modules"], data["governed"], data["share"], data["required"]) == (
        9,
        4,
        0.444444,
        0.4,
    )
    assert data["ungoverned"] == [
        {"name": "shop", "modules": 1, "partly": True},
        {"name": "shop.legacy", "modules": 2, "partly": False},
        {"name": "shop.tests", "modules": 2, "partly": False},
    ]
    assert data["ungoverned_modules"] == [
        "shop",
        "shop.legacy",
        "shop.legacy.old",
        "shop.tests",
        "shop.tests.test_model",
    ]
    assert data["packages"][1] == {
        "package": "shop.adapters",
        "modules": 2,
        "governed": 2,
        "share": 1.0,
    }
    assert data["silent_rules"] == []


def test_coverage_writes_the_same_bytes_to_a_file_every_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    target = tmp_path / "coverage.json"

    assert run(root, capsys, "coverage", "--format", "json", "-o", str(target))[:2] == (0, "")
    first = target.read_bytes()
    assert (
        run(root, capsys, "coverage", "--no-cache", "--format", "json", "-o", str(target))[0] == 0
    )
    assert target.read_bytes() == first


def test_when_every_module_is_governed_coverage_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    (root / "pyproject.toml").write_text(
        CONFIG.format(extra="").replace(
            '["shop.adapters", "shop.domain"]',
            '["shop.tests", "shop.adapters", "shop.legacy | shop.domain"]',
        ),
        encoding="utf-8",
    )

    _, out, _ = run(root, capsys, "coverage")

    assert (
        out.splitlines()[0] == "Architecture coverage: 9 of 9 modules governed by a rule (100.0%)"
    )
    assert "Every module is governed by at least one rule." in out


def test_require_coverage_breaks_the_check_naming_the_ungoverned_packages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, 'require_coverage = "all"')

    code, out, _ = run(root, capsys, "check")

    assert code == 1
    assert "BROKEN coverage" in out
    assert "shop.legacy (2 modules) is governed by no rule" in out
    assert "shop.tests (2 modules) is governed by no rule" in out
    assert "The rules govern 44.4% of the modules (4 of 9); require_coverage asks for all" in out


def test_a_share_that_is_met_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, "require_coverage = 0.4")

    code, out, _ = run(root, capsys, "check")

    assert code == 0
    assert "KEPT   coverage" in out


def test_the_baseline_holds_todays_ungoverned_packages_and_a_new_one_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, 'require_coverage = "all"')
    assert run(root, capsys, "baseline")[0] == 0
    assert run(root, capsys, "check")[0] == 0

    (root / "shop/payments").mkdir()
    (root / "shop/payments/__init__.py").write_text("", encoding="utf-8")
    code, out, _ = run(root, capsys, "check")

    assert code == 1
    assert "shop.payments is governed by no rule" in out
    assert "shop.legacy (2 modules)" not in out


def test_pytest_has_a_coverage_item_at_the_line_of_require_coverage(
    pytester: pytest.Pytester,
) -> None:
    project(pytester.path, 'require_coverage = "all"')

    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*fitness: coverage*",
            "Every module of the root packages must be governed by at least one rule.",
            "shop.legacy (2 modules) is governed by no rule",
            "FAILED pyproject.toml::coverage - *",
        ]
    )
    collected = pytester.runpytest("--collect-only", "-q", "-p", "no:cacheprovider")
    collected.stdout.fnmatch_lines(["pyproject.toml::layers", "pyproject.toml::coverage"])


def test_the_report_shows_the_share_governed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    target = tmp_path / "report.html"

    assert run(root, capsys, "report", "-o", str(target))[0] == 0

    page = target.read_text(encoding="utf-8")
    assert '<a href="#coverage">Coverage</a>' in page
    assert (
        '<p class="summary" id="coverage-share">4 of 9 module(s) governed by a rule: '
        "<strong>44.4%</strong>"
    ) in page
    assert "<li><code>shop.legacy (2 modules)</code></li>" in page
