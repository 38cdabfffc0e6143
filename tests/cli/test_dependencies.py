"""The ``dependencies`` rule type from the command line, on small projects with each
metadata format (tests/data/dependencies: PEP 621 with dependency groups, Poetry,
setup.cfg, requirements files), their installed distributions a fake environment
(``tests/data/dependencies/site-packages``), so nothing depends on this test venv."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import append

DATA = Path(__file__).resolve().parent.parent / "data" / "dependencies"
FORMATS = ("pep621", "poetry", "setupcfg", "requirements")


def copy_project(name: str, tmp_path: Path) -> Path:
    """A copy of ``tests/data/dependencies/<name>`` beside a copy of its environment."""
    shutil.copytree(DATA / "site-packages", tmp_path / "site-packages")
    return Path(shutil.copytree(DATA / name, tmp_path / name))


def check(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "--full", "--config", str(project / "pyproject.toml"), *args])
    return code, capsys.readouterr().out


PEP621_REPORT = """\
BROKEN Third-party dependencies

=== BROKEN: Third-party dependencies ===
Third-party distributions must be declared when imported, imported when declared and declared for \
production when production code imports them; shop.domain may use no third-party distribution, \
shop.adapters.db only SQLAlchemy.

click is declared ([project] dependencies) but never imported by shop:
  pyproject.toml declares click
    pyproject.toml:7  "click",

pytest is declared for development only ([dependency-groups] dev, [dependency-groups] test and \
[project.optional-dependencies] test) but imported by production code of shop:
  shop.fixtures -> pytest
    shop/fixtures.py:1  import pytest  # a test helper shipped in the package

urllib3 is imported by shop but not declared (transitive: installed because requests requires it):
  shop.util -> urllib3
    shop/util.py:1  import urllib3  # installed because requests requires it

shop.domain uses urllib3; it may use no third-party distribution:
  shop.domain.model -> shop.util -> urllib3
    shop/domain/model.py:2  from shop import util
    shop/util.py:1  import urllib3  # installed because requests requires it

How to fix: Declare each undeclared distribution (in a dependency group or a test extra if only \
tests import it); move a development-only distribution that production code imports to the \
project's dependencies, or the import into test code; remove the declarations nothing imports, or \
list the ones used without an import (plugins, drivers, servers) in ignore_unused; import a \
distribution only where usage allows it: behind a port, in the package that may use it.

