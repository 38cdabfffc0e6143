"""What the import graph does not record: dynamic imports and inline suppressions.

Reads the source files of the analysed packages as text (never imports them).
Dynamic imports are found by one regular-expression pass over the files that
mention ``import_module`` or ``__import__`` (strings and comments skipped).
"""

from __future__ import annotations

import bisect
import re
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


# One pass of a C regular expression over the text: strings and comments are
# matched (and skipped) whole, so a call written inside them is never taken for code.
_TOKENS = re.compile(
    r"""
    (?P<string>[rRbBuUfF]{0,2}(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''
        |"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))
    |(?P<comment>\#[^\n]*)
    |(?P<call>\b(?:importlib\s*\.\s*)?(?:import_module|__import__)\s*\()
    """,
    re.VERBOSE,
)
_LITERAL = re.compile(r"""\s*[rRuU]?(['"])([\w.]+)\1""")
_DEFINITION = re.compile(r"\bdef\s+$")


def find_dynamic_imports(module: str, file: str, text: str) -> list[DynamicImport]:
    """Calls of ``importlib.import_module(...)``, ``import_module(...)`` and ``__import__(...)``
    in code: not in strings or comments, and not the definition of such a function."""
    lines = text.splitlines()
    line_starts: list[int] | None = None
    found = []
    for match in _TOKENS.finditer(text):
        if match.lastgroup != "call":
            continue
        start = match.start()
        if _DEFINITION.search(text, text.rfind("\n", 0, start) + 1, start):
            continue
        if line_starts is None:
            line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        number = bisect.bisect_right(line_starts, start)
        literal = _LITERAL.match(text, match.end())
        target = literal.group(2) if literal else ""
        code = lines[number - 1].strip() if 0 < number <= len(lines) else ""
        found.append(DynamicImport(module, file, number, code, target))
    return found
