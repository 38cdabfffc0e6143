"""Fixtures for the fitness-django tests: in-memory graphs, and the example Django project."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import grimp
import pytest

from fitness import ProjectGraph

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "django_blog"

GraphMaker = Callable[[str], ProjectGraph]


@pytest.fixture
def make_graph() -> GraphMaker:
    """A graph from lines ``importer -> imported`` (a bare name declares a module).

    Root packages are the first parts of the importers; every ancestor package is
    added; the n-th import of a module is on line n of ``<module path>.py``.
    """

    def make(text: str) -> ProjectGraph:
        pairs: dict[str, list[str]] = {}
        for line in textwrap.dedent(text).strip().splitlines():
            importer, _, imported = (part.strip() for part in line.partition("->"))
            pairs.setdefault(importer, [])
            if imported:
                pairs[importer].append(imported)
        roots = sorted({m.split(".")[0] for m in pairs})
        modules = set(pairs) | {m for targets in pairs.values() for m in targets}
        graph = grimp.ImportGraph()
        for module in sorted(modules):
            parts = module.split(".")
            if parts[0] not in roots:
                graph.add_module(module, is_squashed=True)
                continue
            for i in range(1, len(parts) + 1):
                graph.add_module(".".join(parts[:i]))
        for importer, targets in pairs.items():
            for number, imported in enumerate(targets, start=1):
                graph.add_import(
                    importer=importer,
                    imported=imported,
                    line_number=number,
                    line_contents=f"import {imported}",
                )
        files = {m: m.replace(".", "/") + ".py" for m in modules}
        return ProjectGraph(graph, roots, module_files=files)

    return make


@pytest.fixture
def blog(pytester: pytest.Pytester) -> Path:
    """A fresh copy of examples/django_blog as the working directory."""
    target = pytester.path / "django_blog"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".fitness_cache", "__pycache__"))
    os.chdir(target)
    return target
