from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import copy_example


@pytest.fixture(autouse=True)
def _fixed_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inner pytest runs lay out their output for the same width on every machine.

    pytest cuts the short test summary to the terminal's width, which CI
    machines and developers' terminals do not share.
    """
    monkeypatch.setenv("COLUMNS", "160")


@pytest.fixture
def shop(pytester: pytest.Pytester) -> Path:
    """A fresh copy of examples/shop, as pytester's working directory."""
    target = copy_example("shop", pytester.path)
    pytester.chdir()
    import os

    os.chdir(target)
    return target
