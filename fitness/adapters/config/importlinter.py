"""import-linter configurations, read as import-linter reads them, run as fitness rules.

import-linter looks for ``[importlinter]`` in ``setup.cfg``, then in
``.importlinter`` (both INI), then for ``[tool.importlinter]`` in
``pyproject.toml``. The readers here parse these files exactly as import-linter
2.x does (configparser with its defaults; a value spanning several lines is a
list of its lines; TOML booleans become ``"True"``/``"False"``; an INI
contract's ``id`` is the last ``:``-part of its section name) and produce the
same :class:`~fitness.domain.config.FitnessConfig` as ``[tool.fitness]``.

What the options mean, and which rule each contract becomes, is
:mod:`fitness.adapters.config.importlinter_rules`'s business.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fitness.adapters.config.discovery import INI_SECTION
from fitness.adapters.config.importlinter_rules import build_config
from fitness.adapters.config.text import read_config_text
from fitness.adapters.config.toml_keys import locate_key
from fitness.domain.config import FitnessConfig
from fitness.domain.errors import ConfigError, Key
from fitness.domain.rules.base import Rule

if TYPE_CHECKING:
    from fitness.application.plugins import RuleTypeRegistry

TOML_SECTION = "tool.importlinter"

#: Finds the line of a key path in a TOML text: ``(text, section, key) -> line``.
TomlLocator = Callable[[str, str, Sequence[str | int]], int | None]


@dataclass(frozen=True)
class ImportLinterOptions:
    """What import-linter's readers produce (``UserOptions``), with where each part is."""

    path: Path
    session_options: dict[str, Any]
    contracts_options: list[dict[str, Any]]
    text: str
    locate_toml: TomlLocator | None = field(default=locate_key, compare=False, repr=False)

    @property
    def is_toml(self) -> bool:
        return self.path.suffix == ".toml"

    def line_of(self, key: Sequence[str | int]) -> int | None:
        """The line of a key: ``("contracts", 2, "layers")`` or ``("root_packages",)``."""
        if self.is_toml:
            return self.locate_toml(self.text, TOML_SECTION, key) if self.locate_toml else None
        sections = _ini_sections(self.text)
        if len(key) >= 2 and key[0] == "contracts" and isinstance(key[1], int):
            contract_sections = [s for s in sections if s[0].startswith(f"{INI_SECTION}:")]
            if key[1] >= len(contract_sections):
                return None
            _, start, end = contract_sections[key[1]]
            option_key = key[2] if len(key) > 2 else None
        else:
            found = [s for s in sections if s[0] == INI_SECTION]
            if not found:
                return None
            _, start, end = found[0]
            option_key = key[0] if key else None
        if isinstance(option_key, str):
            pattern = re.compile(rf"^{re.escape(option_key)}\s*[=:]", re.IGNORECASE)
            lines = self.text.splitlines()
            for number in range(start + 1, end):
                if pattern.match(lines[number - 1]):
                    return number
        return start


@dataclass(frozen=True)
class ImportLinterConfig:
    """An import-linter configuration, as fitness runs it."""

    options: ImportLinterOptions
    config: FitnessConfig | None = None

    def line_of(self, key: Key) -> int | None:
        """The line of a key in fitness's terms (a rule is a contract), a
        :class:`~fitness.application.config.KeyLocator`."""
        if key[:1] == ("rules",):
            key = ("contracts", *key[1:])
        return self.options.line_of(key) if key else None

    def line_of_rule(self, index: int) -> int | None:
        return self.options.line_of(("contracts", index))

    def line_of_root_packages(self) -> int | None:
        return self.options.line_of(("root_packages",)) or self.options.line_of(("root_package",))


class ParsedImportLinter:
    """An import-linter configuration, parsed (a
    :class:`~fitness.application.config.ParsedConfig`): no plugins of its own (its
    ``contract_types`` are imported as its rules are built)."""

    rule_label = "contract"
    root_packages: object = ()

    def __init__(self, path: Path, text: str) -> None:
        self.options = parse_options(path, text)

    @property
    def plugins(self) -> object:
        return []

    def locator(self, config: FitnessConfig | None = None) -> ImportLinterConfig:
        return ImportLinterConfig(self.options, config)

    def build(self, rule_types: RuleTypeRegistry, *, import_project_code: bool) -> FitnessConfig:
        return build_importlinter_config(
            self.options, rule_types.classes, import_project_code=import_project_code
        )

    def adr_key(self, index: int) -> Key:
        return ("rules", index)  # (at the contract's header)


# Finding ---------------------------------------------------------------------


# Reading ---------------------------------------------------------------------


def read_options(
    path: Path, *, locate_toml: TomlLocator | None = locate_key
) -> ImportLinterOptions:
    """The session and contract options of an import-linter configuration file.

    A ``.toml`` file is read as ``[tool.importlinter]``; any other file as INI
    (as import-linter's ``--config`` does). Errors name the file and line.
    """
    return parse_options(path, read_config_text(path), locate_toml=locate_toml)


