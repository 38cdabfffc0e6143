"""``[tool.fitness]`` in ``pyproject.toml``: its text parsed, its rules built (for the
use case, :func:`fitness.application.config.load_configuration`)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fitness.adapters.config.plugins import validate_plugin_names
from fitness.adapters.config.text import read_config_text
from fitness.adapters.config.toml_keys import SECTION, TomlKeys, locate_key
from fitness.adapters.paths import check_file_name, is_outside, shown
from fitness.domain.config import parse_config
from fitness.domain.coverage import COVERAGE_TYPE
from fitness.domain.errors import ConfigError, Key
from fitness.domain.options import convert

if TYPE_CHECKING:
    from fitness.application.plugins import RuleTypeRegistry
    from fitness.domain.config import FitnessConfig

__all__ = ["SECTION", "NativeConfig", "locate_key", "plugin_names", "read_table"]


def where_in_toml(path: Path, text: str, key: Sequence[str | int]) -> str:
    """``path:line`` of a key of the ``[tool.fitness]`` table in ``text``, or ``path``."""
    line = locate_key(text, SECTION, key)
    return f"{path}:{line}" if line else str(path)


def read_table(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and its ``[tool.fitness]`` table; errors name the file and line."""
    text = read_config_text(path)
    return text, parse_table(path, text)


def parse_table(path: Path, text: str) -> dict[str, Any]:
    """The ``[tool.fitness]`` table of ``text`` (``path``'s); errors name the file and line."""
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
    return table


class NativeConfig:
    """``[tool.fitness]``, parsed (a :class:`~fitness.application.config.ParsedConfig`)."""

    rule_label = f"[[{SECTION}.rules]]"

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.table = parse_table(path, text)
        self.root_packages: object = self.table.get(
            "root_packages", self.table.get("root_package", ())
        )

    @property
    def plugins(self) -> object:
        return plugin_names(self.table)

    def locator(self, config: FitnessConfig | None = None) -> TomlKeys:
        if config is None:
            return TomlKeys(self.text)

        coverage = (i for i, rule in enumerate(config.rules) if rule.type_name == COVERAGE_TYPE)
        return TomlKeys(self.text, frozenset(coverage))

    def build(self, rule_types: RuleTypeRegistry, *, import_project_code: bool) -> FitnessConfig:

        table, project_dir = self.table, self.path.parent
        not_loaded = () if import_project_code else tuple(validate_plugin_names(self.plugins))
        config = parse_config(table, rule_types.classes, section=SECTION, not_loaded=not_loaded)
        for key, value in (("cache_dir", table.get("cache_dir")), ("baseline", config.baseline)):
            if value is not None:
                check_file_name(project_dir / value, key, written=value, key=(key,))
        if config.baseline is not None and is_outside(project_dir, config.baseline):
            raise ConfigError(
                f"[{SECTION}]: 'baseline' leads outside the project through a symbolic link "
                f"({shown(config.baseline)!r}); name a file inside the project, or a file "
                "elsewhere on the command line (fitness check --baseline FILE)",
                key=("baseline",),
            )
        return config

    def adr_key(self, index: int) -> Key:
        return ("rules", index, "adr")


def plugin_names(table: dict[str, Any]) -> Any:
    """``plugins`` of ``[tool.fitness]``, as the plugin loader takes it; a string (a
    list was meant) is refused before anything is imported."""

    plugins = table.get("plugins", [])
    if isinstance(plugins, str):
        convert(plugins, tuple[str, ...], key="plugins", where=f"[{SECTION}]: ")  # raises
    return plugins
