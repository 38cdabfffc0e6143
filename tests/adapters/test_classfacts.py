"""Class facts parsed in worker processes equal those parsed in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.adapters import classfacts
from fitness.adapters.classfacts import CachedClassFactsReader
from fitness.domain.errors import ConfigError
from tests.helpers import EXAMPLES


def shop_files() -> dict[str, str]:
    root = EXAMPLES / "shop"
    files = {}
    for path in sorted((root / "shop").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        files[module] = path.relative_to(root).as_posix()
    return files


def test_parallel_parsing_gives_the_same_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    files = shop_files()
    sequential = CachedClassFactsReader(EXAMPLES / "shop").read(files)
    monkeypatch.setattr(classfacts, "PARALLEL_FROM", 2)
    monkeypatch.setattr(classfacts.os, "cpu_count", lambda: 2)
    reader = CachedClassFactsReader(EXAMPLES / "shop")
    parallel = reader.read(files)
    assert parallel == sequential
    assert reader.parsed == len(files)
    assert any(facts.classes for facts in parallel.values())


def test_a_bad_file_in_a_worker_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pkg").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / "pkg" / f"{name}.py").write_text("class A:\n    pass\n")
    (tmp_path / "pkg" / "bad.py").write_bytes(b"x = '\xff'\n")
    files = {f"pkg.{n}": f"pkg/{n}.py" for n in ("a", "b", "c", "bad")}
    monkeypatch.setattr(classfacts, "PARALLEL_FROM", 2)
    monkeypatch.setattr(classfacts.os, "cpu_count", lambda: 2)
    with pytest.raises(ConfigError, match=r"cannot read pkg/bad.py: not valid UTF-8 \(byte 5\)"):
        CachedClassFactsReader(tmp_path).read(files)
