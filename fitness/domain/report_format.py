"""A report format: what ``fitness check --format NAME`` writes, built in or from a plugin."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: A format's name: short, lower-case, safe to print and to put in a file name.
FORMAT_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")


@dataclass(frozen=True)
class ReportFormat:
    """A format of the results of ``fitness check`` (``--format NAME``).

    ``renderer`` turns the results into the report's text: a function
    ``(results, context) -> str`` (``results``: the :class:`fitness.RuleResult` of
    every rule; ``context``: where the configuration is, how to show a file's path,
    what the graph cannot see), or where it is defined, ``"package.module:function"``,
    imported only when a run uses the format. A plugin returns these from its
    ``fitness_report_formats`` hook.
    """

    name: str
    renderer: str | Callable[..., str]
    #: What ``fitness check --help`` says of it, in a few words.
    help: str = ""

    @property
    def target(self) -> str:
        """``module:function``: where the renderer is defined."""
        if isinstance(self.renderer, str):
            return self.renderer
        module = getattr(self.renderer, "__module__", "?")
        return f"{module}:{getattr(self.renderer, '__qualname__', '?')}"


def names_a_renderer(renderer: Any) -> bool:
    """Whether ``renderer`` names a function as ``package.module:function``, or is one."""
    if callable(renderer):
        return True
    if not isinstance(renderer, str):
        return False
    module, colon, attribute = renderer.partition(":")
    return bool(colon) and all(
        part.isidentifier() for part in [*module.split("."), *attribute.split(".")]
    )
