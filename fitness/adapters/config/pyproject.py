"""Reading the configuration from ``pyproject.toml``."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple

from fitness.adapters.config.discovery import (
    CONFIG_FILE,
    has_fitness_table,
)
from fitness.adapters.config.plugins import load_rule_types, validate_plugin_names
from fitness.adapters.config.text import read_config_text
from fitness.adapters.paths import check_file_name, is_outside, shown
from fitness.domain.config import FitnessConfig, parse_config
from fitness.domain.errors import ConfigError, combined, did_you_mean
from fitness.domain.rendering import is_url

# The import-linter adapters are imported where an import-linter configuration is
# looked for or read: a project with [tool.fitness] never needs them.
if TYPE_CHECKING:
    from fitness.adapters.config.importlinter import ImportLinterConfig
    from fitness.domain.rules.base import Rule

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

    def line_of_rule(self, index: int) -> int | None:
        if self.importlinter is not None:
            return self.importlinter.line_of_rule(index)
        from fitness.domain.coverage import COVERAGE_TYPE

        rules = self.config.rules
        if index < len(rules) and rules[index].type_name == COVERAGE_TYPE:
            return locate_key(self._text(), SECTION, ("require_coverage",))
        return locate_key(self._text(), SECTION, ("rules", index))

    def _text(self) -> str:
        return self.text if self.text is not None else read_config_text(self.path)

    def where_of(self, key: Sequence[str | int]) -> str:
        """``path:line`` of a key of the configuration (``("rules", 2, "modules")``: the
        ``modules`` option of the third rule), or the path when its line is not known."""
        if self.importlinter is not None:
            if key[:1] == ("rules",):
                key = ("contracts", *key[1:])
            line = self.importlinter.options.line_of(key) if key else None
            return f"{self.path}:{line}" if line else str(self.path)
        return where_in_toml(self.path, self._text(), key)

    def locate(self, error: ConfigError) -> ConfigError:
        """The error with each of its mistakes located at its key's line."""
        return error.located_by(self.where_of)

    def line_of_root_packages(self) -> int | None:
        if self.importlinter is not None:
            return self.importlinter.line_of_root_packages()
        text = self._text()
        return locate_key(text, SECTION, ("root_packages",)) or locate_key(
            text, SECTION, ("root_package",)
        )


def where_in_toml(path: Path, text: str, key: Sequence[str | int]) -> str:
    """``path:line`` of a key of the ``[tool.fitness]`` table in ``text``, or ``path``."""
    line = locate_key(text, SECTION, key)
    return f"{path}:{line}" if line else str(path)


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


def load_config(
    path: Path,
    *,
    load_entry_points: bool = True,
    import_project_code: bool = True,
    locate_file: FileLocator | None = None,
) -> LoadedConfig:
    """The configuration in ``path``, its plugins loaded. Without ``import_project_code``
    (a commit's configuration, in ``fitness history``), only the installed plugins are:
    the project's own (``plugins``, import-linter's ``contract_types``) are not imported,
    and the rules of their types are not checked, saying why. ``locate_file`` says what
    a path relative to the configuration's directory is, where the project is not on
    disk (a commit): ``"file"``, ``"dir"`` or ``None``."""
    fitness_table = path.name == CONFIG_FILE and has_fitness_table(path)
    if not fitness_table:
        from fitness.adapters.config.discovery import has_importlinter_config

        if path.suffix != ".toml" or has_importlinter_config(path):
            return _load_importlinter_config(
                path,
                load_entry_points=load_entry_points,
                import_project_code=import_project_code,
                locate_file=locate_file,
            )
    text, table = read_table(path)
    try:
        names = plugin_names(table)
        rule_types = load_rule_types(
            names,
            path.parent,
            load_entry_points=load_entry_points,
            root_packages=table.get("root_packages", table.get("root_package", ())),
            import_local=import_project_code,
        )
        not_loaded = () if import_project_code else tuple(validate_plugin_names(names))
        config = parse_config(table, rule_types.classes, section=SECTION, not_loaded=not_loaded)
        for key, value in (("cache_dir", table.get("cache_dir")), ("baseline", config.baseline)):
            if value is not None:
                check_file_name(path.parent / value, key, written=value, key=(key,))
        if config.baseline is not None and is_outside(path.parent, config.baseline):
            raise ConfigError(
                f"[{SECTION}]: 'baseline' leads outside the project through a symbolic link "
                f"({shown(config.baseline)!r}); name a file inside the project, or a file "
                "elsewhere on the command line (fitness check --baseline FILE)",
                key=("baseline",),
            )
        check_adr_files(config.rules, path, f"[[{SECTION}.rules]]", locate_file)
    except ConfigError as error:
        raise error.located_by(functools.partial(where_in_toml, path, text)) from None
    return LoadedConfig(path=path, config=config, text=text)


