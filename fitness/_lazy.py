"""Importing on first use: the one mechanism fitness loads things lazily with.

A run imports only what it uses: the public names of :mod:`fitness` and the
built-in rule types (PEP 562 module ``__getattr__``, :func:`lazy_exports`), the
rule types plugins name by where they are defined (:class:`~fitness.RuleTypeRef`,
:func:`resolve`), a command's module and a report format's (by name, from their
registries), and the modules a light path names but seldom uses
(:class:`LazyModule`, declared at the top of the module that uses it, with why).

Imports are otherwise made at the top of a module; one inside a function is the
exception, with its reason beside it (at most 30: ``tests/test_imports_inside_functions.py``).
What the laziness buys, in CPU time (best of 10, with bytecode, on a shared 2-core
machine; Python itself starts in 22 ms): ``fitness --version`` 39 ms, a replayed
``fitness check`` 41 ms (:mod:`fitness.console`), ``fitness check --no-cache`` on
``examples/shop`` 138 ms; a pytest run without a fitness configuration imports ten
small modules of ours (the plugin costs 5-10 ms with bytecode, 10-20 without). What stays lazy for
it: networkx (80 ms; the cycle rules, the metrics, the diagrams), the plugin's modules
(``fitness.pytest_plugin``; 100 ms and the assertion rewriter's recompiling), the
revision's history (90 ms; ``--new-since``), the baseline's model (8 ms; a baseline),
the dependency rules' readers (importlib.metadata, 25 ms), ``tempfile`` (5 ms; a
file written).
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def resolve(target: str) -> object:
    """What ``"package.module:Name"`` names (``Outer.Inner`` after the colon too),
    imported now; without a colon, the module. Raises what the import raises
    (``ImportError``, ``AttributeError``, any error of the imported module)."""
    module_name, _, qualname = target.partition(":")
    value: object = importlib.import_module(module_name)
    for attribute in qualname.split(".") if qualname else ():
        value = getattr(value, attribute)
    return value


def lazy_exports(
    module_name: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module's ``__getattr__`` and ``__dir__`` (PEP 562) for ``exports``: public name ->
    the module that defines it under that name. A name is imported when it is first
    used, then kept in the module (the next use costs nothing)::

        __getattr__, __dir__ = lazy_exports(__name__, {"Rule": "fitness.domain.rules.base"})
    """
    namespace = sys.modules[module_name].__dict__

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        value = resolve(f"{module}:{name}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *exports})

    return __getattr__, __dir__


class LazyModule:
    """Module ``name``, imported when one of its attributes is first used (inside
    ``importing()``: pytest's plugin imports past the assertion rewriter), each use then
    read from the module itself (what a test patches there is seen). Private names are
    not looked up: tools probe the objects they meet for names of their own (pytest
    looks for fixtures in every attribute of a plugin's module), and a probe must not
    import anything::

        if TYPE_CHECKING:
            from fitness.adapters import pytest_runs
        else:
            pytest_runs = LazyModule("fitness.adapters.pytest_runs")
    """

    def __init__(
        self,
        name: str,
        importing: Callable[[], contextlib.AbstractContextManager[object]] = contextlib.nullcontext,
    ) -> None:
        self._name = name
        self._importing = importing

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        module = sys.modules.get(self._name)
        if module is None:
            with self._importing():
                module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"
