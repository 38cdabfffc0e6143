"""Importing on first use: the one mechanism fitness loads things lazily with.

A run imports only what it uses: the public names of :mod:`fitness` and the
built-in rule types (PEP 562 module ``__getattr__``, :func:`lazy_exports`), and
the rule types plugins name by where they are defined
(:class:`~fitness.RuleTypeRef`, :func:`resolve`).
"""

from __future__ import annotations

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
