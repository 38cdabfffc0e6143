"""Each source file is read once in Python when the graph is built (issue 25, item 3): its
limits checked and its facts read from the same bytes (dynamic imports, suppressions,
``__main__`` blocks), cached with its imports; a warm run reads none."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest

from fitness.adapters import source_scan
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.adapters.source_limits import _has_line_longer_than
from fitness.domain.config import GraphSettings
from tests.helpers import write_files

FILES = {
    "app/__init__.py": "",
    "app/cli.py": """
        import json
        import importlib

        def main():
            return importlib.import_module(name)

        if __name__ == "__main__":
            import app.tools
            main()
    """,
    "app/tools.py": "import app.models  # fitness: ignore[layers] the old report, see #12\n",
    "app/models.py": "",
}
SETTINGS = GraphSettings(("app",), exclude_main_block_imports=True)


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files read in Python from now on (by their name)."""
    read: list[str] = []
    original = vars(source_scan)["read_source"]

    def counting(path: str, limit: int | None = None) -> bytes:
        read.append(os.path.basename(path))
        data: bytes = original(path, limit)
        return data

    monkeypatch.setattr(source_scan, "read_source", counting)
    return read


def build(root: Path) -> Any:
    return GrimpGraphBuilder(root, cache_dir=root / ".fitness_cache", sys_path=[]).build(SETTINGS)


def test_a_cold_build_reads_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, FILES)
    read = reads(monkeypatch)
    graph = build(tmp_path)
    assert sorted(read) == ["__init__.py", "cli.py", "models.py", "tools.py"]
    assert [(d.module, d.line_number) for d in graph.dynamic_imports] == [("app.cli", 5)]
    assert [(s.module, s.line) for s in graph.suppressions] == [("app.tools", 1)]
    assert [(m.module, m.line_number) for m in graph.main_block_imports] == [("app.cli", 8)]


def test_a_warm_build_reads_no_file_and_knows_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, FILES)
    cold = build(tmp_path)
    read = reads(monkeypatch)
    warm = build(tmp_path)
    assert read == []
    assert warm.dynamic_imports == cold.dynamic_imports
    assert warm.suppressions == cold.suppressions
    assert warm.main_block_imports == cold.main_block_imports
    assert ("app.cli", "app.tools") not in warm.direct_imports()


def test_after_an_edit_only_the_edited_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, FILES)
    build(tmp_path)
    path = tmp_path / "app/tools.py"
    info = path.stat()
    path.write_text("import app.models\n")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    read = reads(monkeypatch)
    graph = build(tmp_path)
    assert read == ["tools.py"]
    assert graph.suppressions == ()
    assert [(m.module, m.line_number) for m in graph.main_block_imports] == [("app.cli", 8)]


def test_the_longest_line_is_found_without_splitting_the_file() -> None:
    generator = random.Random(7)
    for _ in range(3000):
        data = bytes(generator.choice(b"ab\n") for _ in range(generator.randint(0, 60)))
        length = generator.randint(0, 20)
        longest = max(len(line) for line in data.split(b"\n"))
        assert _has_line_longer_than(length, data) == (longest > length), (data, length)
