from __future__ import annotations

import sys
from collections.abc import Iterator
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


@pytest.fixture(autouse=True)
def _cache_key_outside_the_projects(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache key (fitness/adapters/cache_store.py) in a directory of the test run's
    own, outside every project a test writes, whatever HOME is (pytester sets it to
    the inner run's directory, which is often the project's)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
    monkeypatch.delenv("FITNESS_CACHE_KEY", raising=False)
    monkeypatch.delenv("FITNESS_CACHE_DIR", raising=False)


@pytest.fixture
def shop(pytester: pytest.Pytester) -> Path:
    """A fresh copy of examples/shop, as pytester's working directory."""
    target = copy_example("shop", pytester.path)
    pytester.chdir()
    import os

    os.chdir(target)
    return target


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory on ``sys.path`` for fake distributions; imported modules forgotten after."""
    directory = tmp_path / "site-packages"
    directory.mkdir()
    monkeypatch.syspath_prepend(str(directory))
    before = set(sys.modules)
    yield directory
    for name in set(sys.modules) - before:
        del sys.modules[name]
