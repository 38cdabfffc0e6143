"""Same input, same bytes, on real code: rich (installed from PyPI as a test dependency,
copied and analysed, never imported) has many equally short chains between its modules,
among which grimp chose differently from run to run."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFIG = """\
[tool.fitness]
root_packages = ["rich"]

[[tool.fitness.rules]]
name = "Text is below the console"
type = "layers"
layers = ["rich.console", "rich.text", "rich.segment"]

[[tool.fitness.rules]]
name = "Segments know no markup"
type = "forbidden"
source_modules = ["rich.segment", "rich.style"]
forbidden_modules = ["rich.markup", "rich.console"]

[[tool.fitness.rules]]
name = "Widgets are independent"
type = "independence"
modules = ["rich.table", "rich.panel", "rich.tree", "rich.progress"]

[[tool.fitness.rules]]
name = "No cycles"
type = "acyclic"
modules = ["rich"]
max_cycles = 5
"""


@pytest.fixture(scope="module")
def rich_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.find_spec("rich")  # located, not imported
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("rich is not installed (pip install -e '.[test]')")
    project = tmp_path_factory.mktemp("rich-project")
    shutil.copytree(next(iter(spec.submodule_search_locations)), project / "rich")
    (project / "pyproject.toml").write_text(CONFIG)
    return project


def check(project: Path, seed: int, *args: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    env.pop("GITHUB_STEP_SUMMARY", None)
    done = subprocess.run(
        [sys.executable, "-m", "fitness", "check", *args],
        cwd=project,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr.decode()
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "markdown"])
def test_rich_gives_the_same_bytes_cold_and_warm_under_any_hash_seed(
    rich_project: Path, output_format: str
) -> None:
    args = ("--full", "--format", output_format)
    cold = {check(rich_project, seed, "--no-cache", *args) for seed in (0, 1, 2)}
    check(rich_project, 3, *args)  # fills the cache
    warm = check(rich_project, 4, *args)

    assert cold == {warm}
    assert b"rich.segment" in warm  # the rules are broken on rich: there are chains to show
