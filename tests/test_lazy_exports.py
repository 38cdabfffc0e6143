"""Importing on first use: one helper for fitness's public names, the built-in rule
types and the rule types plugins name by ``"module:Name"``."""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

import fitness
from fitness._lazy import LazyModule, lazy_exports, resolve


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


# A module imported on first use (LazyModule) -------------------------------------------


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The name of a module not imported yet (``ANSWER = 42``)."""
    (tmp_path / "acme_lazy_module.py").write_text("ANSWER = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "acme_lazy_module"
    sys.modules.pop("acme_lazy_module", None)


def test_a_lazy_module_is_imported_when_a_name_of_it_is_first_used(acme: str) -> None:
    module = LazyModule(acme)
    assert acme not in sys.modules
    assert module.ANSWER == 42
    assert acme in sys.modules


def test_a_lazy_module_reads_each_name_from_the_module_what_is_patched_there_is_seen(
    acme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = LazyModule(acme)
    assert module.ANSWER == 42
    monkeypatch.setattr(f"{acme}.ANSWER", 43)
    assert module.ANSWER == 43


def test_probing_a_lazy_module_for_a_private_name_imports_nothing(acme: str) -> None:
    """pytest looks for fixtures in every attribute of a plugin's module."""
    module = LazyModule(acme)
    assert getattr(module, "_pytestfixturefunction", None) is None
    assert not hasattr(module, "__wrapped__")
    assert acme not in sys.modules


def test_a_lazy_module_imports_inside_the_context_it_is_given(acme: str) -> None:
    seen: list[bool] = []

    @contextlib.contextmanager
    def importing() -> Iterator[None]:
        seen.append(acme in sys.modules)
        yield
        seen.append(acme in sys.modules)

    module = LazyModule(acme, importing)
    assert module.ANSWER == 42
    assert module.ANSWER == 42
    assert seen == [False, True]
