"""The ``[tool.fitness]`` table, validated into typed settings and rules.

Pure: it takes the already-parsed table (a mapping) and the known rule types.
Errors carry the path of the offending key so that the adapter that read the
file can point at its line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from fitness._lazy import LazyModule
from fitness.domain.errors import ConfigError, combined, did_you_mean
from fitness.domain.options import build_rule, convert, describe_value
from fitness.domain.rules.base import Rule
from fitness.domain.rules.not_checked import NotCheckedRule, not_loaded_plugins

# (only with require_coverage)
if TYPE_CHECKING:
    from fitness.domain.rules import coverage as _coverage
else:
    _coverage = LazyModule("fitness.domain.rules.coverage")


DEFAULT_CACHE_DIR = ".fitness_cache"
#: The largest source file read when ``max_file_size`` does not say (5 MiB: a module
#: larger than that is generated data, and parsing it takes a hundred times its size).
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
#: The units ``max_file_size`` may be written with, and their sizes in bytes.
SIZE_UNITS = {
    "B": 1,
    "KB": 1000,
    "MB": 1000**2,
    "GB": 1000**3,
    "KiB": 1024,
    "MiB": 1024**2,
    "GiB": 1024**3,
}


class GraphSettings(NamedTuple):
    """How to build the import graph."""

    root_packages: tuple[str, ...]
    include_external_packages: bool = False
    exclude_type_checking_imports: bool = False
    #: Leave out imports under ``if __name__ == "__main__":`` (removed after grimp's build).
    exclude_main_block_imports: bool = False
    #: The largest source file read, in bytes: a larger one is refused before anything
    #: reads it (``max_file_size``).
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: Leave out imports made inside functions and methods (removed after grimp's build).
    exclude_function_level_imports: bool = False
    #: Build the graph import-linter builds (for an import-linter configuration, so that
    #: its verdicts stay import-linter's): grimp's rules for what is a module (a directory
    #: without ``__init__.py`` inside a package is left out, a blind spot) and no dynamic
    #: imports. Otherwise the graph holds every module Python can import from the root
    #: packages (namespace packages inside packages too, PEP 420) and the dynamic imports
    #: of a literal name (``importlib.import_module("app.db")``).
    as_import_linter: bool = False


class FitnessConfig(NamedTuple):
    graph: GraphSettings
    rules: tuple[Rule, ...]
    cache_dir: str = DEFAULT_CACHE_DIR
    plugins: tuple[str, ...] = ()
    #: The baseline of known violations, relative to pyproject.toml (None: the
    #: default file, used only if it exists).
    baseline: str | None = None
    #: How reports show the blind spots (dynamic imports): "summary" (one line),
    #: "list" (each of them) or "off".
    blind_spots: str = "summary"


#: Keys of ``[tool.fitness]`` and the type each must have.
SETTINGS: dict[str, Any] = {
    "root_packages": tuple[str, ...],
    "root_package": str,
    "include_external_packages": bool,
    "exclude_type_checking_imports": bool,
    "exclude_main_block_imports": bool,
    "max_file_size": int | str,
    "exclude_function_level_imports": bool,
    "cache_dir": str,
    "plugins": tuple[str, ...],
    "baseline": str,
    "blind_spots": Literal["summary", "list", "off"],
    "require_coverage": Literal["all"] | float,
    "rules": Any,
}


def parse_config(
    table: Mapping[str, Any],
    rule_types: Mapping[str, type[Rule]],
    *,
    section: str = "tool.fitness",
    not_loaded: tuple[str, ...] = (),
) -> FitnessConfig:
    """Validate the ``[tool.fitness]`` table; every mistake in it is reported at once
    (a :class:`~fitness.domain.errors.ConfigErrors` when there are several).
    ``not_loaded``: the plugins it names that were not imported (a commit's, in
    ``fitness history``): a rule of a type none of ``rule_types`` has is then not
    checked, and says why, instead of an error."""
    errors: list[ConfigError] = []
    for key in table:
        if key not in SETTINGS:
            errors.append(
                ConfigError(
                    f"[{section}]: unknown key '{key}'{did_you_mean(key, SETTINGS)}", key=(key,)
                )
            )
    values = {}
    for key, value in table.items():
        if key in SETTINGS:
            try:
                values[key] = convert(value, SETTINGS[key], key=key, where=f"[{section}]: ")
            except ConfigError as error:
                errors.append(error)
    roots: tuple[str, ...] = values.get("root_packages", ())
    if "root_package" in values:
        if roots:
            errors.append(
                ConfigError(
                    f"[{section}]: give either 'root_package' or 'root_packages', not both",
                    key=("root_package",),
                )
            )
        roots = (values["root_package"],)
    unusable = any(e.key[:1] in (("root_packages",), ("root_package",)) for e in errors)
    if not roots and not unusable:
        errors.append(
            ConfigError(
                f"[{section}]: missing 'root_packages' (the packages to analyse, "
                'for example root_packages = ["mypackage"])',
                key=(),
            )
        )
    for root in roots:
        if not is_package_name(root):
            errors.append(
                ConfigError(
                    f"[{section}]: root package '{root}' must be a package name: a top-level "
                    "package, or a portion of a namespace package ('company.team.service'); "
                    "no paths",
                    key=("root_packages",),
                )
            )
    cache_dir = values.get("cache_dir", DEFAULT_CACHE_DIR)
    for check, key in ((check_cache_dir, "cache_dir"), (check_baseline, "baseline")):
        if key in values:
            try:
                check(values[key], section=section)
            except ConfigError as error:
                errors.append(error)
    # No rules is a valid configuration: the fitness_graph fixture (fluent rules in
    # tests), `fitness metrics`, `graph` and `report` need only the graph settings;
    # `fitness check` refuses to run with nothing to check.
    rules: tuple[Rule, ...] = ()
    try:
        rules = parse_rules(
            table.get("rules", []), rule_types, section=section, not_loaded=not_loaded
        )
    except ConfigError as error:
        errors.append(error)
    required = values.get("require_coverage")
    if required is not None:
        try:
            rules = (*rules, coverage_rule(rules, required, section=section))
        except ConfigError as error:
            errors.append(error)
    if errors:
        raise combined(errors)
    return FitnessConfig(
        graph=GraphSettings(
            root_packages=roots,
            include_external_packages=values.get("include_external_packages", False)
            or any(rule.needs_external_packages for rule in rules),
            exclude_type_checking_imports=values.get("exclude_type_checking_imports", False),
            exclude_main_block_imports=values.get("exclude_main_block_imports", False),
            max_file_size=parse_size(
                values.get("max_file_size", DEFAULT_MAX_FILE_SIZE),
                key="max_file_size",
                where=f"[{section}]: ",
            ),
            exclude_function_level_imports=values.get("exclude_function_level_imports", False),
        ),
        rules=rules,
        cache_dir=cache_dir,
        plugins=values.get("plugins", ()),
        baseline=values.get("baseline"),
        blind_spots=values.get("blind_spots", "summary"),
    )


def check_cache_dir(cache_dir: str, *, section: str = "tool.fitness") -> None:
    """A configuration names a cache directory inside the project: a relative path that
    does not climb out of it (``..``). The configuration belongs to whoever writes the
    project (a pull request); a place outside it is the runner's to choose
    (``FITNESS_CACHE_DIR``)."""
    if leads_outside(cache_dir) or "\0" in cache_dir:
        raise ConfigError(
            f"[{section}]: 'cache_dir' must be a directory inside the project (a relative "
            f"path without '..' leading out), not {_shown_path(cache_dir)!r}; to cache "
            "elsewhere, set FITNESS_CACHE_DIR in the environment",
            key=("cache_dir",),
        )


def check_baseline(baseline: str, *, section: str = "tool.fitness") -> None:
    """A configuration names a baseline file inside the project, as it names its cache
    (:func:`check_cache_dir`): fitness reads it and writes it, and the configuration is
    the pull request's; a file elsewhere is the runner's to name (``--baseline FILE``)."""
    if leads_outside(baseline):
        raise ConfigError(
            f"[{section}]: 'baseline' must be a file inside the project (a relative path "
            f"without '..' leading out), not {_shown_path(baseline)!r}; to use a file "
            "elsewhere, give it on the command line (fitness check --baseline FILE)",
            key=("baseline",),
        )


def leads_outside(path: str) -> bool:
    """Whether ``path``, relative to a directory, names a place outside it: an absolute
    path (``/``, ``~``, ``C:``), or one whose ``..`` climb out of it (read as written,
    before any link)."""
    depth = 0
    for part in path.replace("\\", "/").split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return path.startswith(("/", "\\", "~")) or (
        len(path) > 1 and path[1] == ":" and path[0].isalpha()
    )


def _shown_path(path: str) -> str:
    return path if len(path) <= 80 else path[:79] + "…"


def parse_size(value: int | str, *, key: str, where: str = "") -> int:
    """A size in bytes, written as a number of bytes (``5242880``) or with a unit of
    :data:`SIZE_UNITS` (``"5 MiB"``, ``"512KB"``; the case of the unit does not matter)."""
    number: float
    if isinstance(value, int):
        number, unit = value, "B"
    else:
        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", value)
        if found is None:
            raise ConfigError(
                f"{where}option '{key}' must be a number of bytes or a size with a unit "
                f'({", ".join(SIZE_UNITS)}: "5 MiB"), not {value!r}',
                key=(key,),
            )
        units = {name.lower(): name for name in SIZE_UNITS}
        written = found.group(2) or "B"
        if written.lower() not in units:
            raise ConfigError(
                f"{where}option '{key}': unknown unit {written!r} in {value!r} (one of "
                f"{', '.join(SIZE_UNITS)}){did_you_mean(written, SIZE_UNITS)}",
                key=(key,),
            )
        number, unit = float(found.group(1)), units[written.lower()]
    size = int(number * SIZE_UNITS[unit])
    if size < 1:
        raise ConfigError(
            f"{where}option '{key}' must be at least 1 byte, not {value!r}", key=(key,)
        )
    return size


def format_size(size: int) -> str:
    """``size`` bytes as ``max_file_size`` is written: ``"5 MiB"``, ``"1500 bytes"``."""
    for unit in ("GB", "GiB", "MB", "MiB", "KB", "KiB"):
        if size % SIZE_UNITS[unit] == 0:
            return f"{size // SIZE_UNITS[unit]} {unit}"
    return f"{size:,} bytes"


def coverage_rule(rules: tuple[Rule, ...], required: str | float, *, section: str) -> Rule:
    """The check ``require_coverage`` adds after the rules (``"all"``, or a share)."""

    share = 1.0 if required == "all" else float(required)
    if not 0 < share <= 1:
        raise ConfigError(
            f"[{section}]: 'require_coverage' must be \"all\" or a share between 0 and 1 "
            f"(0.9: nine modules in ten governed by a rule), not {required!r}",
            key=("require_coverage",),
        )
    if any(rule.name == _coverage.COVERAGE_RULE_NAME for rule in rules):
        raise ConfigError(
            f"[{section}]: a rule is named '{_coverage.COVERAGE_RULE_NAME}', the name of the check "
            "require_coverage adds; rename the rule",
            key=("require_coverage",),
        )
    return _coverage.CoverageRule(name=_coverage.COVERAGE_RULE_NAME, rules=rules, required=share)


def is_package_name(name: str) -> bool:
    """Whether ``name`` is a dotted name of identifiers (``shop``, ``company.team.service``)."""
    return all(part.isidentifier() for part in name.split("."))


def parse_rules(
    raw_rules: Any,
    rule_types: Mapping[str, type[Rule]],
    *,
    section: str = "tool.fitness",
    not_loaded: tuple[str, ...] = (),
) -> tuple[Rule, ...]:
    """The rules of the ``rules`` array; every mistake in any of them is reported."""
    if not isinstance(raw_rules, list):
        raise ConfigError(
            f"[{section}]: 'rules' must be an array of tables ([[{section}.rules]])",
            key=("rules",),
        )
    errors: list[ConfigError] = []
    rules: list[Rule] = []
    names: set[str] = set()
    for index, raw in enumerate(raw_rules):
        if not isinstance(raw, Mapping):
            errors.append(
                ConfigError(
                    f"[{section}]: rule #{index + 1} in 'rules' must be a table, "
                    f"not {describe_value(raw)}",
                    key=("rules",),
                )
            )
            continue
        name = raw.get("name")
        if isinstance(name, str):
            if name in names:
                errors.append(
                    ConfigError(
                        f"[[{section}.rules]] #{index + 1}: the name '{name}' is used by "
                        "another rule; rule names must be unique",
                        key=("rules", index, "name"),
                    )
                )
            names.add(name)
        try:
            rules.append(
                parse_rule(raw, rule_types, index=index, section=section, not_loaded=not_loaded)
            )
        except ConfigError as error:
            errors.append(error)
    if errors:
        raise combined(errors)
    return tuple(rules)


def parse_rule(
    raw: Mapping[str, Any],
    rule_types: Mapping[str, type[Rule]],
    *,
    index: int,
    section: str = "tool.fitness",
    not_loaded: tuple[str, ...] = (),
) -> Rule:
    name = raw.get("name")
    label = f"[[{section}.rules]] #{index + 1}" + (f" ('{name}')" if isinstance(name, str) else "")
    type_name = raw.get("type")
    if type_name is None:
        raise ConfigError(
            f"{label}: missing 'type' (one of {', '.join(sorted(rule_types))})",
            key=("rules", index),
        )
    if not_loaded and isinstance(type_name, str) and type_name not in rule_types:
        return not_checked(raw, type_name, not_loaded_plugins(type_name, not_loaded), label)
    if not isinstance(type_name, str) or type_name not in rule_types:
        hint = did_you_mean(str(type_name), rule_types)
        raise ConfigError(
            f"{label}: unknown rule type '{type_name}'{hint} "
            f"(available: {', '.join(sorted(rule_types))})",
            key=("rules", index, "type"),
        )
    try:
        return build_rule(rule_types[type_name], raw, where=f"{label}: ")
    except ConfigError as error:
        raise error.within(("rules", index)) from None


def not_checked(raw: Mapping[str, Any], type_name: str, reason: str, label: str) -> Rule:
    """The rule ``raw`` describes, of a type whose code was not loaded: its name and
    the options every rule has are validated, the others cannot be."""

    shared = {key: raw[key] for key in ("name", "because", "adr", "severity") if key in raw}
    return build_rule(
        NotCheckedRule, {**shared, "rule_type": type_name, "reason": reason}, where=f"{label}: "
    )
