"""The ``[tool.fitness]`` table, validated into typed settings and rules.

Pure: it takes the already-parsed table (a mapping) and the known rule types.
Errors carry the path of the offending key so that the adapter that read the
file can point at its line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from fitness.domain.errors import ConfigError, combined, did_you_mean
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
) -> FitnessConfig:
    """Validate the ``[tool.fitness]`` table; every mistake in it is reported at once
    (a :class:`~fitness.domain.errors.ConfigErrors` when there are several)."""
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
    # No rules is a valid configuration: the fitness_graph fixture (fluent rules in
    # tests), `fitness metrics`, `graph` and `report` need only the graph settings;
    # `fitness check` refuses to run with nothing to check.
    rules: tuple[Rule, ...] = ()
    try:
        rules = parse_rules(table.get("rules", []), rule_types, section=section)
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
        ),
        rules=rules,
        cache_dir=values.get("cache_dir", DEFAULT_CACHE_DIR),
        plugins=values.get("plugins", ()),
        baseline=values.get("baseline"),
        blind_spots=values.get("blind_spots", "summary"),
    )


def coverage_rule(rules: tuple[Rule, ...], required: str | float, *, section: str) -> Rule:
    """The check ``require_coverage`` adds after the rules (``"all"``, or a share)."""
    from fitness.domain.rules.coverage import COVERAGE_RULE_NAME, CoverageRule

    share = 1.0 if required == "all" else float(required)
    if not 0 < share <= 1:
        raise ConfigError(
            f"[{section}]: 'require_coverage' must be \"all\" or a share between 0 and 1 "
            f"(0.9: nine modules in ten governed by a rule), not {required!r}",
            key=("require_coverage",),
        )
    if any(rule.name == COVERAGE_RULE_NAME for rule in rules):
        raise ConfigError(
            f"[{section}]: a rule is named '{COVERAGE_RULE_NAME}', the name of the check "
            "require_coverage adds; rename the rule",
            key=("require_coverage",),
        )
    return CoverageRule(name=COVERAGE_RULE_NAME, rules=rules, required=share)


def is_package_name(name: str) -> bool:
    """Whether ``name`` is a dotted name of identifiers (``shop``, ``company.team.service``)."""
    return all(part.isidentifier() for part in name.split("."))


def parse_rules(
    raw_rules: Any, rule_types: Mapping[str, type[Rule]], *, section: str = "tool.fitness"
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
            rules.append(parse_rule(raw, rule_types, index=index, section=section))
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
) -> Rule:
    name = raw.get("name")
    label = f"[[{section}.rules]] #{index + 1}" + (f" ('{name}')" if isinstance(name, str) else "")
    type_name = raw.get("type")
    if type_name is None:
        raise ConfigError(
            f"{label}: missing 'type' (one of {', '.join(sorted(rule_types))})",
            key=("rules", index),
        )
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
