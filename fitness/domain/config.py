"""The ``[tool.fitness]`` table, validated into typed settings and rules.

Pure: it takes the already-parsed table (a mapping) and the known rule types.
Errors carry the path of the offending key so that the adapter that read the
file can point at its line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from fitness.domain.errors import ConfigError, did_you_mean
from fitness.domain.options import build_rule, convert, describe_value
from fitness.domain.rules.base import Rule

DEFAULT_CACHE_DIR = ".fitness_cache"


class GraphSettings(NamedTuple):
    """How to build the import graph."""

    root_packages: tuple[str, ...]
    include_external_packages: bool = False
    exclude_type_checking_imports: bool = False
    #: Leave out imports under ``if __name__ == "__main__":`` (removed after grimp's build).
    exclude_main_block_imports: bool = False
    #: Leave out imports made inside functions and methods (removed after grimp's build).
    exclude_function_level_imports: bool = False


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
    "exclude_function_level_imports": bool,
    "cache_dir": str,
    "plugins": tuple[str, ...],
    "baseline": str,
    "blind_spots": Literal["summary", "list", "off"],
    "rules": Any,
}


def parse_config(
    table: Mapping[str, Any],
    rule_types: Mapping[str, type[Rule]],
    *,
    section: str = "tool.fitness",
    not_loaded: tuple[str, ...] = (),
) -> FitnessConfig:
    """Validate the ``[tool.fitness]`` table. ``not_loaded``: the plugins it names that
    were not imported (a commit's, in ``fitness history``): a rule of a type none of
    ``rule_types`` has is then not checked, and says why, instead of an error."""
    for key in table:
        if key not in SETTINGS:
            raise ConfigError(
                f"[{section}]: unknown key '{key}'{did_you_mean(key, SETTINGS)}", key=(key,)
            )
    values = {
        key: convert(value, SETTINGS[key], key=key, where=f"[{section}]: ")
        for key, value in table.items()
    }
    roots: tuple[str, ...] = values.get("root_packages", ())
    if "root_package" in values:
        if roots:
            raise ConfigError(
                f"[{section}]: give either 'root_package' or 'root_packages', not both",
                key=("root_package",),
            )
        roots = (values["root_package"],)
    if not roots:
        raise ConfigError(
            f"[{section}]: missing 'root_packages' (the packages to analyse, "
            'for example root_packages = ["mypackage"])',
            key=(),
        )
    for root in roots:
        if not is_package_name(root):
            raise ConfigError(
                f"[{section}]: root package '{root}' must be a package name: a top-level "
                "package, or a portion of a namespace package ('company.team.service'); "
                "no paths",
                key=("root_packages",),
            )
    cache_dir = values.get("cache_dir", DEFAULT_CACHE_DIR)
    check_cache_dir(cache_dir, section=section)
    # No rules is a valid configuration: the fitness_graph fixture (fluent rules in
    # tests), `fitness metrics`, `graph` and `report` need only the graph settings;
    # `fitness check` refuses to run with nothing to check.
    raw_rules = table.get("rules", [])
    rules = parse_rules(raw_rules, rule_types, section=section, not_loaded=not_loaded)
    return FitnessConfig(
        graph=GraphSettings(
            root_packages=roots,
            include_external_packages=values.get("include_external_packages", False)
            or any(rule.needs_external_packages for rule in rules),
            exclude_type_checking_imports=values.get("exclude_type_checking_imports", False),
            exclude_main_block_imports=values.get("exclude_main_block_imports", False),
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
    parts = cache_dir.replace("\\", "/").split("/")
    depth = 0
    for part in parts:
        if part == "..":
            depth -= 1
            if depth < 0:
                break
        elif part not in ("", "."):
            depth += 1
    absolute = cache_dir.startswith(("/", "\\", "~")) or (
        len(cache_dir) > 1 and cache_dir[1] == ":" and cache_dir[0].isalpha()
    )
    if absolute or depth < 0 or "\0" in cache_dir:
        shown = cache_dir if len(cache_dir) <= 80 else cache_dir[:79] + "…"
        raise ConfigError(
            f"[{section}]: 'cache_dir' must be a directory inside the project (a relative "
            f"path without '..' leading out), not {shown!r}; to cache elsewhere, set "
            "FITNESS_CACHE_DIR in the environment",
            key=("cache_dir",),
        )


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
    if not isinstance(raw_rules, list):
        raise ConfigError(
            f"[{section}]: 'rules' must be an array of tables ([[{section}.rules]])",
            key=("rules",),
        )
    for index, raw in enumerate(raw_rules):
        if not isinstance(raw, Mapping):
            raise ConfigError(
                f"[{section}]: rule #{index + 1} in 'rules' must be a table, "
                f"not {describe_value(raw)}",
                key=("rules",),
            )
    rules: list[Rule] = []
    names: set[str] = set()
    for index, raw in enumerate(raw_rules):
        rule = parse_rule(raw, rule_types, index=index, section=section, not_loaded=not_loaded)
        if rule.name in names:
            raise ConfigError(
                f"[[{section}.rules]] #{index + 1}: the name '{rule.name}' is used by another "
                "rule; rule names must be unique",
                key=("rules", index, "name"),
            )
        names.add(rule.name)
        rules.append(rule)
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
        from fitness.domain.rules.not_checked import not_loaded_plugins

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
        raise ConfigError(error.message, key=("rules", index, *error.key)) from None


def not_checked(raw: Mapping[str, Any], type_name: str, reason: str, label: str) -> Rule:
    """The rule ``raw`` describes, of a type whose code was not loaded: its name and
    the options every rule has are validated, the others cannot be."""
    from fitness.domain.rules.not_checked import NotCheckedRule

    shared = {key: raw[key] for key in ("name", "because", "adr", "severity") if key in raw}
    return build_rule(
        NotCheckedRule, {**shared, "rule_type": type_name, "reason": reason}, where=f"{label}: "
    )
