"""Typed rule options, validated from plain data (a TOML table, an INI section).

A rule type declares its options as the fields of a frozen dataclass, with
ordinary type hints. :func:`build_rule` checks a raw mapping against those
fields, so every rule type (built-in or from a plugin) gets the same errors:
unknown key with "did you mean", wrong type, missing required option.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple, TypeVar, Union

from fitness.domain.errors import ConfigError, combined, did_you_mean

T = TypeVar("T")

#: Keys every rule accepts besides its options: ``type`` picks the rule type,
#: ``id`` is accepted for import-linter compatibility.
COMMON_KEYS = ("type", "id")


def option(
    default: Any = dataclasses.MISSING,
    *,
    doc: str = "",
    listed_last: bool = False,
    names: Any = None,
) -> Any:
    """Declare a rule option with a default and a one-line description.

    ``listed_last``: an option a base class shares with many rule types (such as
    ``ignore_imports``) is listed after the rule type's own options, where a
    dataclass would put it before them.

    ``names``: the option names modules (a :class:`~fitness.domain.modules.ModuleNames`,
    such as ``MODULES``): each entry is checked against the graph before the rule is
    (a misspelt one is an error with "did you mean", even beside a right one).
    """
    metadata = {"doc": doc, "listed_last": listed_last, "names": names}
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata=metadata)
    if isinstance(default, list | dict | set):
        raise TypeError("use a tuple or a frozen value as an option default")
    return dataclasses.field(default=default, metadata=metadata)


class OptionInfo(NamedTuple):
    """What ``fitness rules`` shows about one option."""

    name: str
    type: str
    required: bool
    default: Any
    doc: str


def type_hints(cls: type) -> dict[str, Any]:
    """``typing.get_type_hints(cls)``, once per class: resolving the hints of a rule type
    took a third of the time of 2,000 rules."""
    return _type_hints(cls)


@functools.cache
def _type_hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def option_infos(cls: type) -> list[OptionInfo]:
    hints = type_hints(cls)
    infos = []
    fields = sorted(dataclasses.fields(cls), key=lambda f: bool(f.metadata.get("listed_last")))
    for f in fields:
        if not f.init:
            continue
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        infos.append(
            OptionInfo(
                name=f.name,
                type=describe_type(hints[f.name]),
                required=required,
                default=None if required else f.default,
                doc=str(f.metadata.get("doc", "")),
            )
        )
    return infos


def build_rule(
    cls: type[T], raw: Mapping[str, Any], *, where: str = "", single_item_lists: bool = False
) -> T:
    """Construct ``cls`` from ``raw``, or raise a :class:`ConfigError` naming the key.

    A list option given a string is an error (``layers = "a.b"`` is a mistake, not a
    one-layer rule), unless ``single_item_lists``: import-linter's configurations,
    where a one-line value is a list of one item."""
    hints = type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    # Every mistake in the table is reported, not only the first.
    errors: list[ConfigError] = []
    suggested: set[str] = set()  # a misspelt option is not missing too
    for key, value in raw.items():
        if key in COMMON_KEYS:
            continue
        if key not in fields:
            hint = did_you_mean(key, fields)
            suggested.update(name for name in fields if hint == f"; did you mean '{name}'?")
            errors.append(ConfigError(f"{where}unknown option '{key}'{hint}", key=(key,)))
            continue
        try:
            values[key] = convert(
                value, hints[key], key=key, where=where, single_item_lists=single_item_lists
            )
        except ConfigError as error:
            errors.append(error)
    for name, f in fields.items():
        missing = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if missing and name not in raw and name not in suggested:
            errors.append(ConfigError(f"{where}missing required option '{name}'", key=()))
    if errors:
        raise combined(errors)
    try:
        return cls(**values)
    except ConfigError as error:  # (each of several mistakes, at its own key)
        raise error.within((), where) from None


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def convert(
    value: Any, hint: Any, *, key: str, where: str = "", single_item_lists: bool = False
) -> Any:
    """Check ``value`` against the type ``hint`` and convert lists to tuples (a string
    where a list is expected is an error, or with ``single_item_lists`` a list of one)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)

    def wrong(expected: str) -> ConfigError:
        return ConfigError(
            f"{where}option '{key}' must be {expected}, not {describe_value(value)}", key=(key,)
        )

    if hint is Any:
        return value
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return convert(
                    value, arg, key=key, where=where, single_item_lists=single_item_lists
                )
            except ConfigError as error:
                errors.append((arg, error))
        # A table given where a table or a list is expected: what is wrong is inside it.
        shaped = [e for a, e in errors if _shape(a) is not None and _shape(a) is _shape(value)]
        if len(shaped) == 1:
            raise shaped[0]
        raise wrong(describe_type(hint))
    if origin is Literal:
        if value in args:
            return value
        choices = ", ".join(repr(a) for a in args)
        hint_text = (
            did_you_mean(str(value), [str(a) for a in args]) if isinstance(value, str) else ""
        )
        raise ConfigError(
            f"{where}option '{key}' must be one of {choices}, not {value!r}{hint_text}", key=(key,)
        )
    if hint is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise wrong("true or false")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        raise wrong("an integer")
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        raise wrong("a number")
    if hint is str:
        if isinstance(value, str):
            return value
        raise wrong("a string")
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if isinstance(value, str) and single_item_lists:
            value = [value]
        if isinstance(value, str):
            raise ConfigError(
                f"{where}option '{key}' must be {describe_type(hint)}, not "
                f"{describe_value(value)}: write {key} = [{_toml_string(value)}]",
                key=(key,),
            )
        if not isinstance(value, list | tuple):
            raise wrong(describe_type(hint))
        items = []
        for number, item in enumerate(value, start=1):
            try:
                items.append(convert(item, args[0], key=key, where=where))
            except ConfigError:
                raise ConfigError(
                    f"{where}option '{key}' must be {describe_type(hint)}; item {number} is "
                    f"{describe_value(item)}",
                    key=(key,),
                ) from None
        _require_distinct(items, key=key, where=where)
        return tuple(items)
    if origin in (dict, Mapping) or origin is typing.get_origin(Mapping[str, int]):
        if not isinstance(value, Mapping):
            raise wrong(describe_type(hint))
        key_type, value_type = args
        return types.MappingProxyType(
            {
                convert(k, key_type, key=key, where=where): convert(
                    v,
                    value_type,
                    key=f"{key}.{k}",
                    where=where,
                    single_item_lists=single_item_lists,
                )
                for k, v in value.items()
            }
        )
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _convert_table(value, hint, key=key, where=where)
    if isinstance(hint, type) and isinstance(value, hint):
        return value
    raise wrong(describe_type(hint))


