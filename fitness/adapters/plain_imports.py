"""Importing fitness's modules past pytest's assertion rewriter (imports nothing itself).

pytest rewrites the asserts of every module of a distribution that has a pytest
plugin, so all of fitness: it parses and compiles each module again, and with
``PYTHONDONTWRITEBYTECODE`` (common in CI) on every run, about 75 ms. fitness has no
asserts to rewrite. If pytest renames its hook, this does nothing and the modules are
rewritten, as before.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar


@contextlib.contextmanager
def without_assertion_rewriting() -> Iterator[None]:
    """Import through Python's own finders, past pytest's assertion rewriter."""
    hooks = [f for f in sys.meta_path if type(f).__name__ == "AssertionRewritingHook"]
    for hook in hooks:
        sys.meta_path.remove(hook)
    try:
        yield
    finally:
        sys.meta_path[:0] = hooks


_P = ParamSpec("_P")
_R = TypeVar("_R")


def plain_imports(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` with whatever of fitness it imports (the core, rule types
    named by the configuration, the modules a rule loads on demand) imported past
    pytest's assertion rewriter."""

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with without_assertion_rewriting():
            return function(*args, **kwargs)

    return wrapper
