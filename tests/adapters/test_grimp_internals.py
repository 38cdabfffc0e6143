"""fitness's use of grimp's internals (fitness/adapters/grimp_internals.py, the one module
that has any): with the installed grimp, the fast path is taken, not the public
``grimp.build_graph`` it falls back to. A grimp release that moves one of them fails
here, instead of silently making every cold run slower. ``.ci/run`` runs this file with
the newest grimp 3.x too."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import grimp
import pytest

from fitness.adapters import grimp_internals
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.domain.config import GraphSettings
from tests.helpers import write_files

FITNESS = Path(grimp_internals.__file__).resolve().parent.parent

FILES = {
    "pkg/__init__.py": "",
    "pkg/a.py": "import os\nfrom pkg import b\n",
    "pkg/b.py": "from . import plugins\n",
    "pkg/plugins/extra.py": "import pkg.a\n",
}


def test_the_installed_grimp_has_every_internal_the_fast_path_uses() -> None:
    assert grimp_internals.fast_path_missing() == [], f"grimp {grimp.__version__}"


def test_a_build_takes_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """grimp's scanning step is called, its public build_graph is not."""
    write_files(tmp_path, FILES)
    scan = vars(grimp_internals)["_scan_imports"]
    scanned: list[str] = []

    def spy(module_files: Any, **kwargs: Any) -> Any:
        scanned.extend(sorted(m.module.name for m in module_files))
        return scan(module_files, **kwargs)

    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the fast path was not taken: grimp.build_graph was called")

    monkeypatch.setattr(grimp_internals, "_scan_imports", spy)
    monkeypatch.setattr(grimp, "build_graph", fail)
    graph = GrimpGraphBuilder(tmp_path, sys_path=[]).build(
        GraphSettings(("pkg",), include_external_packages=True)
    )
    assert scanned == ["pkg", "pkg.a", "pkg.b", "pkg.plugins.extra"]
    assert graph.import_lines("pkg.b", "pkg.plugins") == [(1, "from . import plugins")]


@pytest.mark.parametrize("as_import_linter", [False, True])
def test_both_paths_build_the_same_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_import_linter: bool
) -> None:
    """The fallback (grimp.build_graph through its ports) gives the fast path's graph,
    namespace packages inside packages included."""
    write_files(tmp_path, FILES)
    settings = GraphSettings(
        ("pkg",), include_external_packages=True, as_import_linter=as_import_linter
    )
    builder = GrimpGraphBuilder(tmp_path, sys_path=[])
    fast = builder.build(settings)
    monkeypatch.setattr(grimp_internals, "_scan_imports", None)
    assert grimp_internals.fast_path_missing() == ["grimp.application.scanning.scan_imports"]
    slow = builder.build(settings)
    assert fast.modules == slow.modules
    assert fast.direct_imports() == slow.direct_imports()
    assert ("pkg.b", "pkg.plugins") in fast.direct_imports() or as_import_linter


def test_grimps_internals_are_used_in_one_module_only() -> None:
    """Nothing else imports from grimp's packages but its public API (``grimp``,
    ``grimp.exceptions``) or reaches into its graph's Rust core."""
    public = {"grimp", "grimp.exceptions"}
    offenders = []
    for path in sorted(FITNESS.rglob("*.py")):
        if path.name == "grimp_internals.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "_rustgraph" in text or "_rustgrimp" in text:
            offenders.append(f"{path.relative_to(FITNESS)}: grimp's Rust core")
        for node in ast.walk(ast.parse(text)):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders.extend(
                f"{path.relative_to(FITNESS)}: {name}"
                for name in names
                if (name == "grimp" or name.startswith("grimp.")) and name not in public
            )
    assert offenders == []
