"""However the mistakes of a configuration are combined, each is reported once, at its
own line, in the order of the file: one run shows them all."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from fitness.cli import main
from tests.cli.test_bad_input import project

#: Rule tables with one mistake each, and what the error line says.
MISTAKES = {
    "unknown option": (
        'name = "a"\ntype = "independence"\nmodulez = ["shop.domain"]\n',
        "unknown option 'modulez'; did you mean 'modules'?",
    ),
    "unknown type": (
        'name = "b"\ntype = "forbiden"\n',
        "unknown rule type 'forbiden'; did you mean 'forbidden'?",
    ),
    "wrong type": (
        'name = "c"\ntype = "layers"\nlayers = ["shop.application", "shop.domain"]\n'
        "exhaustive = 2\n",
        "option 'exhaustive' must be true or false, not an integer (2)",
    ),
    "missing option": (
        'name = "d"\ntype = "forbidden"\nsource_modules = ["shop.domain"]\n',
        "missing required option 'forbidden_modules'",
    ),
}

COMBINATIONS = [
    combination
    for size in range(1, len(MISTAKES) + 1)
    for combination in itertools.combinations(sorted(MISTAKES), size)
]


@pytest.mark.parametrize("kinds", COMBINATIONS, ids=["+".join(c) for c in COMBINATIONS])
def test_each_mistake_is_reported_once_at_its_line_in_file_order(
    kinds: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = "".join(f"\n[[tool.fitness.rules]]\n{MISTAKES[kind][0]}" for kind in kinds)
    root = project(tmp_path, f'[tool.fitness]\nroot_packages = ["shop"]\n{tables}')

    code = main(["check", "--config", str(root / "pyproject.toml")])
    err = capsys.readouterr().err

    assert code == 2
    lines = err.splitlines()
    assert len(lines) == len(kinds), err
    for line, kind in zip(lines, kinds, strict=True):
        assert MISTAKES[kind][1] in line, line
    numbers = [int(re.search(r"pyproject\.toml:(\d+): ", line).group(1)) for line in lines]  # type: ignore[union-attr]
    assert numbers == sorted(numbers)
