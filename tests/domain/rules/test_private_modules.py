"""``private_modules``: a module named ``_x`` is private to its parent package."""

from __future__ import annotations

import pytest

from fitness.domain.errors import ConfigError
from fitness.domain.options import build_rule
from fitness.domain.rules import PrivateModulesRule
from fitness.domain.rules.imports.private_modules import parent_of_innermost_private
from tests.helpers import fake_graph, write_project

GRAPH = """
    app.api -> app.db._engine
    app.db.session -> app.db._engine
    app.db.inner.x -> app.db._engine.pool
    app.cli -> app.__main__
    app.cli -> app.db._engine.pool
"""


def rule(**options: object) -> PrivateModulesRule:
    return build_rule(PrivateModulesRule, {"name": "private", **options})


@pytest.mark.parametrize(
    ("module", "parent"),
    [
        ("app.db._engine", "app.db"),
        ("app.db._engine.pool", "app.db"),
        ("app._a.b._c", "app._a.b"),
        ("app.__main__", None),
        ("_app.x", None),
        ("app.db", None),
    ],
)
def test_the_parent_of_the_innermost_private_module(module: str, parent: str | None) -> None:
    assert parent_of_innermost_private(module) == parent


def test_imports_from_outside_the_parent_package_are_violations() -> None:
    result = rule().result(fake_graph(GRAPH))
    assert {(v.importer, v.imported) for v in result.violations} == {
        ("app.api", "app.db._engine"),
        ("app.cli", "app.db._engine.pool"),
    }
    violation = result.violations[0]
    assert "(private to app.db)" in violation.summary
    assert violation.chains[0].links[0].location == "app/api.py:1"


def test_only_the_listed_packages_are_checked() -> None:
    assert (
        rule(packages_with_private_modules=["app.other"])
        .result(fake_graph(GRAPH + "app.other.y\n"))
        .passed
    )


def test_a_private_package_cannot_be_listed() -> None:
    with pytest.raises(ConfigError, match=r"'app\._x' is private or inside a private module"):
        rule(packages_with_private_modules=["app._x"])


def test_pytest_fails_with_file_and_line(pytester: pytest.Pytester) -> None:
    write_project(
        pytester.path,
        """
        [tool.fitness]
        root_packages = ["app"]

        [[tool.fitness.rules]]
        name = "Private modules stay private"
        type = "private_modules"
        """,
        {
            "app/__init__.py": "",
            "app/db/__init__.py": "from app.db import _engine\n",
            "app/db/_engine.py": "",
            "app/api.py": "import os\nfrom app.db._engine import connect\n",
        },
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "app.api is not allowed to import app.db._engine (private to app.db):",
            "    app/api.py:2  from app.db._engine import connect",
        ]
    )
