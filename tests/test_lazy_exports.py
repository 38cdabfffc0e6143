"""Importing on first use: one helper for fitness's public names, the built-in rule
types and the rule types plugins name by ``"module:Name"``."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

import fitness
from fitness._lazy import lazy_exports, resolve


@pytest.fixture
def package() -> Iterator[types.ModuleType]:
    module = types.ModuleType("acme_lazy_package")
    sys.modules[module.__name__] = module
    module.__getattr__, module.__dir__ = lazy_exports(  # type: ignore[method-assign]
        module.__name__, {"OrderedDict": "collections", "dedent": "textwrap"}
    )
    yield module
    del sys.modules[module.__name__]


def test_an_exported_name_is_imported_on_first_use_and_then_kept(
    package: types.ModuleType,
) -> None:
    import collections

    assert "OrderedDict" not in vars(package)
    assert package.OrderedDict is collections.OrderedDict
    assert vars(package)["OrderedDict"] is collections.OrderedDict


def test_an_unknown_name_is_an_attribute_error_naming_the_module(
    package: types.ModuleType,
) -> None:
    with pytest.raises(AttributeError) as error:
        _ = package.nothing
    assert str(error.value) == "module 'acme_lazy_package' has no attribute 'nothing'"


def test_dir_lists_the_exported_names_before_their_use(package: types.ModuleType) -> None:
    assert {"OrderedDict", "dedent"} <= set(dir(package))


def test_resolve_follows_a_qualified_name_after_the_colon() -> None:
    import collections.abc

    assert resolve("collections.abc:Mapping") is collections.abc.Mapping
    assert resolve("collections:OrderedDict.fromkeys") == collections.OrderedDict.fromkeys
    assert resolve("collections.abc") is collections.abc


def test_fitness_exports_every_public_name_it_lists() -> None:
    missing = [name for name in fitness.__all__ if not hasattr(fitness, name)]
    assert missing == []
    assert set(fitness.__all__) <= set(dir(fitness))
