"""A list option names each item once (issue 19, item 12): a duplicate is an error naming
the option and the item, for every list option of every rule type (they are validated
from their type hints, in one place: fitness/domain/options.py), tables and their own
lists included. ``bounded_contexts`` accepted ``contexts = ["a", "b", "a"]`` silently."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any, Literal, Union

import pytest

from fitness import ConfigError
from fitness.adapters.config.plugins import load_rule_types
from fitness.domain.options import build_rule
from fitness.domain.rules import BoundedContextsRule

#: An item of each type a list holds.
SAMPLES: dict[Any, Any] = {
    str: "pkg.module",
    Mapping[str, str]: {"upstream": "pkg.a", "downstream": "pkg.b"},
}


def shown(item: Any) -> str:
    if isinstance(item, str):
        return f"'{item}'"
    return "{" + ", ".join(f"{k} = '{v}'" for k, v in item.items()) + "}"


def duplicated(hint: Any, key: str) -> Iterator[tuple[Any, str, str]]:
    """For each list inside an option of type ``hint``: a value of the option whose list
    holds an item twice, the key an error names, and the item as it names it."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (Union, types.UnionType):
        for alternative in args:
            yield from duplicated(alternative, key)
    elif origin is tuple:
        # A list of choices (Literal[...]): its first choice.
        choices = typing.get_args(args[0]) if typing.get_origin(args[0]) is Literal else ()
        item = choices[0] if choices else SAMPLES[args[0]]
        yield [item, item], key, shown(item)
    elif origin in (dict, Mapping) or origin is typing.get_origin(Mapping[str, int]):
        for value, inner, item in duplicated(args[1], f"{key}.pkg"):
            yield {"pkg": value}, inner, item
    elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
        for name, field_hint in typing.get_type_hints(hint).items():
            for value, inner, item in duplicated(field_hint, f"{key}.{name}"):
                yield {name: value}, inner, item


def every_list_option() -> Iterator[Any]:
    for info in load_rule_types([], None):
        cls = info.rule_class
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            if field.init:
                for value, key, item in duplicated(hints[field.name], field.name):
                    yield pytest.param(
                        cls, field.name, value, key, item, id=f"{info.type_name}:{key}"
                    )


LIST_OPTIONS = list(every_list_option())


def test_every_rule_type_has_its_list_options_walked() -> None:
    walked = {param.id for param in LIST_OPTIONS}
    assert {"bounded_contexts:contexts", "bounded_contexts:context_map", "layers:layers"} <= walked
    assert any(key.count(".") == 2 for key in walked)  # a list inside a table of tables
    assert len(walked) > 50


@pytest.mark.parametrize(("cls", "option", "value", "key", "item"), LIST_OPTIONS)
def test_an_item_listed_twice_is_an_error_naming_the_option_and_the_item(
    cls: type, option: str, value: Any, key: str, item: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        build_rule(cls, {option: value, "name": "r"})
    # (Other mistakes, such as a required option left out, are reported with it.)
    [mistake] = [m for m in raised.value.mistakes if "listed twice" in m.message]
    assert mistake.message == f"option '{key}': {item} is listed twice (items 1 and 2)"
    assert mistake.key == (key,)


def test_the_error_names_where_the_configuration_says_it() -> None:
    with pytest.raises(ConfigError) as raised:
        build_rule(
            BoundedContextsRule,
            {"name": "r", "contexts": ["shop.orders", "shop.billing", "shop.orders"]},
            where="rule 'r': ",
        )
    assert str(raised.value) == (
        "rule 'r': option 'contexts': 'shop.orders' is listed twice (items 1 and 3)"
    )


def test_distinct_items_are_accepted() -> None:
    rule = build_rule(BoundedContextsRule, {"name": "r", "contexts": ["shop.a", "shop.b"]})
    assert rule.contexts == ("shop.a", "shop.b")
