"""import-linter configurations, read as import-linter reads them, run as fitness rules.

import-linter looks for ``[importlinter]`` in ``setup.cfg``, then in
``.importlinter`` (both INI), then for ``[tool.importlinter]`` in
``pyproject.toml``. The readers here parse these files exactly as import-linter
2.x does (configparser with its defaults; a value spanning several lines is a
list of its lines; TOML booleans become ``"True"``/``"False"``; an INI
contract's ``id`` is the last ``:``-part of its section name) and produce the
same :class:`~fitness.domain.config.FitnessConfig` as ``[tool.fitness]``.

Contract types that fitness implements natively become its own rules; the
others (a project's ``contract_types``, an import-linter built-in without a
native rule) run through import-linter's own contract class.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

from fitness.adapters.importlinter_contracts import (
    IMPORTLINTER_BUILTIN_TYPES,
    ImportLinterContractRule,
)
from fitness.domain.config import FitnessConfig, GraphSettings
from fitness.domain.errors import ConfigError, did_you_mean
from fitness.domain.options import build_rule
from fitness.domain.rules.base import Rule

INI_SECTION = "importlinter"
TOML_SECTION = "tool.importlinter"
#: The files import-linter reads, in the order it tries them.
INI_FILES = ("setup.cfg", ".importlinter")
TOML_FILE = "pyproject.toml"

#: The session options import-linter 2.x reads.
SESSION_KEYS = (
    "root_package",
    "root_packages",
    "include_external_packages",
    "exclude_type_checking_imports",
    "contract_types",
    "show_timings",
)
_BOOLEAN_STRINGS = {"True": True, "true": True, "False": False, "false": False}

#: Finds the line of a key path in a TOML text: ``(text, section, key) -> line``
#: (``fitness.adapters.pyproject.locate_key``, handed in by the caller).
TomlLocator = Callable[[str, str, Sequence[str | int]], int | None]


@dataclass(frozen=True)
class ImportLinterOptions:
    """What import-linter's readers produce (``UserOptions``), with where each part is."""

    path: Path
    session_options: dict[str, Any]
    contracts_options: list[dict[str, Any]]
    text: str
    locate_toml: TomlLocator | None = field(default=None, compare=False, repr=False)

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
    config: FitnessConfig

    def line_of_rule(self, index: int) -> int | None:
        return self.options.line_of(("contracts", index))

    def line_of_root_packages(self) -> int | None:
        return self.options.line_of(("root_packages",)) or self.options.line_of(("root_package",))


# Finding ---------------------------------------------------------------------


def has_importlinter_config(path: Path) -> bool:
    """Whether ``path`` is a file import-linter would read configuration from."""
    text = _read_quietly(path)
    if text is None:
        return False
    if path.suffix == ".toml":
        return re.search(r"^\s*\[\[?\s*tool\s*\.\s*importlinter\b", text, re.MULTILINE) is not None
    if path.name in INI_FILES:
        return re.search(rf"^\[\s*{INI_SECTION}\s*\]", text, re.MULTILINE) is not None
    return False


def find_in_directory(directory: Path) -> Path | None:
    """The file import-linter would read in ``directory``, in import-linter's order."""
    for name in (*INI_FILES, TOML_FILE):
        candidate = directory / name
        if candidate.is_file() and has_importlinter_config(candidate):
            return candidate
    return None


# Reading ---------------------------------------------------------------------


def read_options(path: Path, *, locate_toml: TomlLocator | None = None) -> ImportLinterOptions:
    """The session and contract options of an import-linter configuration file.

    A ``.toml`` file is read as ``[tool.importlinter]``; any other file as INI
    (as import-linter's ``--config`` does). Errors name the file and line.
    """
    text = _read_text(path)
    if path.suffix == ".toml":
        session, contracts = _read_toml(path, text)
    else:
        session, contracts = _read_ini(path, text)
    return ImportLinterOptions(path, session, contracts, text, locate_toml)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("no such file", str(path)) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a file", str(path)) from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"not valid UTF-8 (byte {error.start})", str(path)) from None
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", str(path)) from None


