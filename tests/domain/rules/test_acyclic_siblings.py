"""``acyclic_siblings``: the children of each package form no import cycle."""

from __future__ import annotations

import pytest

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.options import build_rule
from fitness.domain.rules import AcyclicSiblingsRule
from tests.helpers import fake_graph, write_project

GRAPH = """
    app.a.x -> app.b.y
    app.b.y -> app.a.z
    app.b.y -> app.b.w
    app.b.w -> app.b.y
    app.c
"""


def rule(**options: object) -> AcyclicSiblingsRule:
    return build_rule(AcyclicSiblingsRule, {"name": "acyclic", **options})


def test_a_cycle_between_children_is_reported_with_the_imports_that_break_it() -> None:
    result = rule(ancestors=["app"], depth=0).result(fake_graph(GRAPH))
    [violation] = result.violations
    assert "closes a cycle among the children of app" in violation.summary
    links = [link for chain in violation.chains for link in chain.links]
    assert len(links) == 1
    assert links[0].location in ("app/a/x.py:1", "app/b/y.py:1")


def test_depth_reaches_the_cycles_further_down() -> None:
    result = rule(ancestors=["app"], depth=1).result(fake_graph(GRAPH))
    packages = {v.summary.split("children of ")[1].split(";")[0] for v in result.violations}
    assert packages == {"app", "app.b"}


def test_skipped_descendants_are_not_drilled_into() -> None:
    result = rule(ancestors=["app"], skip_descendants=["app.b"]).result(fake_graph(GRAPH))
    assert len(result.violations) == 1


def test_an_ancestor_cannot_be_skipped() -> None:
    with pytest.raises(ConfigError, match="cannot skip 'app', it is also an ancestor"):
        rule(ancestors=["app"], skip_descendants=["app"])


def test_a_missing_ancestor_is_an_error() -> None:
    with pytest.raises(RuleError, match=r"did you mean 'app\.b'"):
        rule(ancestors=["app.bb"]).result(fake_graph(GRAPH))


def test_pytest_shows_the_cycle_breaking_import(pytester: pytest.Pytester) -> None:
    write_project(
        pytester.path,
        """
        [tool.fitness]
        root_packages = ["app"]

        [[tool.fitness.rules]]
        name = "No cycles between siblings"
        type = "acyclic_siblings"
        ancestors = ["app"]
        """,
        {
            "app/__init__.py": "",
            "app/orders.py": "import app.billing\nimport app.billing\n",
            "app/billing.py": "import os\n\nimport app.orders\n",
            "app/billing_extra.py": "from app import billing, orders\n",
        },
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "The children of app and their descendants 10 levels down must not form import cycles.",
            "app.* -> app.* closes a cycle among the children of app; removing 1 import would*",
            "    app/*.py:*  import app.*",
        ]
    )