def _require_distinct(items: list[Any], *, key: str, where: str) -> None:
    """A list option names each item once: a second one is a mistake (a copy left behind,
    a typo for another name), which a rule would otherwise accept silently."""
    first: dict[Any, int] = {}
    for number, item in enumerate(items, start=1):
        marker = _comparable(item)
        try:
            seen = marker in first
        except TypeError:  # (a value no list can repeat: a plugin's unhashable type)
            continue
        if seen:
            raise ConfigError(
                f"{where}option '{key}': {_shown(item)} is listed twice "
                f"(items {first[marker]} and {number})",
                key=(key,),
            )
        first[marker] = number


def _comparable(item: Any) -> Any:
    """``item``, or a hashable stand-in for a table (equal tables, equal stand-ins)."""
    if isinstance(item, Mapping):
        return ("table", frozenset((k, _comparable(v)) for k, v in item.items()))
    if isinstance(item, list | tuple):
        return tuple(_comparable(v) for v in item)
    return item


def _shown(item: Any) -> str:
    if isinstance(item, str):
        return f"'{item}'"
    if isinstance(item, Mapping):
        return "{" + ", ".join(f"{k} = {_shown(v)}" for k, v in item.items()) + "}"
    return repr(item)


def _shape(hint_or_value: Any) -> type | None:
    """``dict`` for a table (type or value), ``list`` for a list, else None."""
    origin = typing.get_origin(hint_or_value)
    if origin in (dict, Mapping) or isinstance(hint_or_value, Mapping):
        return dict
    if origin is tuple or isinstance(hint_or_value, list | tuple):
        return list
    return None


def _convert_table(value: Any, cls: type[T], *, key: str, where: str) -> T:
    """A table of sub-options (``{ depends_on = [...] }``) as the frozen dataclass ``cls``:
    its fields are the keys, typed as options are; an unknown key gets a "did you mean"."""
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"{where}option '{key}' must be {describe_type(cls)}, not {describe_value(value)}",
            key=(key,),
        )
    hints = type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}  # type: ignore[arg-type]
    values = {}
    for name, item in value.items():
        if name not in fields:
            hint = did_you_mean(str(name), fields) or f" (the keys are {', '.join(fields)})"
            raise ConfigError(f"{where}option '{key}': unknown key '{name}'{hint}", key=(key,))
        values[name] = convert(item, hints[name], key=f"{key}.{name}", where=where)
    for name, f in fields.items():
        missing = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if missing and name not in values:
            raise ConfigError(f"{where}option '{key}': missing key '{name}'", key=(key,))
    return cls(**values)


def describe_type(hint: Any) -> str:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is bool:
        return "true or false"
    if hint is int:
        return "an integer"
    if hint is float:
        return "a number"
    if hint is str:
        return "a string"
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin in (Union, types.UnionType):
        parts = [describe_type(a) for a in args if a is not type(None)]
        return (", or " if any(" or " in part for part in parts) else " or ").join(parts)
    if origin is tuple:
        return f"a list of {_plural(describe_type(args[0]))}"
    if origin is not None and args and len(args) == 2:
        value = args[1]
        if typing.get_origin(value) in (Union, types.UnionType):  # each alternative plural
            alternatives = [a for a in typing.get_args(value) if a is not type(None)]
            return "a table of " + " or ".join(_plural(describe_type(a)) for a in alternatives)
        return f"a table of {_plural(describe_type(value))}"
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return f"a table ({', '.join(f.name for f in dataclasses.fields(hint) if f.init)})"
    return getattr(hint, "__name__", str(hint))


def _plural(description: str) -> str:
    """``a string`` -> ``strings``; ``a list of strings`` -> ``lists of strings``."""
    for article in ("a ", "an "):
        if description.startswith(article):
            noun, space, rest = description[len(article) :].partition(" ")
            return f"{noun}s{space}{rest}"
    return description


def describe_value(value: Any) -> str:
    """``an integer (3)``: a value as a message names it."""
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }
    return f"{names.get(type(value), type(value).__name__)} ({value!r})"


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string (for a suggestion in a message)."""

    return json.dumps(text, ensure_ascii=False)