def _read_toml(path: Path, text: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ConfigError(
            f"invalid TOML: {reason}", f"{path}:{match.group(1)}" if match else str(path)
        ) from None
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


def load_importlinter_config(
    path: Path, rule_types: Mapping[str, type[Rule]], *, locate_toml: TomlLocator | None = None
) -> ImportLinterConfig:
    """Read an import-linter configuration and turn it into fitness's configuration.

    ``rule_types`` are the rule types fitness implements (the plugin registry);
    a contract of one of these types becomes that rule, unless the project
    registers its own class for the type in ``contract_types``.
    """
    options = read_options(path, locate_toml=locate_toml)
    try:
        config = build_config(options, rule_types)
    except ConfigError as error:
        line = options.line_of(error.key) if error.key else None
        raise error.located(f"{path}:{line}" if line else str(path)) from None
    return ImportLinterConfig(options, config)


def build_config(
    options: ImportLinterOptions, rule_types: Mapping[str, type[Rule]]
) -> FitnessConfig:
    session = options.session_options
    where = f"[{TOML_SECTION if options.is_toml else INI_SECTION}]"
    for key in session:
        if key not in SESSION_KEYS:
            raise ConfigError(
                f"{where}: unknown option '{key}'{did_you_mean(key, SESSION_KEYS)}", key=(key,)
            )
    roots = _root_packages(session, where)
    custom_types = _contract_types(session, where)
    include_external = _boolean(session, "include_external_packages", where)
    exclude_type_checking = _boolean(session, "exclude_type_checking_imports", where)
    normalized_session = {k: v for k, v in session.items() if k != "root_package"}
    normalized_session["root_packages"] = list(roots)
    contracts = options.contracts_options
    if not contracts:
        raise ConfigError(f"{where}: no contracts declared", key=())
    rules = _rules(
        contracts,
        rule_types,
        custom_types,
        normalized_session,
        import_paths=(str(options.path.parent.resolve()),),
    )
    graph = GraphSettings(
        root_packages=roots,
        include_external_packages=include_external
        or any(getattr(rule, "needs_external_packages", False) for rule in rules),
        exclude_type_checking_imports=exclude_type_checking,
    )
    return FitnessConfig(graph=graph, rules=rules)


def _root_packages(session: Mapping[str, Any], where: str) -> tuple[str, ...]:
    if "root_packages" in session:
        raw = session["root_packages"]
        roots = (raw,) if isinstance(raw, str) else tuple(raw)
        key = "root_packages"
    elif "root_package" in session:
        roots, key = (session["root_package"],), "root_package"
    else:
        raise ConfigError(f"{where}: missing 'root_packages' (or 'root_package')", key=())
    roots = tuple(str(r).strip() for r in roots if str(r).strip())
    if not roots:
        raise ConfigError(f"{where}: '{key}' names no package", key=(key,))
    for root in roots:
        if not root.isidentifier():
            raise ConfigError(
                f"{where}: root package '{root}' must be a top-level package name "
                "(pytest-fitness analyses whole top-level packages)",
                key=(key,),
            )
    return roots


def _boolean(session: Mapping[str, Any], key: str, where: str) -> bool:
    if key not in session:
        return False
    value = session[key]
    if isinstance(value, str) and value.strip() in _BOOLEAN_STRINGS:
        return _BOOLEAN_STRINGS[value.strip()]
    raise ConfigError(f"{where}: option '{key}' must be true or false, not {value!r}", key=(key,))


def _contract_types(session: Mapping[str, Any], where: str) -> dict[str, str]:
    raw = session.get("contract_types", [])
    entries = [raw] if isinstance(raw, str) else list(raw)
    types: dict[str, str] = {}
    for entry in entries:
        name, separator, class_path = str(entry).partition(": ")
        if not separator or not name.strip() or not class_path.strip():
            raise ConfigError(
                f"{where}: contract_types entry {entry!r} must be 'name: package.module.Class'",
                key=("contract_types",),
            )
        types[name.strip()] = class_path.strip()
    return types


def _rules(
    contracts: Sequence[Mapping[str, Any]],
    rule_types: Mapping[str, type[Rule]],
    custom_types: Mapping[str, str],
    session: Mapping[str, Any],
    *,
    import_paths: tuple[str, ...],
) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    ids: set[str] = set()
    names = [c.get("name") for c in contracts]
    for index, contract in enumerate(contracts):
        key = ("contracts", index)
        contract_id = contract.get("id")
        label = f"contract '{contract_id}'" if contract_id else f"contract #{index + 1}"
        if contract_id is not None:
            if ":" in str(contract_id) or str(contract_id) in ids:
                problem = "contains ':'" if ":" in str(contract_id) else "is used twice"
                raise ConfigError(f"{label}: the id {problem}", key=(*key, "id"))
            ids.add(str(contract_id))
        name = contract.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{label}: missing 'name'", key=key)
        if names.count(name) > 1:  # import-linter allows it; pytest items need distinct names
            name = f"{name} [{contract_id or index + 1}]"
        type_name = contract.get("type")
        if not isinstance(type_name, str) or not type_name:
            known = sorted({*rule_types, *IMPORTLINTER_BUILTIN_TYPES, *custom_types})
            raise ConfigError(
                f"{label} ('{name}'): missing 'type' (one of {', '.join(known)})", key=key
            )
        try:
            if type_name in custom_types:
                class_path = custom_types[type_name]
                rule = _wrapped(name, type_name, class_path, contract, session, import_paths)
            elif type_name in rule_types:
                rule = _native(rule_types[type_name], name, contract, label)
            elif type_name in IMPORTLINTER_BUILTIN_TYPES:
                class_path = IMPORTLINTER_BUILTIN_TYPES[type_name]
                rule = _wrapped(name, type_name, class_path, contract, session, ())
            else:
                rule = None
        except ConfigError as error:
            raise ConfigError(error.message, key=(*key, *error.key)) from None
        if rule is None:
            known = sorted({*rule_types, *IMPORTLINTER_BUILTIN_TYPES, *custom_types})
            raise ConfigError(
                f"{label} ('{name}'): unknown contract type '{type_name}'"
                f"{did_you_mean(type_name, known)} (available: {', '.join(known)}; register "
                "your own in contract_types)",
                key=(*key, "type"),
            )
        rules.append(rule)
    return tuple(rules)


def _native(rule_class: type[Rule], name: str, contract: Mapping[str, Any], label: str) -> Rule:
    """A contract of a type fitness implements, as that rule (INI lists made tuples)."""
    hints = get_type_hints(rule_class)
    raw: dict[str, Any] = {}
    for key, value in contract.items():
        if key in ("id", "type"):
            continue
        hint = hints.get(key)
        if isinstance(value, list):
            lines = [str(v) for v in value]
            # As import-linter's fields do: blank lines are ignored; text joins its lines.
            value = "\n".join(lines) if hint is str else [v for v in lines if v.strip()]
        if (
            key == "unmatched_ignore_imports_alerting"
            and isinstance(value, str)
            and not value.strip()
        ):
            continue  # import-linter's EnumField: blank means the default
        raw[key] = value
    raw["name"] = name
    return build_rule(rule_class, raw, where=f"{label} ('{name}'): ")


def _wrapped(
    name: str,
    type_name: str,
    class_path: str,
    contract: Mapping[str, Any],
    session: Mapping[str, Any],
    import_paths: tuple[str, ...],
) -> Rule:
    guidance = contract.get("broken_contract_guidance", "")
    if isinstance(guidance, list):
        guidance = "\n".join(str(line) for line in guidance)
    rule = ImportLinterContractRule(
        name=name,
        broken_contract_guidance=str(guidance),
        contract_type=type_name,
        class_path=class_path,
        contract_options=dict(contract),
        session_options=dict(session),
        import_paths=import_paths,
    )
    try:
        rule.contract()  # Validate the options now, so errors point at the file.
    except ConfigError as error:
        if type(error) is ConfigError:
            raise
        # import-linter is missing: the rule reports it, naming the contract, when run.
    return rule


def _read_quietly(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
