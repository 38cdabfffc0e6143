"""Rule types come from plugins, found through pluggy; the built-in ones too.

A plugin is any module (or object) with a ``fitness_rule_types`` hook
implementation. Distributions advertise theirs in the ``fitness`` entry-point
group; a project can name local ones in ``[tool.fitness] plugins`` (the
adapters import those, from the project's directory, and hand them over as
:class:`LocalPlugin`).
"""

from __future__ import annotations

import functools
import inspect
import traceback
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, is_dataclass
from typing import Any, Literal, NamedTuple, cast

import pluggy

from fitness._lazy import resolve
from fitness._version import __version__
from fitness.domain.errors import ConfigError, did_you_mean
from fitness.domain.report_format import FORMAT_NAME, ReportFormat, names_a_renderer
from fitness.domain.rules import BUILTIN_RULE_REFS
from fitness.domain.rules.base import Rule, RuleTypeRef

PROJECT_NAME = "fitness"
ENTRY_POINT_GROUP = "fitness"
BUILTIN_PLUGIN = "fitness (built-in)"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class FitnessHookSpecs:
    """Hook specifications: the whole plugin interface of fitness."""

    @hookspec
    def fitness_rule_types(self) -> Sequence[type[Rule] | RuleTypeRef]:  # type: ignore[empty-body]
        """Return the rule types this plugin adds: subclasses of :class:`fitness.Rule`,
        or :class:`fitness.RuleTypeRef` to import a class only when a rule uses it."""

    @hookspec
    def fitness_report_formats(self) -> Sequence[ReportFormat]:  # type: ignore[empty-body]
        """Return the report formats this plugin adds (:class:`fitness.ReportFormat`):
        ``fitness check --format NAME`` then writes the results in that format."""


HOOK_NAMES = tuple(name for name in vars(FitnessHookSpecs) if name.startswith("fitness_"))

PluginKind = Literal["built-in", "entry point", "local"]


class PluginOrigin(NamedTuple):
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


class LocalPlugin(NamedTuple):
    """A project-local plugin module, already imported by an adapter."""

    name: str
    module: object
    location: str = ""


@dataclass(frozen=True)
class RuleTypeInfo:
    """A rule type a plugin registered: its class, or where to import it from."""

    source: type[Rule] | RuleTypeRef
    plugin: str
    origin: PluginOrigin | None = None

    @property
    def type_name(self) -> str:
        return self.source.type_name

    @property
    def target(self) -> str:
        """``module:Class``: what two registrations of one rule type share."""
        if isinstance(self.source, RuleTypeRef):
            return self.source.target
        return f"{self.source.__module__}:{self.source.__qualname__}"

    @functools.cached_property
    def rule_class(self) -> type[Rule]:
        """The class, imported now if the plugin named it by a :class:`RuleTypeRef`."""
        if not isinstance(self.source, RuleTypeRef):
            return self.source
        ref = self.source
        try:
            loaded = resolve(ref.target)
        except Exception as error:
            raise ConfigError(
                f"plugin {self.plugin}: cannot import rule type '{ref.type_name}' from "
                f"'{ref.target}': {describe_exception(error)}"
            ) from None
        _check_rule_class(loaded, self.plugin)
        rule_class = cast(type[Rule], loaded)
        if rule_class.type_name != ref.type_name:
            raise ConfigError(
                f"plugin {self.plugin}: '{ref.target}' has type_name "
                f"'{rule_class.type_name}', but was registered as '{ref.type_name}'"
            )
        return rule_class


class _RuleClasses(Mapping[str, type[Rule]]):
    """Rule classes by type name; a class is imported when it is looked up."""

    def __init__(self, types: Mapping[str, RuleTypeInfo]) -> None:
        self._types = types

    def __getitem__(self, type_name: str) -> type[Rule]:
        return self._types[type_name].rule_class

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._types))

    def __len__(self) -> int:
        return len(self._types)

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._types


class RuleTypeRegistry:
    """The rule types available in this run, by ``type_name``."""

    def __init__(self, types: Iterable[RuleTypeInfo]) -> None:
        self._types: dict[str, RuleTypeInfo] = {}
        for info in types:
            name = info.type_name
            if not name or not isinstance(name, str):
                what = getattr(info.source, "__name__", None) or info.target
                raise ConfigError(f"plugin {info.plugin}: rule class {what} has no type_name")
            if name in self._types and self._types[name].target != info.target:
                raise ConfigError(
                    f"rule type '{name}' is registered twice: by {self._types[name].plugin} "
                    f"and by {info.plugin}; uninstall one of them, or remove one from "
                    "[tool.fitness] plugins",
                    key=("plugins",),
                )
            self._types[name] = info

    @property
    def classes(self) -> Mapping[str, type[Rule]]:
        """Every rule class by type name, each imported only when looked up."""
        return _RuleClasses(self._types)

    def __iter__(self) -> Iterator[RuleTypeInfo]:
        return iter(sorted(self._types.values(), key=lambda i: i.type_name))

    def __len__(self) -> int:
        return len(self._types)

    def get(self, type_name: str) -> RuleTypeInfo | None:
        return self._types.get(type_name)


