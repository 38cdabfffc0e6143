"""No module of fitness is over 600 lines: a longer one holds more than one idea, and is
split along the seam between them (the code model's parsing, a rule type's checks and
its option reading...), so that a reader finds one idea in one file."""

from __future__ import annotations

from pathlib import Path

import fitness

MAX_LINES = 600
PACKAGE = Path(fitness.__file__).parent

#: Modules allowed over the limit, each with its reason.
EXCEPTIONS: dict[str, str] = {}


def lines_of(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def modules_over(root: Path, limit: int) -> dict[str, int]:
    """The Python modules under ``root`` longer than ``limit`` lines, by relative path."""
    return {
        path.relative_to(root).as_posix(): lines
        for path in sorted(root.rglob("*.py"))
        if (lines := lines_of(path)) > limit
    }


def test_modules_over_finds_a_long_module(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "long.py").write_text("x = 1\n" * 601)
    (tmp_path / "pkg" / "short.py").write_text("x = 1\n" * 600)
    assert modules_over(tmp_path, MAX_LINES) == {"pkg/long.py": 601}


def test_no_module_of_fitness_is_over_600_lines() -> None:
    too_long = {
        name: lines
        for name, lines in modules_over(PACKAGE, MAX_LINES).items()
        if name not in EXCEPTIONS
    }
    assert too_long == {}


def test_each_exception_is_still_needed() -> None:
    assert set(EXCEPTIONS) <= set(modules_over(PACKAGE, MAX_LINES))
