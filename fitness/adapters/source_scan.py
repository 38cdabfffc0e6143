"""What the import graph does not record: dynamic imports and inline suppressions.

Reads the source files of the analysed packages as text (never imports them).
A file is parsed with ``ast`` only if it mentions ``import_module`` or
``__import__``.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fitness.domain.graph import DynamicImport
from fitness.domain.source_facts import Suppression
from fitness.domain.suppressions import parse_suppressions

_DYNAMIC_NAMES = ("import_module", "__import__")


@dataclass(frozen=True)
class SourceScan:
    dynamic_imports: tuple[DynamicImport, ...] = ()
    suppressions: tuple[Suppression, ...] = ()


def scan_sources(project_dir: Path, module_files: Mapping[str, str]) -> SourceScan:
    dynamic: list[DynamicImport] = []
    suppressions: list[Suppression] = []
    for module, file in sorted(module_files.items()):
        path = Path(file) if Path(file).is_absolute() else project_dir / file
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        suppressions.extend(parse_suppressions(module, file, text))
        if any(name in text for name in _DYNAMIC_NAMES):
            dynamic.extend(find_dynamic_imports(module, file, text))
    return SourceScan(tuple(dynamic), tuple(suppressions))


def find_dynamic_imports(module: str, file: str, text: str) -> list[DynamicImport]:
    """Calls of ``importlib.import_module(...)``, ``import_module(...)`` and ``__import__(...)``."""
    try:
        tree = ast.parse(text, filename=file)
    except (SyntaxError, ValueError):
        return []
    lines = text.splitlines()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = (
            function.attr
            if isinstance(function, ast.Attribute)
            else function.id
            if isinstance(function, ast.Name)
            else ""
        )
        if name not in _DYNAMIC_NAMES:
            continue
        target = ""
        if (
            node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            target = node.args[0].value
        code = lines[node.lineno - 1].strip() if 0 < node.lineno <= len(lines) else ""
        found.append(DynamicImport(module, file, node.lineno, code, target))
    return found
