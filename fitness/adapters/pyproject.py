"""Reading the configuration from ``pyproject.toml``."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from fitness.adapters.config_files import read_config_text
from fitness.adapters.discovery import (
    CONFIG_FILE,
    has_fitness_table,
)
from fitness.adapters.plugin_loading import load_rule_types
from fitness.domain.config import FitnessConfig, parse_config
from fitness.domain.errors import ConfigError

# The import-linter adapters are imported where an import-linter configuration is
# looked for or read: a project with [tool.fitness] never needs them.
if TYPE_CHECKING:
    from fitness.adapters.importlinter_config import ImportLinterConfig

SECTION = "tool.fitness"


class LoadedConfig(NamedTuple):
    path: Path
    config: FitnessConfig
    #: Set when the configuration is an import-linter one (it knows its own lines).
    importlinter: ImportLinterConfig | None = None
    #: The text the configuration was read from (its lines are located in it).
    text: str | None = None

    @property
    def project_dir(self) -> Path:
        return self.path.parent

    @property
    def cache_path(self) -> Path:
        return self.project_dir / self.config.cache_dir

    def line_of_rule(self, index: int) -> int | None:
        if self.importlinter is not None:
            return self.importlinter.line_of_rule(index)
        return locate_key(self._text(), SECTION, ("rules", index))

    def _text(self) -> str:
        return self.text if self.text is not None else read_config_text(self.path)

    def line_of_root_packages(self) -> int | None:
        if self.importlinter is not None:
            return self.importlinter.line_of_root_packages()
        text = self._text()
        return locate_key(text, SECTION, ("root_packages",)) or locate_key(
            text, SECTION, ("root_package",)
        )


def read_table(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and its ``[tool.fitness]`` table; errors name the file and line."""
    text = read_config_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        where = f"{path}:{match.group(1)}" if match else str(path)
        raise ConfigError(f"invalid TOML: {reason}", where) from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError("invalid TOML: nested too deeply", str(path)) from None
    table = data.get("tool", {}).get("fitness")
    if table is None:
        raise ConfigError(f"no [{SECTION}] table; declare your rules there", str(path))
    if not isinstance(table, dict):
        raise ConfigError(f"'{SECTION}' must be a table", str(path))
    return text, table


def load_config(path: Path, *, load_entry_points: bool = True) -> LoadedConfig:
    fitness_table = path.name == CONFIG_FILE and has_fitness_table(path)
    if not fitness_table:
        from fitness.adapters.discovery import has_importlinter_config

        if path.suffix != ".toml" or has_importlinter_config(path):
            return _load_importlinter_config(path, load_entry_points=load_entry_points)
    text, table = read_table(path)
    try:
        rule_types = load_rule_types(
            plugin_names(table),
            path.parent,
            load_entry_points=load_entry_points,
            root_packages=table.get("root_packages", table.get("root_package", ())),
        )
        config = parse_config(table, rule_types.classes, section=SECTION)
    except ConfigError as error:
        line = locate_key(text, SECTION, error.key)
        raise error.located(f"{path}:{line}" if line else str(path)) from None
    return LoadedConfig(path=path, config=config, text=text)


def plugin_names(table: dict[str, Any]) -> Any:
    """``plugins`` of ``[tool.fitness]``, as the plugin loader takes it; a string (a
    list was meant) is refused before anything is imported."""
    from fitness.domain.options import convert

    plugins = table.get("plugins", [])
    if isinstance(plugins, str):
        convert(plugins, tuple[str, ...], key="plugins", where=f"[{SECTION}]: ")  # raises
    return plugins


def _load_importlinter_config(path: Path, *, load_entry_points: bool) -> LoadedConfig:
    """An import-linter configuration (INI, or ``[tool.importlinter]``), run by fitness."""
    from fitness.adapters.importlinter_config import load_importlinter_config

    try:
        rule_types = load_rule_types([], path.parent, load_entry_points=load_entry_points)
    except ConfigError as error:
        raise error.located(str(path)) from None
    loaded = load_importlinter_config(path, rule_types.classes, locate_toml=locate_key)
    return LoadedConfig(path=path, config=loaded.config, importlinter=loaded)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


class _TomlIndex(NamedTuple):
    """The table headers of a TOML text, found in one pass."""

    lines: list[str]
    #: (table name, occurrence of that name, 1-based line), in the order of the file
    tables: list[tuple[str, int, int]]
    #: (table name, occurrence) -> position in ``tables``
    positions: dict[tuple[str, int], int]
    #: table name -> the line of its first header
    first_lines: dict[str, int]


@functools.lru_cache(maxsize=8)
def _toml_index(text: str) -> _TomlIndex:
    """One scan of ``text`` for all its headers, so that locating every rule of a large
    configuration costs one pass, not one per rule (the text's hash is kept by the
    string, so looking it up again is cheap)."""
    lines = text.splitlines()
    tables: list[tuple[str, int, int]] = []
    positions: dict[tuple[str, int], int] = {}
    first_lines: dict[str, int] = {}
    array_counts: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if "[" not in line:
            continue
        header = _HEADER.match(line)
        if not header:
            continue
        name = _SPACES.sub("", header.group(2))
        if header.group(1) == "[[":
            index = array_counts.get(name, 0)
            array_counts[name] = index + 1
        else:
            index = 0
        positions.setdefault((name, index), len(tables))
        first_lines.setdefault(name, number)
        tables.append((name, index, number))
    return _TomlIndex(lines, tables, positions, first_lines)


_SPACES = re.compile(r"\s+")


def locate_key(text: str, section: str, key: Sequence[str | int]) -> int | None:
    """The 1-based line of a key path inside ``section`` (``("rules", 2, "type")`` is the
    ``type`` key of the third ``[[section.rules]]`` table); the closest enclosing line
    that can be found, or ``None``.

    The headers are indexed once per text: a rule's line costs a dictionary lookup
    and a scan of its own table (linear in the size of the configuration overall)."""
    index = _toml_index(text)
    section_line = index.first_lines.get(section)
    parts = list(key)
    target, occurrence = section, 0
    if len(parts) >= 2 and isinstance(parts[1], int):
        target, occurrence = f"{section}.{parts[0]}", parts[1]
        parts = parts[2:]
    position = index.positions.get((target, occurrence))
    if position is None:
        return section_line
    _, _, number = index.tables[position]
    if not parts:
        return number
    if len(parts) == 1 and "." in str(parts[0]):
        # "modules.app.billing": the key "app.billing" of the table option "modules"
        parts = list[str | int](str(parts[0]).split(".", 1))
    found = _key_line(index, number, parts[0])
    if found is not None:
        return found
    # Written as a sub-table of this rule: [section.key], perhaps with its own keys.
    sub = f"{target}.{parts[0]}"
    for name, _, header_line in index.tables[position + 1 :]:
        if name == target:
            break  # the next rule
        if name == sub:
            inner = _key_line(index, header_line, parts[1]) if len(parts) > 1 else None
            return inner if inner is not None else header_line
    first = index.first_lines.get(sub)
    return first if first is not None else number


def _key_line(index: _TomlIndex, header_line: int, key: str | int) -> int | None:
    """The line of ``key = ...`` in the table whose header is at ``header_line``."""
    following = [line for _, _, line in index.tables if line > header_line]
    end = following[0] if following else len(index.lines) + 1
    pattern = re.compile(rf"^\s*[\"']?{re.escape(str(key))}[\"']?\s*=")
    for line_number in range(header_line + 1, end):
        if pattern.match(index.lines[line_number - 1]):
            return line_number
    return None
