"""Rule types come from plugins, found through pluggy; the built-in ones too.

A plugin is any module (or object) with a ``fitness_rule_types`` hook
implementation. Distributions advertise theirs in the ``fitness`` entry-point
group; a project can name local ones in ``[tool.fitness] plugins``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pluggy

from fitness.domain.errors import ConfigError
from fitness.domain.rules.base import Rule

PROJECT_NAME = "fitness"
ENTRY_POINT_GROUP = "fitness"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class FitnessHookSpecs:
    """Hook specifications: the whole plugin interface of fitness."""

    @hookspec
    def fitness_rule_types(self) -> Sequence[type[Rule]]:  # type: ignore[empty-body]
        """Return the rule types this plugin adds (subclasses of :class:`fitness.Rule`)."""


@dataclass(frozen=True)
class RuleTypeInfo:
    rule_class: type[Rule]
    plugin: str


class RuleTypeRegistry:
    """The rule types available in this run, by ``type_name``."""

    def __init__(self, types: Iterable[RuleTypeInfo]) -> None:
        self._types: dict[str, RuleTypeInfo] = {}
        for info in types:
            name = info.rule_class.type_name
            if not name:
                raise ConfigError(
                    f"plugin {info.plugin}: rule class {info.rule_class.__name__} has no type_name"
                )
            if name in self._types and self._types[name].rule_class is not info.rule_class:
                raise ConfigError(
                    f"rule type '{name}' is registered twice: by {self._types[name].plugin} "
                    f"and by {info.plugin}"
                )
            self._types[name] = info

    @property
    def classes(self) -> dict[str, type[Rule]]:
        return {name: info.rule_class for name, info in sorted(self._types.items())}

    def __iter__(self) -> Iterable[RuleTypeInfo]:  # type: ignore[override]
        return iter(sorted(self._types.values(), key=lambda i: i.rule_class.type_name))


class _BuiltinRules:
    """The built-in rule types, registered through the same hook as any plugin."""

    @hookimpl
    def fitness_rule_types(self) -> Sequence[type[Rule]]:
        from fitness.domain.rules import BUILTIN_RULE_TYPES

        return BUILTIN_RULE_TYPES


def make_plugin_manager(
    local_plugins: Iterable[str] = (), *, load_entry_points: bool = True
) -> pluggy.PluginManager:
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(FitnessHookSpecs)
    manager.register(_BuiltinRules(), name="fitness (built-in)")
    if load_entry_points:
        manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for dotted in local_plugins:
        if manager.get_plugin(dotted) is not None:
            continue
        try:
            module = importlib.import_module(dotted)
        except ImportError as error:
            raise ConfigError(f"plugins: cannot import plugin '{dotted}': {error}") from None
        manager.register(module, name=dotted)
    return manager


def rule_type_registry(manager: pluggy.PluginManager) -> RuleTypeRegistry:
    infos = []
    for impl in manager.hook.fitness_rule_types.get_hookimpls():
        plugin_name = manager.get_name(impl.plugin) or repr(impl.plugin)
        dist = _distribution_of(manager, impl.plugin)
        label = f"{plugin_name} ({dist})" if dist else plugin_name
        for rule_class in impl.function() or ():
            if not (isinstance(rule_class, type) and issubclass(rule_class, Rule)):
                raise ConfigError(
                    f"plugin {label}: fitness_rule_types returned {rule_class!r}, "
                    "which is not a subclass of fitness.Rule"
                )
            infos.append(RuleTypeInfo(rule_class, label))
    return RuleTypeRegistry(infos)


def _distribution_of(manager: pluggy.PluginManager, plugin: object) -> str:
    for plugin_obj, dist in manager.list_plugin_distinfo():
        if plugin_obj is plugin:
            return f"{dist.project_name} {dist.version}"
    return ""
