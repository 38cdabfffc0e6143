"""Analysed code is read, never run: modules whose import writes a file, exits, raises or
never returns are analysed like any other, and nothing they would do happens."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.robustness.corpus import FITNESS, LAYERS, SHOP, Case, snapshot, write_case

EVIL = {
    "shop/domain/writes.py": (
        "import pathlib\n"
        "pathlib.Path({marker!r}).write_text('the module was imported')\n"
        "import shop.application.services\n"
    ),
    "shop/domain/exits.py": "import sys\nsys.exit(3)\n",
    "shop/domain/hard_exit.py": "import os\nos._exit(4)\n",
    "shop/domain/raises.py": "raise RuntimeError('imported at analysis time')\n",
    "shop/domain/loops.py": "while True:\n    pass\n",
    "shop/__init__.py": "from shop.domain import writes, exits, hard_exit, raises, loops\n",
    "shop/application/__init__.py": "import shop.domain.loops\n",
}

RULES = (
    LAYERS
    + '\n[[tool.fitness.rules]]\nname = "lcom"\ntype = "metrics"\nmax_lcom4 = 10\n'
    + '\n[[tool.fitness.rules]]\nname = "no cycles"\ntype = "acyclic"\nmodules = ["shop"]\n'
)


def evil_project(root: Path) -> tuple[Path, Path]:
    marker = root.parent / f"{root.name}-side-effect.txt"
    files = {name: text.format(marker=str(marker)) for name, text in EVIL.items()}
    write_case(root, Case("evil", "broken", "", config=RULES, files={**SHOP, **files}))
    return root, marker


def test_fitness_check_does_not_run_the_code(tmp_path: Path) -> None:
    root, marker = evil_project(tmp_path / "project")
    before = snapshot(root)
    for command in (["check"], ["metrics"], ["check", "--no-cache"]):
        run = subprocess.run(
            [*FITNESS, *command],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in run.stdout + run.stderr
        assert not marker.exists()
        if command[0] == "check":
            assert run.returncode == 1, run.stdout + run.stderr
            assert "  shop.domain.writes -> shop.application.services" in run.stdout.splitlines()
    assert snapshot(root) == before


def test_pytest_does_not_run_the_code(pytester: pytest.Pytester) -> None:
    _root, marker = evil_project(pytester.path)
    pytester.makepyfile(
        test_graph="""
        def test_the_graph_has_the_evil_modules(fitness_graph):
            assert "shop.domain.loops" in fitness_graph.modules
            assert fitness_graph.grimp.direct_import_exists(
                importer="shop.domain.writes", imported="shop.application.services"
            )
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=120)
    result.assert_outcomes(passed=2, failed=2)  # layers and acyclic broken: the code is read
    assert "Traceback" not in result.stdout.str()
    assert not marker.exists()


def test_what_a_plugin_prints_on_import_never_reaches_the_report(tmp_path: Path) -> None:
    """A plugin is code that runs (like conftest.py); its output goes to stderr, so that
    the report on stdout stays machine-readable."""
    example = Path(__file__).parents[2] / "examples/custom_rules"
    project = tmp_path / "project"
    shutil.copytree(example, project, ignore=shutil.ignore_patterns(".fitness_cache"))
    rules = project / "arch_rules.py"
    rules.write_text(rules.read_text() + "\nprint('hello from the plugin')\n")
    run = subprocess.run(
        [*FITNESS, "check", "--format", "json"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in run.stderr
    assert run.returncode in (0, 1), run.stderr
    assert json.loads(run.stdout)["summary"]
    assert run.stderr == "hello from the plugin\n"
