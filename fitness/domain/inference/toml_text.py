"""The proposal as the ``[tool.fitness]`` block ``fitness init`` writes: TOML text, with
what was recognised, and why, as comments."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping
from typing import Any

from fitness.domain.inference.proposal import Proposal


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        items = [_toml_value(v) for v in value]
        one_line = f"[{', '.join(items)}]"
        if len(one_line) <= 80:
            return one_line
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    if isinstance(value, Mapping):  # an inline table: one line, as TOML 1.0 wants it
        pairs = ", ".join(f"{_toml_key(k)} = {_inline(v)}" for k, v in value.items())
        return f"{{ {pairs} }}" if pairs else "{}"
    raise TypeError(f"cannot write {value!r} as TOML")


def _inline(value: Any) -> str:
    """A value inside an inline table: lists on one line too."""
    if isinstance(value, list | tuple):
        return f"[{', '.join(_inline(v) for v in value)}]"
    return _toml_value(value)


def _toml_key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key, ensure_ascii=False)


def to_toml(proposal: Proposal, *, baseline: str | None = None, newline: str = "\n") -> str:
    """The ``[tool.fitness]`` block, ready to append to ``pyproject.toml``."""
    header = (
        "# Proposed by `fitness init --baseline` from the layout of the code: today's "
        "violations are in the baseline, the backlog to work off."
        if proposal.broken
        else "# Proposed by `fitness init` from the code as it is today: tighten from here."
    )
    lines = ["[tool.fitness]", *_comment(header[2:], "# ")]
    for line in proposal.recognised:
        lines += _comment(line, "# recognised: ")
    if proposal.held_back:
        lines += _comment(
            f"not proposed, broken today: {'; '.join(proposal.held_back)} "
            "(`fitness init --baseline` adopts them, with today's violations in the baseline)",
            "# ",
        )
    lines.append(f"root_packages = {_toml_value(list(proposal.root_packages))}")
    if baseline:
        lines.append(f"baseline = {_toml_value(baseline)}")
    for note in proposal.notes:
        lines += _comment(note, "# note: ")
    for rule in proposal.rules:
        lines += ["", "[[tool.fitness.rules]]"]
        raw = rule.raw()
        tables = {k: v for k, v in raw.items() if isinstance(v, Mapping)}
        lines += [f"{k} = {_toml_value(v)}" for k, v in raw.items() if k not in tables]
        for key, table in tables.items():  # as the docs write them: a table per rule option
            lines += ["", f"[tool.fitness.rules.{key}]"]
            lines += [f"{_toml_key(k)} = {_inline(v)}" for k, v in table.items()]
    return newline.join(lines) + newline


def _comment(text: str, first: str) -> list[str]:
    """``text`` as comment lines of at most 88 characters."""
    return textwrap.wrap(
        text,
        width=88,
        initial_indent=first,
        subsequent_indent="#   ",
        break_on_hyphens=False,
        break_long_words=False,
    )
