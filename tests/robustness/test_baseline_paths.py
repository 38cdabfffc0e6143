"""The configuration's ``baseline`` names a file inside the project, as ``cache_dir`` names a
directory inside it: the configuration is the pull request's, and fitness reads and writes
the baseline. A path that is absolute, climbs out with ``..`` or leads out through a link is
a configuration error (file:line, what to do) for ``fitness baseline``, ``pytest
--fitness-update-baseline`` and ``fitness check`` alike, and nothing is read or written
outside. The runner's ``--baseline FILE`` may still name any file; ``fitness init
--baseline FILE`` writes a configuration that names FILE, so FILE must be inside too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fitness.cli import main
from tests.robustness.corpus import LAYERS, SHOP, Case, snapshot, write_case

#: The domain imports the application: one violation of ``layered`` to record.
BROKEN_FILES = {**SHOP, "shop/domain/money.py": "import shop.application.services\n"}

LEADING_OUT = ["../outside.json", "{outside}/abs.json", "a/../../outside.json", "~/outside.json"]


def project(tmp_path: Path, baseline: str | None) -> Path:
    """A project in ``tmp_path/project`` (beside ``tmp_path/outside``) with one violation,
    whose configuration says ``baseline = "..."`` (third line)."""
    (tmp_path / "outside").mkdir(exist_ok=True)
    setting = "" if baseline is None else f'baseline = "{baseline}"\n'
    config = LAYERS.replace('root_packages = ["shop"]\n', f'root_packages = ["shop"]\n{setting}')
    return write_case(
        tmp_path / "project", Case("b", "broken", "", config=config, files=BROKEN_FILES)
    )


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--config", str(root / "pyproject.toml")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def outside_files(tmp_path: Path) -> list[str]:
    """What fitness left outside the project."""
    return sorted(p.name for p in tmp_path.iterdir() if p.name != "project") + sorted(
        p.name for p in (tmp_path / "outside").iterdir()
    )


def leading_out(tmp_path: Path, baseline: str) -> str:
    return baseline.replace("{outside}", str(tmp_path / "outside"))


@pytest.mark.parametrize("command", ["baseline", "check"])
@pytest.mark.parametrize("baseline", LEADING_OUT)
def test_a_baseline_outside_the_project_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], baseline: str, command: str
) -> None:
    # `fitness baseline` wrote ../outside.json (any absolute path too); `check` read it.
    baseline = leading_out(tmp_path, baseline)
    root = project(tmp_path, baseline)
    shown = baseline if len(baseline) <= 80 else baseline[:79] + "…"
    assert run(root, capsys, command) == (
        2,
        "",
        f"fitness: error: {root}/pyproject.toml:3: [tool.fitness]: 'baseline' must be a file "
        f"inside the project (a relative path without '..' leading out), not '{shown}'; "
        "to use a file elsewhere, give it on the command line (fitness check --baseline "
        "FILE)\n",
    )
    assert outside_files(tmp_path) == ["outside"]


@pytest.mark.parametrize("command", ["baseline", "check"])
def test_a_baseline_that_leads_out_through_a_link_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A pull request commits ``ci -> /somewhere`` and ``baseline = "ci/known.json"``."""
    root = project(tmp_path, "ci/known.json")
    (root / "ci").symlink_to(tmp_path / "outside", target_is_directory=True)
    assert run(root, capsys, command) == (
        2,
        "",
        f"fitness: error: {root}/pyproject.toml:3: [tool.fitness]: 'baseline' leads outside "
        "the project through a symbolic link ('ci/known.json'); name a file inside the "
        "project, or a file elsewhere on the command line (fitness check --baseline FILE)\n",
    )
    assert outside_files(tmp_path) == ["outside"]


@pytest.mark.parametrize("command", ["baseline", "check"])
def test_the_default_baseline_file_linked_outside_is_neither_read_nor_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    root = project(tmp_path, None)
    (root / "fitness-baseline.json").symlink_to(tmp_path / "outside" / "known.json")
    assert run(root, capsys, command) == (
        2,
        "",
        f"fitness: error: {root}/fitness-baseline.json: the baseline file leads outside the "
        "project through a symbolic link; it is neither read nor written: remove the link, "
        "or name a file elsewhere on the command line (fitness check --baseline FILE)\n",
    )
    assert outside_files(tmp_path) == ["outside"]


