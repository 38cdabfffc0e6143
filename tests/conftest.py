from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import copy_example


@pytest.fixture
def shop(pytester: pytest.Pytester) -> Path:
    """A fresh copy of examples/shop, as pytester's working directory."""
    target = copy_example("shop", pytester.path)
    pytester.chdir()
    import os

    os.chdir(target)
    return target