def parse_options(
    path: Path, text: str, *, locate_toml: TomlLocator | None = locate_key
) -> ImportLinterOptions:
    """The options of ``text``, an import-linter configuration read from ``path``."""
    if path.suffix == ".toml":
        session, contracts = _read_toml(path, text)
    else:
        session, contracts = _read_ini(path, text)
    return ImportLinterOptions(path, session, contracts, text, locate_toml)


def _read_toml(path: Path, text: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ConfigError(
            f"invalid TOML: {reason}", f"{path}:{match.group(1)}" if match else str(path)
        ) from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError("invalid TOML: nested too deeply", str(path)) from None
    session = data.get("tool", {}).get("importlinter")
    if not session:
        raise ConfigError(f"no [{TOML_SECTION}] table", str(path))
    if not isinstance(session, dict):
        raise ConfigError(f"'{TOML_SECTION}' must be a table", str(path))
    session = dict(session)
    contracts = session.pop("contracts", [])
    if not isinstance(contracts, list) or not all(isinstance(c, dict) for c in contracts):
        raise ConfigError(
            f"[{TOML_SECTION}]: 'contracts' must be an array of tables "
            f"([[{TOML_SECTION}.contracts]])",
            str(path),
        )
    # As import-linter does: booleans become the strings "True" and "False".
    return _stringify_booleans(session), [_stringify_booleans(dict(c)) for c in contracts]


def _stringify_booleans(data: dict[str, Any]) -> dict[str, Any]:
    return {key: str(value) if isinstance(value, bool) else value for key, value in data.items()}


def _read_ini(path: Path, text: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text, source=str(path))
    except configparser.MissingSectionHeaderError as error:  # no `.errors` before 3.12
        where = f"{path}:{error.lineno}"
        raise ConfigError(
            f"invalid INI: a line before the first [section] ({error.line.strip()!r})", where
        ) from None
    except configparser.ParsingError as error:
        line, content = error.errors[0] if error.errors else (None, "")
        where = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"invalid INI: cannot parse line {content!r}", where) from None
    except configparser.Error as error:
        line = getattr(error, "lineno", None)
        message = str(error).split(": ", 1)[-1] if line else str(error)
        where = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"invalid INI: {_first_line(message)}", where) from None
    if INI_SECTION not in parser.sections():
        raise ConfigError(f"no [{INI_SECTION}] section", str(path))
    options = ImportLinterOptions(path, {}, [], text)
    session = _ini_section(parser, INI_SECTION, options, ())
    contracts = []
    for index, section in enumerate(
        s for s in parser.sections() if s.startswith(f"{INI_SECTION}:")
    ):
        contract: dict[str, Any] = {"id": section.split(":")[-1]}
        contract.update(_ini_section(parser, section, options, ("contracts", index)))
        contracts.append(contract)
    return session, contracts


def _ini_section(
    parser: configparser.ConfigParser,
    section: str,
    options: ImportLinterOptions,
    key: tuple[str | int, ...],
) -> dict[str, Any]:
    """A section's values as import-linter cleans them: a multi-line value is a list of lines."""
    try:
        raw = dict(parser[section])
    except configparser.InterpolationError as error:
        line = options.line_of((*key, error.option) if key else (error.option,))
        where = f"{options.path}:{line}" if line else str(options.path)
        raise ConfigError(
            f"[{section}]: option '{error.option}': {_first_line(str(error))} "
            "(write %% for a literal %)",
            where,
        ) from None
    return {
        name: value.strip().split("\n") if "\n" in value else value for name, value in raw.items()
    }


def _ini_sections(text: str) -> list[tuple[str, int, int]]:
    """``(name, header line, line after the section)`` of each section of an INI text."""
    headers = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        match = configparser.ConfigParser.SECTCRE.match(line.strip())
        if match and not line[:1].isspace():
            headers.append((match.group("header"), number))
    return [
        (name, line, headers[i + 1][1] if i + 1 < len(headers) else len(lines) + 1)
        for i, (name, line) in enumerate(headers)
    ]


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


# Building the configuration -----------------------------------------------------


def build_importlinter_config(
    options: ImportLinterOptions,
    rule_types: Mapping[str, type[Rule]],
    *,
    import_project_code: bool = True,
) -> FitnessConfig:
    """fitness's configuration from an import-linter configuration's options.

    ``rule_types`` are the rule types fitness implements (the plugin registry);
    a contract of one of these types becomes that rule, unless the project
    registers its own class for the type in ``contract_types`` (not imported without
    ``import_project_code``: such contracts are then not checked, saying why).
    """
    path = options.path
    section = TOML_SECTION if options.is_toml else INI_SECTION
    try:
        return build_config(
            options.session_options,
            options.contracts_options,
            rule_types,
            section=section,
            project_dir=path.parent.resolve(),
            import_project_code=import_project_code,
        )
    except ConfigError as error:

        def locate(key: tuple[str | int, ...]) -> str:
            line = options.line_of(key) if key else None
            return f"{path}:{line}" if line else str(path)

        raise error.located_by(locate) from None