class _BuiltinRules:
    """The built-in rule types, registered through the same hook as any plugin."""

    @hookimpl
    def fitness_rule_types(self) -> Sequence[type[Rule] | RuleTypeRef]:
        return BUILTIN_RULE_REFS


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


class InstalledPlugin(NamedTuple):
    """A plugin of an installed distribution (the ``fitness`` entry-point group),
    already loaded by an adapter."""

    module: object
    origin: PluginOrigin


def make_plugin_manager(
    local_plugins: Iterable[LocalPlugin] = (),
    installed_plugins: Iterable[InstalledPlugin] = (),
) -> FitnessPluginManager:
    """The built-in rule types, the installed plugins (entry points), then the local ones."""
    manager = FitnessPluginManager()
    manager.add_hookspecs(FitnessHookSpecs)
    builtin = PluginOrigin(BUILTIN_PLUGIN, "built-in", "pytest-fitness", __version__)
    manager.add(_BuiltinRules(), builtin)
    for installed in installed_plugins:
        manager.add(installed.module, installed.origin)
    for local in local_plugins:
        manager.add(local.module, PluginOrigin(local.name, "local", location=local.location))
    return manager


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
                if isinstance(rule_class, RuleTypeRef):
                    _check_rule_type_ref(rule_class, label)
                else:
                    _check_rule_class(rule_class, label)
            except ConfigError as error:
                raise ConfigError(error.message, key=key) from None
            infos.append(RuleTypeInfo(rule_class, label, origin))
    return RuleTypeRegistry(infos)


def report_formats(
    manager: pluggy.PluginManager, builtin: Collection[str] = ()
) -> tuple[ReportFormat, ...]:
    """The report formats the plugins add, each checked: a :class:`ReportFormat` with a
    short lower-case name (it is printed, and may name a file) that neither a built-in
    format (``builtin``) nor another plugin has, and a renderer (a function, or
    ``"package.module:function"``)."""
    origins: dict[str, PluginOrigin] = getattr(manager, "origins", {})
    found: dict[str, tuple[ReportFormat, str]] = {}
    for impl in manager.hook.fitness_report_formats.get_hookimpls():
        plugin_name = manager.get_name(impl.plugin) or repr(impl.plugin)
        origin = origins.get(plugin_name) or PluginOrigin(plugin_name, "local")
        label = origin.label
        try:
            returned = impl.function()
            if isinstance(returned, str | ReportFormat) or not isinstance(returned, Iterable):
                raise ConfigError(
                    f"plugin {label}: fitness_report_formats() must return a list of "
                    f"fitness.ReportFormat, not {_short_repr(returned)}"
                )
            returned = list(returned)  # (a generator runs the plugin's code here)
        except ConfigError:
            raise
        except Exception as error:
            raise ConfigError(
                f"plugin {label}: fitness_report_formats() failed: {describe_exception(error)}"
            ) from None
        for report_format in returned:
            if not isinstance(report_format, ReportFormat):
                raise ConfigError(
                    f"plugin {label}: fitness_report_formats() returned "
                    f"{_short_repr(report_format)}, which is not a fitness.ReportFormat"
                )
            name = report_format.name
            if not isinstance(name, str) or not FORMAT_NAME.fullmatch(name):
                raise ConfigError(
                    f"plugin {label}: report format name {_short_repr(name)} must be "
                    "lower-case letters, digits, '-' or '_' (at most 32, a letter first)"
                )
            if not names_a_renderer(report_format.renderer):
                raise ConfigError(
                    f"plugin {label}: report format '{name}' must have a renderer: a function, "
                    "or where it is, as 'package.module:function'"
                )
            if name in builtin:
                raise ConfigError(
                    f"plugin {label}: report format '{name}' is built in; a plugin's "
                    "format needs a name of its own"
                )
            if name in found and found[name][1] != label:
                raise ConfigError(
                    f"report format '{name}' is added twice: by {found[name][1]} and by "
                    f"{label}; uninstall one of them, or remove one from [tool.fitness] plugins"
                )
            found[name] = (report_format, label)
    return tuple(report_format for report_format, _ in found.values())


def _short_repr(value: object) -> str:
    """``repr`` of what a plugin returned, short and printable (it may be anything)."""
    text = repr(value)
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_rule_type_ref(ref: RuleTypeRef, label: str) -> None:
    module, _, attribute = str(ref.target).partition(":")
    if not (
        isinstance(ref.type_name, str)
        and ref.type_name
        and isinstance(ref.target, str)
        and all(part.isidentifier() for part in [*module.split("."), *attribute.split(".")])
    ):
        raise ConfigError(
            f"plugin {label}: {ref!r} must name a type and a class as 'package.module:Class'"
        )


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
        if not frame.filename.startswith("<")
        and "importlib" not in frame.filename
        and frame.filename != resolve.__code__.co_filename  # resolving is not the error
    ]
    if isinstance(error, SyntaxError) and error.filename:
        return f"{type(error).__name__}: {error.msg} ({error.filename}:{error.lineno})"
    if frames:
        return f"{text} ({frames[-1].filename}:{frames[-1].lineno})"
    return text
