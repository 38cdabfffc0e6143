"""import-linter's options, turned into fitness's configuration and rules.

Contract types that fitness implements natively become its own rules, built
through :func:`fitness.domain.options.build_rule` like those of
``[tool.fitness]``; the others (a project's ``contract_types``, an
import-linter built-in without a native rule) run through import-linter's own
contract class, wrapped in :class:`ImportLinterContractRule`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast, get_type_hints

from fitness.adapters.config.importlinter_contracts import (
    IMPORTLINTER_BUILTIN_TYPES,
    ImportLinterContractRule,
)
from fitness.domain.config import FitnessConfig, GraphSettings, is_package_name, not_checked
from fitness.domain.errors import ConfigError, ConfigErrors, combined, did_you_mean
from fitness.domain.options import build_rule, convert, describe_value
from fitness.domain.rules.base import Rule
from fitness.domain.violations import Severity

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


def build_config(
    session: Mapping[str, Any],
    contracts: Sequence[Mapping[str, Any]],
    rule_types: Mapping[str, type[Rule]],
    *,
    section: str,
    project_dir: Path,
    import_project_code: bool = True,
) -> FitnessConfig:
    """fitness's configuration from import-linter's session and contract options.

    ``rule_types`` are the rule types fitness implements (the plugin registry);
    a contract of one of these types becomes that rule, unless the project
    registers its own class for the type in ``contract_types``. Errors carry the
    key path (``("contracts", 2, "layers")``) for the reader to locate.
    """
    where = f"[{section}]"
    # Every mistake of the session options and of the contracts is reported at once.
    errors = [
        ConfigError(f"{where}: unknown option '{key}'{did_you_mean(key, SESSION_KEYS)}", key=(key,))
        for key in session
        if key not in SESSION_KEYS
    ]
    roots = _root_packages(session, where, errors)
    custom_types = _contract_types(session, where, errors)
    include_external = _boolean(session, "include_external_packages", where, errors)
    exclude_type_checking = _boolean(session, "exclude_type_checking_imports", where, errors)
    types_known = not any(error.key == ("contract_types",) for error in errors)
    normalized_session = {k: v for k, v in session.items() if k != "root_package"}
    normalized_session["root_packages"] = list(roots)
    rules: tuple[Rule, ...] = ()
    if not contracts:
        errors.append(ConfigError(f"{where}: no contracts declared", key=()))
    else:
        try:
            rules = _rules(
                contracts,
                rule_types,
                custom_types,
                normalized_session,
                import_paths=(str(project_dir),),
                import_project_code=import_project_code,
                types_known=types_known,
            )
        except ConfigError as error:
            errors.append(error)
    if errors:
        raise combined(errors)
    graph = GraphSettings(
        root_packages=roots,
        include_external_packages=include_external
        or any(getattr(rule, "needs_external_packages", False) for rule in rules),
        exclude_type_checking_imports=exclude_type_checking,
        as_import_linter=True,
    )
    return FitnessConfig(graph=graph, rules=rules)


def _root_packages(
    session: Mapping[str, Any], where: str, errors: list[ConfigError]
) -> tuple[str, ...]:
    """The root packages; each mistake is added to ``errors`` (the good names are kept)."""
    if "root_packages" in session:
        raw = session["root_packages"]
        key = "root_packages"
        if not isinstance(raw, str | list):
            errors.append(
                ConfigError(
                    f"{where}: '{key}' must be a list of package names, not {describe_value(raw)}",
                    key=(key,),
                )
            )
            return ()
        roots = (raw,) if isinstance(raw, str) else tuple(raw)
    elif "root_package" in session:
        roots, key = (session["root_package"],), "root_package"
    else:
        errors.append(ConfigError(f"{where}: missing 'root_packages' (or 'root_package')", key=()))
        return ()
    roots = tuple(str(r).strip() for r in roots if str(r).strip())
    if not roots:
        errors.append(ConfigError(f"{where}: '{key}' names no package", key=(key,)))
    good = []
    for root in roots:
        if is_package_name(root):
            good.append(root)
        else:
            errors.append(
                ConfigError(
                    f"{where}: root package '{root}' must be a package name: a top-level "
                    "package, or a portion of a namespace package ('company.team.service')",
                    key=(key,),
                )
            )
    return tuple(good)


def _boolean(session: Mapping[str, Any], key: str, where: str, errors: list[ConfigError]) -> bool:
    if key not in session:
        return False
    value = session[key]
    if isinstance(value, str) and value.strip() in _BOOLEAN_STRINGS:
        return _BOOLEAN_STRINGS[value.strip()]
    errors.append(
        ConfigError(f"{where}: option '{key}' must be true or false, not {value!r}", key=(key,))
    )
    return False


def _contract_types(
    session: Mapping[str, Any], where: str, errors: list[ConfigError]
) -> dict[str, str]:
    raw = session.get("contract_types", [])
    if not isinstance(raw, str | list):
        errors.append(
            ConfigError(
                f"{where}: 'contract_types' must be a list of 'name: package.module.Class' "
                f"entries, not {describe_value(raw)}",
                key=("contract_types",),
            )
        )
        return {}
    entries = [raw] if isinstance(raw, str) else list(raw)
    types: dict[str, str] = {}
    for entry in entries:
        name, separator, class_path = str(entry).partition(": ")
        if not separator or not name.strip() or not class_path.strip():
            errors.append(
                ConfigError(
                    f"{where}: contract_types entry {entry!r} must be 'name: package.module.Class'",
                    key=("contract_types",),
                )
            )
            continue
        types[name.strip()] = class_path.strip()
    return types


def _rules(
    contracts: Sequence[Mapping[str, Any]],
    rule_types: Mapping[str, type[Rule]],
    custom_types: Mapping[str, str],
    session: Mapping[str, Any],
    *,
    import_paths: tuple[str, ...],
    import_project_code: bool = True,
    types_known: bool = True,
) -> tuple[Rule, ...]:
    """The contracts as rules; every mistake of every contract is reported at once.
    Without ``types_known`` (``contract_types`` is wrong), a contract of a type nobody
    declares is left out: the mistake is in ``contract_types``, said there."""
    rules: list[Rule] = []
    errors: list[ConfigError] = []
    ids: set[str] = set()
    names = [c.get("name") for c in contracts]
    for index, contract in enumerate(contracts):
        try:
            rule = _contract_rule(
                index,
                contract,
                names,
                ids,
                rule_types,
                custom_types,
                session,
                import_paths,
                import_project_code=import_project_code,
                types_known=types_known,
            )
        except ConfigError as error:
            errors.append(error)
        else:
            if rule is not None:
                rules.append(rule)
    if errors:
        raise combined(errors)
    return tuple(rules)


def _contract_rule(
    index: int,
    contract: Mapping[str, Any],
    names: list[Any],
    ids: set[str],
    rule_types: Mapping[str, type[Rule]],
    custom_types: Mapping[str, str],
    session: Mapping[str, Any],
    import_paths: tuple[str, ...],
    *,
    import_project_code: bool = True,
    types_known: bool = True,
) -> Rule | None:
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
        if type_name in custom_types and not import_project_code:
            rule = not_checked(
                {"name": name},
                type_name,
                f"not checked: its contract type '{type_name}' is the project's own class "
                f"({custom_types[type_name]}), which fitness history does not import "
                "from a commit",
                label,
            )
        elif type_name in custom_types:
            class_path = custom_types[type_name]
            rule = _wrapped(name, type_name, class_path, contract, session, import_paths)
        elif type_name in rule_types:
            rule = _native(rule_types[type_name], name, contract, label)
        elif type_name in IMPORTLINTER_BUILTIN_TYPES:
            class_path = IMPORTLINTER_BUILTIN_TYPES[type_name]
            rule = _wrapped(name, type_name, class_path, contract, session, ())
        else:
            rule = None
    except ConfigErrors as errors:  # each mistake of the contract, at its own line
        raise errors.within(key) from None
    except ConfigError as error:
        raise ConfigError(error.message, key=(*key, *error.key)) from None
    if rule is None and not types_known:
        return None
    if rule is None:
        known = sorted({*rule_types, *IMPORTLINTER_BUILTIN_TYPES, *custom_types})
        raise ConfigError(
            f"{label} ('{name}'): unknown contract type '{type_name}'"
            f"{did_you_mean(type_name, known)} (available: {', '.join(known)}; register "
            "your own in contract_types)",
            key=(*key, "type"),
        )
    return rule


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
    return build_rule(
        _importlinter_variant(rule_class),
        raw,
        where=f"{label} ('{name}'): ",
        single_item_lists=True,
    )


def _importlinter_variant(rule_class: type[Rule]) -> type[Rule]:
    """The class that gives import-linter's verdict where a native rule's default differs:
    import-linter keeps a protected contract whose allowed importer does not exist, and a
    layers or independence contract that names one layer or module."""
    variants = {
        "fitness.domain.rules.imports.protected": ("ProtectedRule", "ImportLinterProtectedRule"),
        "fitness.domain.rules.imports.layers": ("LayersRule", "ImportLinterLayersRule"),
        "fitness.domain.rules.imports.independence": (
            "IndependenceRule",
            "ImportLinterIndependenceRule",
        ),
    }
    native, variant = variants.get(rule_class.__module__, ("", ""))
    if rule_class.__name__ == native:  # the module is imported already
        module = sys.modules[rule_class.__module__]
        if rule_class is getattr(module, native):
            return cast("type[Rule]", getattr(module, variant))
    return rule_class


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
    adr = contract.get("adr", "")
    severity = contract.get("severity", "error")
    if isinstance(severity, list):  # (an INI value read as lines)
        severity = "".join(str(line).strip() for line in severity)
    rule = ImportLinterContractRule(
        name=name,
        broken_contract_guidance=str(guidance),
        adr="".join(str(line).strip() for line in adr) if isinstance(adr, list) else str(adr),
        severity=convert(severity, Severity, key="severity"),
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