@pytest.mark.parametrize("baseline", ["a/../known.json", "ci/known.json"])
def test_a_baseline_inside_the_project_is_fine_even_through_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], baseline: str
) -> None:
    root = project(tmp_path, baseline)
    (root / "build").mkdir()
    (root / "ci").symlink_to(root / "build", target_is_directory=True)
    assert run(root, capsys, "baseline")[0] == 0
    assert run(root, capsys, "check")[0] == 0
    written = root / ("known.json" if baseline.startswith("a/") else "build/known.json")
    assert json.loads(written.read_text())["tool"] == "pytest-fitness"


def test_the_runners_baseline_option_still_names_any_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, None)
    elsewhere = tmp_path / "outside" / "known.json"
    assert run(root, capsys, "baseline", "--baseline", str(elsewhere))[0] == 0
    assert json.loads(elsewhere.read_text())["tool"] == "pytest-fitness"
    assert run(root, capsys, "check", "--baseline", str(elsewhere))[0] == 0


@pytest.mark.parametrize("baseline", [*LEADING_OUT, "ci/known.json"])
def test_pytest_update_baseline_refuses_a_baseline_outside_the_project(
    pytester: pytest.Pytester, baseline: str
) -> None:
    tmp_path = pytester.path
    baseline = leading_out(tmp_path, baseline)
    root = project(tmp_path, baseline)
    (root / "ci").symlink_to(tmp_path / "outside", target_is_directory=True)
    pytester.chdir()  # (pytester's own directory: the project is below it)
    result = pytester.runpytest(str(root), "--fitness-update-baseline", "-p", "no:randomly")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "FAILED project/pyproject.toml::configuration" in out
    assert f"pytest-fitness: {root}/pyproject.toml:3: [tool.fitness]: 'baseline' " in out
    assert "baseline updated" not in out
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == []
    assert not (tmp_path / "outside.json").exists()


# fitness init --baseline FILE ------------------------------------------------------------


def init_project(tmp_path: Path) -> Path:
    """A hexagon whose domain imports an adapter: `init --baseline` records a violation."""
    (tmp_path / "outside").mkdir()
    files = {
        "shop/__init__.py": "",
        "shop/domain/__init__.py": "",
        "shop/domain/model.py": "import shop.adapters.orm\n",
        "shop/application/__init__.py": "",
        "shop/application/services.py": "import shop.domain.model\n",
        "shop/adapters/__init__.py": "",
        "shop/adapters/orm.py": "import shop.domain.model\n",
        "shop/entrypoints/__init__.py": "",
        "shop/entrypoints/api.py": "import shop.application.services\n",
    }
    root = write_case(tmp_path / "project", Case("i", "kept", "", config="", files=files))
    (root / "pyproject.toml").write_text('[project]\nname = "shop"\n', encoding="utf-8")
    (root / "ci").symlink_to(tmp_path / "outside", target_is_directory=True)
    return root


@pytest.mark.parametrize("baseline", ["../known.json", "{outside}/known.json", "ci/known.json"])
def test_init_refuses_a_baseline_its_configuration_could_not_name(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    baseline: str,
) -> None:
    # It wrote the file outside, and `baseline = "../known.json"` into the configuration.
    root = init_project(tmp_path)
    monkeypatch.chdir(root)
    before = snapshot(root)
    baseline = leading_out(tmp_path, baseline)
    assert main(["init", ".", "--baseline", baseline]) == 2
    assert capsys.readouterr() == (
        "",
        f"fitness: error: --baseline {baseline}: outside the project {root} (links "
        "followed); the configuration fitness init writes names the baseline file, and a "
        "configuration may name only a file inside its project: choose one there\n",
    )
    assert snapshot(root) == before
    assert outside_files(tmp_path) == ["outside"]


def test_init_names_a_baseline_inside_the_project_relative_to_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = init_project(tmp_path)
    (root / "build").mkdir()
    monkeypatch.chdir(root / "build")
    assert main(["init", "..", "--baseline", "known.json"]) == 0
    assert 'baseline = "build/known.json"\n' in (root / "pyproject.toml").read_text()
    assert "fitness: recorded them in" in capsys.readouterr().out
    assert main(["check", "--config", str(root / "pyproject.toml")]) == 0