0 kept, 1 broken (4 violations)
"""


def test_each_finding_kind_with_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project("pep621", tmp_path)
    assert check(project, capsys) == (1, PEP621_REPORT)


@pytest.mark.parametrize(
    ("name", "unused_at", "development_in"),
    [
        ("poetry", 'pyproject.toml:9  click = "*"', "[tool.poetry.group.test.dependencies]"),
        ("setupcfg", "setup.cfg:12  click", "[options.extras_require] test"),
        ("requirements", "requirements/extras.txt:1  click", "requirements/dev.txt"),
    ],
)
def test_every_metadata_format_gives_the_same_verdicts(
    name: str,
    unused_at: str,
    development_in: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = copy_project(name, tmp_path)
    code, out = check(project, capsys)
    assert code == 1
    violations = [line for line in out.splitlines() if line and line[0].islower()]
    assert violations == [
        f"click is declared ({_section_of_click(name)}) but never imported by shop:",
        f"pytest is declared for development only ({development_in}) but imported by "
        "production code of shop:",
        "urllib3 is imported by shop but not declared (transitive: installed because requests "
        "requires it):",
        "shop.domain uses urllib3; it may use no third-party distribution:",
    ]
    assert f"    {unused_at}\n" in out
    fixtures = "src/shop/fixtures.py" if name == "setupcfg" else "shop/fixtures.py"
    assert f"    {fixtures}:1  import pytest" in out


def _section_of_click(name: str) -> str:
    return {
        "poetry": "[tool.poetry.dependencies]",
        "setupcfg": "[options] install_requires",
        "requirements": "requirements/extras.txt",
    }[name]


def test_a_project_that_declares_what_it_imports_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project("pep621", tmp_path)
    text = (project / "pyproject.toml").read_text()
    text = text.replace('    "click",\n', '    "urllib3",\n').replace(
        '"shop.domain" = []', '"shop.domain" = ["urllib3"]'
    )
    (project / "pyproject.toml").write_text(text)
    (project / "shop/fixtures.py").write_text("")
    code, out = check(project, capsys)
    assert (code, out.splitlines()[0]) == (0, "KEPT   Third-party dependencies")


def test_ignoring_each_kind_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project("pep621", tmp_path)
    text = (
        (project / "pyproject.toml")
        .read_text()
        .replace(
            'environment = ["../site-packages"]',
            'environment = ["../site-packages"]\n'
            'ignore_undeclared = ["urllib3"]\n'
            'ignore_unused = ["Click"]\n'
            'ignore_development_only = ["pytest"]\n'
            'ignore_imports = ["shop.domain.model -> shop.util"]',
        )
    )
    (project / "pyproject.toml").write_text(text)
    code, out = check(project, capsys)
    assert code == 0, out
    # What an ignore entry silences nothing of is said (here: an error, as for ignore_imports).
    (project / "shop/fixtures.py").write_text("")
    code, out = check(project, capsys)
    assert code == 2
    assert "ignore_development_only: 'pytest' ignores nothing; remove it" in out


def test_the_baseline_holds_each_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project("pep621", tmp_path)
    config = str(project / "pyproject.toml")
    assert main(["baseline", "--config", config]) == 0
    capsys.readouterr()
    assert check(project, capsys)[0] == 0
    # A new undeclared import is new, though the distribution's other import is known.
    append(project / "shop/adapters/web.py", "import urllib3\n")
    code, out = check(project, capsys)
    assert code == 1
    assert "shop.adapters.web -> urllib3" in out
    assert "shop.util -> urllib3" not in out


def test_an_inline_suppression_silences_one_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project("pep621", tmp_path)
    (project / "shop/util.py").write_text(
        "import urllib3  # fitness: ignore[Third-party dependencies] vendored for a reason\n"
    )
    code, out = check(project, capsys)
    assert "urllib3" not in out.split("How to fix")[0]
    assert "click is declared" in out  # the others are still reported
    assert code == 1


def test_optional_imports_are_marked_and_may_be_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project("pep621", tmp_path)
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text().replace('yaml = ["PyYAML"]\n', "")
    )
    code, out = check(project, capsys)
    assert code == 1
    assert (
        "PyYAML (imported as yaml) is imported by shop but not declared; only in optional "
        "imports (try/except ImportError):\n  shop.config -> yaml\n    shop/config.py:2  "
        "import yaml\n"
    ) in out
    text = (
        (project / "pyproject.toml")
        .read_text()
        .replace(
            'environment = ["../site-packages"]',
            'environment = ["../site-packages"]\noptional_imports = "ignore"',
        )
    )
    (project / "pyproject.toml").write_text(text)
    code, out = check(project, capsys)
    assert (code, "PyYAML" in out) == (1, False)


def test_a_namespace_package_is_told_apart_by_its_packages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project("pep621", tmp_path)
    append(project / "shop/adapters/web.py", "from google.cloud import storage\n")
    code, out = check(project, capsys)
    assert code == 1
    assert (
        "google-cloud-storage (imported as google) is imported by shop but not declared:\n"
        "  shop.adapters.web -> google\n"
        "    shop/adapters/web.py:4  from google.cloud import storage\n"
    ) in out
    # protobuf, declared, is imported through the same top-level name (line 2): not reported
    assert "protobuf" not in out


@pytest.mark.parametrize("output_format", ["json", "sarif", "github", "markdown"])
def test_every_report_format_locates_each_finding(
    output_format: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project("pep621", tmp_path)
    code, out = check(project, capsys, "--format", output_format)
    assert code == 1
    if output_format == "json":
        data = json.loads(out)
        (rule,) = data["rules"]
        assert [v["summary"].split(" ", 1)[0] for v in rule["violations"]] == [
            "click",
            "pytest",
            "urllib3",
            "shop.domain",
        ]
        link = rule["violations"][0]["chains"][0]["links"][0]
        assert (link["file"], link["line_numbers"], link["kind"]) == (
            "pyproject.toml",
            [7],
            "declare",
        )
    elif output_format == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        where = {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in results
        }
        assert ("pyproject.toml", 7) in where
        assert ("shop/util.py", 1) in where
    elif output_format == "github":
        assert "file=pyproject.toml,line=7" in out
        assert "file=shop/fixtures.py,line=1" in out
    else:
        assert "- **click is declared \\(\\[project\\] dependencies\\) but never" in out
        assert '    - `pyproject.toml:7` `"click",`' in out


def test_no_declared_dependency_is_an_error_not_a_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project("requirements", tmp_path)
    text = (project / "pyproject.toml").read_text()
    text = text.replace('requirements_files = ["requirements/base.txt"]\n', "").replace(
        'development_requirements_files = ["requirements/dev.txt"]\n', ""
    )
    (project / "pyproject.toml").write_text(text)
    code, out = check(project, capsys)
    assert code == 2
    assert (
        f"no dependency is declared in {project}: no [project] table or Poetry dependencies in "
        "pyproject.toml, no install_requires in setup.cfg; declare them there, or name the "
        "requirements files with requirements_files"
    ) in out.replace("\n  ", " ")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("requirements/base.txt", "-r ../../outside.txt\n"),
            "requirements file '../../outside.txt' (included from requirements/base.txt) is "
            "outside the project directory",
        ),
        (
            ("requirements/extras.txt", "-r base.txt\n"),
            "requirements/base.txt: includes itself (through requirements/base.txt, "
            "requirements/extras.txt)",
        ),
        (
            ("requirements/base.txt", "-r missing.txt\n"),
            "requirements file 'missing.txt' (included from requirements/base.txt): no such file",
        ),
    ],
)
def test_bad_requirements_files_are_errors_naming_them(
    edit: tuple[str, str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = copy_project("requirements", tmp_path)
    append(project / edit[0], edit[1])
    code, out = check(project, capsys)
    assert code == 2
    assert message in out.replace("\n  ", " ")
