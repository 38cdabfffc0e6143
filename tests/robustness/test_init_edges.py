"""`fitness init --force` on generated pyproject.toml files: only ``tool.fitness`` changes.

The corpus runs ``fitness check``; these cases are about the file ``init`` edits.
Documents are generated from tables, array tables, dotted keys, comments, blank
lines and every kind of string and array (multi-line ones containing text that
looks like a ``[tool.fitness]`` header), with and without ``tool.fitness``.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fitness.adapters.toml_edit import fitness_spans, replace_fitness, statements

PROFILE = settings.get_profile("fitness-robustness")

BLOCK = '[tool.fitness]\nroot_packages = ["new"]\n\n[[tool.fitness.rules]]\nname = "n"\n'

LOOKS_LIKE_A_HEADER = ("[tool.fitness]", "[[tool.fitness.rules]]", "# [tool.fitness]", "x = 1")

values = st.one_of(
    st.integers(-5, 5).map(str),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.just("1979-05-27 07:32:00Z"),
    st.text(st.sampled_from("ab[]#\"\\ '="), max_size=6).map(
        lambda s: json.dumps(s, ensure_ascii=True)
    ),
    st.text(st.sampled_from('ab[]#" ='), max_size=6).map(lambda s: f"'{s}'"),
    st.lists(st.sampled_from(LOOKS_LIKE_A_HEADER), max_size=3).map(
        lambda lines: '"""\n' + "\n".join(lines) + '\n"""'
    ),
    st.lists(st.sampled_from(LOOKS_LIKE_A_HEADER), max_size=3).map(
        lambda lines: "'''\n" + "\n".join(lines) + "\n'''"
    ),
    st.lists(st.sampled_from(['"a"', "1", "[2, 3]", "{k = 'v]'}"]), max_size=3).map(
        lambda items: "[ # ]\n  " + ",\n  ".join(items) + "\n]"
    ),
)
extras = st.sampled_from(["", "\n", "# a comment\n", "\n# [tool.fitness]\n", "  \n"])
keys = st.sampled_from(["a", "b", '"q.k"', "c.d", "fitness.x", "fitness"])
HEADERS = [
    "[project]",
    "[tool]",
    "[tool.ruff]",
    "[tool.fitness]",
    "[ tool . fitness ]",
    "[[tool.fitness.rules]]",
    "[tool.fitness.extra]",
    "[[other]]",
]


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = [draw(extras)]
    for key in draw(st.lists(keys, max_size=2, unique=True)):
        parts.append(f"{key} = {draw(values)}  {draw(st.sampled_from(['', '# c']))}\n")
    for header in draw(st.lists(st.sampled_from(HEADERS), max_size=5)):
        parts += [draw(extras), header + draw(st.sampled_from(["", "  # h"])) + "\n"]
        for key in draw(st.lists(keys, max_size=3, unique=True)):
            parts.append(f"{key} = {draw(values)}\n")
            parts.append(draw(extras))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return "".join(parts).replace("\n", newline)


def _without_fitness(data: dict[str, Any]) -> dict[str, Any]:
    tool = data.get("tool")
    if isinstance(tool, dict):
        tool.pop("fitness", None)
        if not tool:
            data.pop("tool")
    return data


@settings(parent=PROFILE)
@given(documents())
def test_only_tool_fitness_changes_and_every_other_statement_keeps_its_bytes(text: str) -> None:
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assume(False)
        return
    block = BLOCK.replace("\n", "\r\n") if "\r\n" in text else BLOCK
    new = replace_fitness(text, block)

    after = tomllib.loads(new)
    assert after["tool"]["fitness"] == tomllib.loads(BLOCK)["tool"]["fitness"]
    assert _without_fitness(after) == _without_fitness(before)
    # byte for byte: every line outside the removed spans is there, in order (only the
    # blank lines that followed a removed part may go with it)
    outside = text
    for start, end, _ in reversed(fitness_spans(text)):
        outside = outside[:start] + outside[end:]
    remaining = iter(new.splitlines(keepends=True))
    assert all(line in remaining for line in outside.splitlines(keepends=True) if line.strip())
    assert [
        text[s.start : s.end] for s in statements(text) if s.key[:2] != ("tool", "fitness")
    ] == [new[s.start : s.end] for s in statements(new) if s.key[:2] != ("tool", "fitness")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '[tool]\nfitness = { root_packages = ["old"] }\nother = 1\n',
            "[tool]\nother = 1\n\n" + BLOCK,
            id="an inline table is removed, the new block appended",
        ),
        pytest.param(
            'tool.fitness.root_packages = ["old"]\n[a]\nb = 1\n',
            "[a]\nb = 1\n\n" + BLOCK,
            id="a dotted key at the top is removed",
        ),
        pytest.param(
            "[tool.fitness]\nroot_packages = []\n\n\n[[tool.fitness.rules]]\nname = 'x'\n",
            BLOCK,
            id="tables side by side are one span",
        ),
        pytest.param(
            "[a]\n[tool.fitness]\nroot_packages = []\n# about b\n[b]\n"
            '[[tool.fitness.rules]]\nname = "x"\n\n[c]\n',
            "[a]\n" + BLOCK + "# about b\n[b]\n[c]\n",
            id="scattered parts: the first replaced in place, the others removed",
        ),
    ],
)
def test_every_way_to_write_tool_fitness_is_replaced(text: str, expected: str) -> None:
    assert replace_fitness(text, BLOCK) == expected
