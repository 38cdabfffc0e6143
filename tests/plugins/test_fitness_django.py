"""The first-party plugin ``plugins/fitness-django``, run by the main test suite.

Its own tests (``plugins/fitness-django/tests``) run in a subprocess in which the
plugin is "installed" the cheap way: its ``src`` on ``PYTHONPATH``, plus a
``*.dist-info`` whose entry points and requirements are read from the plugin's
own ``pyproject.toml`` (so a wrong entry point there fails here). A slow test
also builds and installs it with pip, the way users do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from tests.helpers import REPO

PLUGIN = REPO / "plugins" / "fitness-django"


def write_dist_info(site: Path, pyproject: Path) -> Path:
    """A ``*.dist-info`` for the project that ``pyproject`` declares, as pip would write it."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    dist_info = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist_info.mkdir(parents=True)
    requires = "".join(f"Requires-Dist: {r}\n" for r in project.get("dependencies", []))
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
        + requires,
        encoding="utf-8",
    )
    groups = project.get("entry-points", {})
    lines = []
    for group, entries in groups.items():
        lines.append(f"[{group}]")
        lines.extend(f"{name} = {value}" for name, value in entries.items())
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dist_info


def test_the_plugin_declares_its_entry_point_and_depends_on_pytest_fitness() -> None:
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "fitness-django"
    assert project["entry-points"]["fitness"] == {"django": "fitness_django.plugin"}
    assert any(r.startswith("pytest-fitness") for r in project["dependencies"])
    module = PLUGIN / "src" / "fitness_django" / "plugin.py"
    assert "def fitness_rule_types" in module.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_plugins_own_test_suite_passes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = pytester.path / "site-packages"
    write_dist_info(site, PLUGIN / "pyproject.toml")
    path = [str(site), str(PLUGIN / "src"), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in path if p))
    result = pytester.runpytest_subprocess(str(PLUGIN / "tests"), "-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert outcomes.get("passed", 0) >= 20, outcomes
    assert not outcomes.get("failed") and not outcomes.get("errors"), outcomes
    assert not outcomes.get("skipped"), outcomes


@pytest.mark.slow
def test_pip_installs_the_plugin_and_fitness_finds_it(tmp_path: Path) -> None:
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode:
        pytest.skip("pip is not available")
    source = tmp_path / "fitness-django"  # a copy: building writes into the source tree
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    target = tmp_path / "site-packages"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    if install.returncode != 0:
        offline = ("No matching distribution", "Could not find a version", "NewConnectionError")
        if any(marker in install.stdout + install.stderr for marker in offline):
            pytest.skip("pip cannot fetch the build backend (offline)")
        pytest.fail(f"pip install failed:\n{install.stdout}{install.stderr}")

    [dist] = [d for d in metadata.distributions(path=[str(target)]) if d.name == "fitness-django"]
    assert [(e.group, e.name, e.value) for e in dist.entry_points] == [
        ("fitness", "django", "fitness_django.plugin")
    ]
    env = {**os.environ, "PYTHONPATH": str(target)}
    listed = subprocess.run(
        [sys.executable, "-m", "fitness.cli", "rules", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert listed.returncode == 0, listed.stderr
    plugins = {t["type"]: t["plugin"] for t in json.loads(listed.stdout)["rule_types"]}
    for type_name in (
        "django_app_dependencies",
        "django_models_isolation",
        "django_settings_access",
    ):
        assert plugins[type_name]["distribution"] == "fitness-django"
        assert plugins[type_name]["version"] == dist.version