#: What a path relative to the configuration's directory is: "file", "dir" or None.
FileLocator = Callable[[str], str | None]


def check_adr_files(
    rules: Sequence[Rule], config_file: Path, label: str, locate_file: FileLocator | None = None
) -> None:
    """Every rule's ``adr`` that is not a URL names a file that exists, relative to the
    configuration file's directory ("did you mean" a file next to where it should be);
    asked of ``locate_file`` where the project is not on disk (a commit); every rule's
    mistake is reported."""
    errors = []
    for index, rule in enumerate(rules):
        if not rule.adr or is_url(rule.adr):
            continue
        try:
            if locate_file is not None:
                _check_located(locate_file(rule.adr), rule, index, config_file, label)
            else:
                _check_adr_file(index, rule, config_file, label)
        except ConfigError as error:
            errors.append(error)
    if errors:
        raise combined(errors)


def _check_adr_file(index: int, rule: Rule, config_file: Path, label: str) -> None:
    """A ConfigError if the rule's ``adr`` names no file."""
    if not rule.adr or is_url(rule.adr):
        return
    target = config_file.parent / rule.adr
    where = f"{label} #{index + 1} ('{rule.name}'): option 'adr'"
    check_file_name(target, where, written=rule.adr, key=("rules", index, "adr"))
    if target.is_file():
        return
    if target.is_dir():
        raise ConfigError(
            f"{where}: '{rule.adr}' is a directory; name the record's file",
            key=("rules", index, "adr"),
        )
    siblings = (
        [
            str(PurePosixPath(rule.adr).parent / f.name)
            for f in target.parent.iterdir()
            if f.is_file()
        ]
        if target.parent.is_dir()
        else []
    )
    raise ConfigError(
        f"{where}: no file '{rule.adr}'{did_you_mean(rule.adr, siblings)} (a path "
        f"relative to {config_file.name}, or a URL)",
        key=("rules", index, "adr"),
    )


def _check_located(kind: str | None, rule: Rule, index: int, config_file: Path, label: str) -> None:
    where = f"{label} #{index + 1} ('{rule.name}'): option 'adr'"
    if kind == "dir":
        raise ConfigError(
            f"{where}: '{rule.adr}' is a directory; name the record's file",
            key=("rules", index, "adr"),
        )
    if kind != "file":
        raise ConfigError(
            f"{where}: no file '{rule.adr}' (a path relative to {config_file.name}, or a URL)",
            key=("rules", index, "adr"),
        )


def plugin_names(table: dict[str, Any]) -> Any:
    """``plugins`` of ``[tool.fitness]``, as the plugin loader takes it; a string (a
    list was meant) is refused before anything is imported."""
    from fitness.domain.options import convert

    plugins = table.get("plugins", [])
    if isinstance(plugins, str):
        convert(plugins, tuple[str, ...], key="plugins", where=f"[{SECTION}]: ")  # raises
    return plugins


def _load_importlinter_config(
    path: Path,
    *,
    load_entry_points: bool,
    import_project_code: bool = True,
    locate_file: FileLocator | None = None,
) -> LoadedConfig:
    """An import-linter configuration (INI, or ``[tool.importlinter]``), run by fitness."""
    from fitness.adapters.config.importlinter import load_importlinter_config

    try:
        rule_types = load_rule_types([], path.parent, load_entry_points=load_entry_points)
    except ConfigError as error:
        raise error.located(str(path)) from None
    loaded = load_importlinter_config(
        path,
        rule_types.classes,
        locate_toml=locate_key,
        import_project_code=import_project_code,
    )
    try:
        check_adr_files(loaded.config.rules, path, "contract", locate_file)
    except ConfigError as error:
        index = error.key[1] if len(error.key) > 1 else None
        line = loaded.line_of_rule(index) if isinstance(index, int) else None
        raise error.located(f"{path}:{line}" if line else str(path)) from None
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
    # Written under this rule as a sub-table [section.key] (perhaps with its own keys), or
    # as [[section.key]] tables: the one the next part counts.
    sub = f"{target}.{parts[0]}"
    under = []
    for name, _, header_line in index.tables[position + 1 :]:
        if not name.startswith(f"{target}."):
            break  # the next rule, or another section
        if name == sub:
            under.append(header_line)
    if under:
        if len(parts) > 1 and isinstance(parts[1], int):
            return under[min(parts[1], len(under) - 1)]
        inner = _key_line(index, under[0], parts[1]) if len(parts) > 1 else None
        return inner if inner is not None else under[0]
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
