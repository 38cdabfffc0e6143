"""Rule types come from plugins, found through pluggy; the built-in ones too.

A plugin is any module (or object) with a ``fitness_rule_types`` hook
implementation. Distributions advertise theirs in the ``fitness`` entry-point
group; a project can name local ones in ``[tool.fitness] plugins`` (the
adapters import those, from the project's directory, and hand them over as
:class:`LocalPlugin`).
"""

from __future__ import annotations

import importlib.metadata
import inspect
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, is_dataclass
from typing import Any, Literal

import pluggy

from fitness.domain.errors import ConfigError, did_you_mean
from fitness.domain.rules.base import Rule

PROJECT_NAME = "fitness"
ENTRY_POINT_GROUP = "fitness"
BUILTIN_PLUGIN = "fitness (built-in)"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class FitnessHookSpecs:
    """Hook specifications: the whole plugin interface of fitness."""

    @hookspec
    def fitness_rule_types(self) -> Sequence[type[Rule]]:  # type: ignore[empty-body]
        """Return the rule types this plugin adds (subclasses of :class:`fitness.Rule`)."""


HOOK_NAMES = tuple(name for name in vars(FitnessHookSpecs) if name.startswith("fitness_"))

PluginKind = Literal["built-in", "entry point", "local"]


@dataclass(frozen=True)
class PluginOrigin:
    """Where a plugin comes from: what ``fitness rules`` and error messages show."""

    name: str
    kind: PluginKind
    distribution: str = ""
    version: str = ""
    location: str = ""

    @property
    def label(self) -> str:
        if self.kind == "entry point":
            return f"{self.name} ({self.distribution} {self.version})".replace(" )", ")")
        if self.kind == "local":
            return f"{self.name} (local plugin)"
        return self.name


@dataclass(frozen=True)
class LocalPlugin:
    """A project-local plugin module, already imported by an adapter."""

    name: str
    module: object
    location: str = ""


@dataclass(frozen=True)
class RuleTypeInfo:
    rule_class: type[Rule]
    plugin: str
    origin: PluginOrigin | None = None


class RuleTypeRegistry:
    """The rule types available in this run, by ``type_name``."""

    def __init__(self, types: Iterable[RuleTypeInfo]) -> None:
        self._types: dict[str, RuleTypeInfo] = {}
        for info in types:
            name = info.rule_class.type_name
            if not name or not isinstance(name, str):
                raise ConfigError(
                    f"plugin {info.plugin}: rule class {info.rule_class.__name__} has no type_name"
                )
            if name in self._types and self._types[name].rule_class is not info.rule_class:
                raise ConfigError(
                    f"rule type '{name}' is registered twice: by {self._types[name].plugin} "
                    f"and by {info.plugin}; uninstall one of them, or remove one from "
                    "[tool.fitness] plugins",
                    key=("plugins",),
                )
            self._types[name] = info

    @property
    def classes(self) -> dict[str, type[Rule]]:
        return {name: info.rule_class for name, info in sorted(self._types.items())}

    def __iter__(self) -> Iterator[RuleTypeInfo]:
        return iter(sorted(self._types.values(), key=lambda i: i.rule_class.type_name))

    def __len__(self) -> int:
        return len(self._types)

    def get(self, type_name: str) -> RuleTypeInfo | None:
        return self._types.get(type_name)


class _BuiltinRules:
    """The built-in rule types, registered through the same hook as any plugin."""

    @hookimpl
    def fitness_rule_types(self) -> Sequence[type[Rule]]:
        from fitness.domain.fluent.declared import ModulesRule
        from fitness.domain.rules import BUILTIN_RULE_TYPES

        return (*BUILTIN_RULE_TYPES, ModulesRule)


class FitnessPluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering where each plugin comes from.

    Like pytest, it also accepts hook functions that carry no ``@hookimpl``
    marker but have a hook's name: a forgotten decorator must not make a
    plugin silently register nothing.
    """

    def __init__(self) -> None:
        super().__init__(PROJECT_NAME)
        self.origins: dict[str, PluginOrigin] = {}

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> Any:
        opts = super().parse_hookimpl_opts(plugin, name)
        if opts is None and name in HOOK_NAMES and inspect.isroutine(getattr(plugin, name, None)):
            return {}
        return opts

    def add(self, plugin: object, origin: PluginOrigin) -> None:
        if self.is_registered(plugin):
            return
        name, number = origin.name, 1
        while self.has_plugin(name):  # two plugins by one name: both count
            number += 1
            name = f"{origin.name}#{number}"
        try:
            self.register(plugin, name=name)
            self.check_pending()
        except pluggy.PluginValidationError as error:
            unknown = [n for n in dir(plugin) if n.startswith("fitness_") and n not in HOOK_NAMES]
            reason = (
                f"unknown hook '{unknown[0]}'{did_you_mean(unknown[0], HOOK_NAMES)}"
                if unknown
                else str(error)
            )
            raise ConfigError(f"plugin {origin.label}: {reason}", key=("plugins",)) from None
        self.origins[name] = origin


def make_plugin_manager(
    local_plugins: Iterable[LocalPlugin] = (), *, load_entry_points: bool = True
) -> FitnessPluginManager:
    """The built-in rule types, the installed plugins (entry points), then the local ones."""
    manager = FitnessPluginManager()
    manager.add_hookspecs(FitnessHookSpecs)
    from fitness import __version__

    builtin = PluginOrigin(BUILTIN_PLUGIN, "built-in", "pytest-fitness", __version__)
    manager.add(_BuiltinRules(), builtin)
    if load_entry_points:
        load_entry_point_plugins(manager)
    for local in local_plugins:
        manager.add(local.module, PluginOrigin(local.name, "local", location=local.location))
    return manager


def load_entry_point_plugins(manager: FitnessPluginManager) -> None:
    """Register every plugin of the ``fitness`` entry-point group.

    A plugin that fails to load is an error naming the entry point and its
    distribution, with the plugin's own error in one line (no traceback).
    """
    for dist in importlib.metadata.distributions():
        for entry_point in dist.entry_points:
            if entry_point.group != ENTRY_POINT_GROUP:
                continue
            origin = PluginOrigin(
                entry_point.name,
                "entry point",
                distribution=dist.metadata["Name"] or "",
                version=dist.version or "",
            )
            try:
                plugin = entry_point.load()
            except Exception as error:
                raise ConfigError(
                    f"plugin {origin.label}: cannot load entry point "
                    f"'{entry_point.name} = {entry_point.value}': {describe_exception(error)}"
                ) from None
            manager.add(plugin, origin)


def rule_type_registry(manager: pluggy.PluginManager) -> RuleTypeRegistry:
    origins: dict[str, PluginOrigin] = getattr(manager, "origins", {})
    infos = []
    for impl in manager.hook.fitness_rule_types.get_hookimpls():
        plugin_name = manager.get_name(impl.plugin) or repr(impl.plugin)
        origin = origins.get(plugin_name) or PluginOrigin(plugin_name, "local")
        label = origin.label
        key: tuple[str, ...] = ("plugins",) if origin.kind == "local" else ()
        try:
            returned = impl.function()
        except Exception as error:
            raise ConfigError(
                f"plugin {label}: fitness_rule_types() failed: {describe_exception(error)}",
                key=key,
            ) from None
        if isinstance(returned, type) or not isinstance(returned, Iterable):
            raise ConfigError(
                f"plugin {label}: fitness_rule_types() must return a list of rule classes, "
                f"not {returned!r}",
                key=key,
            )
        for rule_class in returned:
            try:
                _check_rule_class(rule_class, label)
            except ConfigError as error:
                raise ConfigError(error.message, key=key) from None
            infos.append(RuleTypeInfo(rule_class, label, origin))
    return RuleTypeRegistry(infos)


def _check_rule_class(rule_class: object, label: str) -> None:
    if not (isinstance(rule_class, type) and issubclass(rule_class, Rule)):
        raise ConfigError(
            f"plugin {label}: fitness_rule_types returned {rule_class!r}, "
            "which is not a subclass of fitness.Rule"
        )
    if not is_dataclass(rule_class) or "__dataclass_fields__" not in vars(rule_class):
        raise ConfigError(
            f"plugin {label}: rule class {rule_class.__name__} must be decorated with "
            "@dataclass(frozen=True, kw_only=True)"
        )
    if inspect.isabstract(rule_class):
        missing = ", ".join(sorted(getattr(rule_class, "__abstractmethods__", ())))
        raise ConfigError(
            f"plugin {label}: rule class {rule_class.__name__} must implement {missing}"
        )


def describe_exception(error: BaseException) -> str:
    """``Type: message (file:line)``: the gist of a plugin's error, without a traceback."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith("<") and "importlib" not in frame.filename
    ]
    if isinstance(error, SyntaxError) and error.filename:
        return f"{type(error).__name__}: {error.msg} ({error.filename}:{error.lineno})"
    if frames:
        return f"{text} ({frames[-1].filename}:{frames[-1].lineno})"
    return text
