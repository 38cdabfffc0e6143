"""Imports are made at the top of a module: the laziness that keeps ``fitness --version``,
a replayed ``fitness check`` and a pytest run without a configuration light lives at the
entry points (a command's module, a report format's, the plugin's modules:
:mod:`fitness._lazy`; the console script: :mod:`fitness.console`). An import inside a
function is the exception, each with its reason beside it (an optional dependency, a
cycle, a measured cost on a light path): at most 30 in fitness."""

from __future__ import annotations

import ast
from pathlib import Path

import fitness

MAX_IMPORTS_INSIDE_FUNCTIONS = 30
PACKAGE = Path(fitness.__file__).parent


def imports_inside_functions(root: Path) -> list[str]:
    """``path:line`` of each ``import`` / ``from ... import`` inside a function under
    ``root`` (a nested function's too), relative to ``root``, in order."""
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lines = {
            node.lineno
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(function)
            if isinstance(node, ast.Import | ast.ImportFrom)
        }
        found += [f"{name}:{line}" for line in sorted(lines)]
    return found


def test_an_import_inside_a_function_is_found_a_top_level_one_is_not(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "module.py").write_text(
        "import os\n"
        "\n"
        "def f():\n"
        "    import json\n"
        "    def g():\n"
        "        from re import compile\n"
        "    if os.sep:\n"
        "        import csv\n"
        "\n"
        "class C:\n"
        "    import abc\n"
        "    async def m(self):\n"
        "        import enum\n"
    )
    assert imports_inside_functions(tmp_path) == [
        "pkg/module.py:4",
        "pkg/module.py:6",
        "pkg/module.py:8",
        "pkg/module.py:13",
    ]


def test_fitness_imports_inside_functions_only_by_exception() -> None:
    found = imports_inside_functions(PACKAGE)
    assert len(found) <= MAX_IMPORTS_INSIDE_FUNCTIONS, (
        f"{len(found)} imports inside functions (at most {MAX_IMPORTS_INSIDE_FUNCTIONS}): "
        "import at the top of the module, or make the entry point lazy "
        "(fitness._lazy.LazyModule):\n" + "\n".join(found)
    )


def signal_handlers(root: Path) -> dict[str, ast.FunctionDef]:
    """The functions of the modules under ``root`` that are installed as signal handlers
    (``signal.signal(number, handler)``, the handler a function of the same module), by
    ``path:name``."""
    found: dict[str, ast.FunctionDef] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
        for call in ast.walk(tree):
            if (
                isinstance(call, ast.Call)
                and ast.unparse(call.func) == "signal.signal"
                and len(call.args) == 2
                and isinstance(handler := call.args[1], ast.Name)
                and handler.id in functions
            ):
                found[f"{path.relative_to(root).as_posix()}:{handler.id}"] = functions[handler.id]
    return found


def test_signal_handlers_import_nothing() -> None:
    """A signal may come while a module is half imported: a handler that imports then
    fails with an ImportError (it did, on Ctrl-C)."""
    handlers = signal_handlers(PACKAGE)
    assert "console.py:_ended" in handlers  # (the search finds them)
    importing = [
        name
        for name, function in handlers.items()
        if any(isinstance(node, ast.Import | ast.ImportFrom) for node in ast.walk(function))
    ]
    assert importing == []
