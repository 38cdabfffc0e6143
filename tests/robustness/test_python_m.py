"""``python -m fitness`` in a pull request's checkout: the working directory is first on
``sys.path`` there, and its files must never stand in for our dependencies or plugins."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.robustness.corpus import SHOP, Case, write_case

SHADOW = "import pathlib\npathlib.Path({marker!r}).write_text('imported')\n"


@pytest.mark.parametrize("module", ["grimp", "networkx", "tomllib", "pluggy"])
def test_a_module_in_the_working_directory_never_shadows_a_dependency(
    tmp_path: Path, module: str
) -> None:
    project = tmp_path / "project"
    marker = tmp_path / "shadowed.txt"
    config = (
        '[tool.fitness]\nroot_packages = ["shop"]\n\n'
        '[[tool.fitness.rules]]\nname = "no cycles"\ntype = "acyclic"\nmodules = ["shop"]\n'
    )
    write_case(project, Case("shadow", "kept", "", config=config, files=SHOP))
    (project / f"{module}.py").write_text(SHADOW.format(marker=str(marker)))

    done = subprocess.run(
        [sys.executable, "-m", "fitness", "check"], cwd=project, capture_output=True, text=True
    )

    assert not marker.exists(), done.stderr
    assert done.returncode in (0, 1), done.stderr
