"""``acyclic``: no cycles among the selected modules (slices)."""

from __future__ import annotations

import json

import pytest

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.options import build_rule
from fitness.domain.rules import AcyclicRule
from tests.helpers import fake_graph, write_project

GRAPH = """
    app.a.x -> app.b.y
    app.b.y -> app.c
    app.b.z -> app.a.w
    app.c -> app.a
    app.d -> app.a
"""


def rule(**options: object) -> AcyclicRule:
    return build_rule(AcyclicRule, {"name": "acyclic", **options})


def test_each_cycle_between_children_is_a_violation_shortest_first() -> None:
    result = rule(modules=["app"]).result(fake_graph(GRAPH))
    assert [v.summary for v in result.violations] == [
        "import cycle: app.a -> app.b -> app.a",
        "import cycle: app.a -> app.b -> app.c -> app.a",
    ]
    # One representative module-level import per package edge, with file and line.
    steps = [str(chain) for chain in result.violations[0].chains]
    assert steps == ["app.a.x -> app.b.y", "app.b.z -> app.a.w"]
    assert result.violations[0].chains[0].links[0].location == "app/a/x.py:1"


def test_the_imports_that_break_every_cycle_are_suggested() -> None:
    result = rule(modules=["app"]).result(fake_graph(GRAPH))
    assert result.details["cycle_breakers"] == [("app.a.x", "app.b.y")]
    assert "app.a.x -> app.b.y  (app/a/x.py:1)" in result.guidance


def test_the_cap_is_said_when_reached() -> None:
    result = rule(modules=["app"], max_cycles=1).result(fake_graph(GRAPH))
    assert len(result.violations) == 1
    assert result.violations[0].summary == "import cycle: app.a -> app.b -> app.a"
    [warning] = result.warnings
    assert "more than 1 cycles" in warning
    assert "app.a, app.b and app.c" in warning


def test_module_level_cycles_with_as_packages_false() -> None:
    graph = fake_graph(GRAPH + "app.b.y -> app.a.x\n")
    result = rule(modules=["app.**"], as_packages=False).result(graph)
    [violation] = result.violations
    assert violation.summary == "import cycle: app.a.x -> app.b.y -> app.a.x"
    assert [str(c) for c in violation.chains] == ["app.a.x -> app.b.y -> app.a.x"]
    assert len(result.details["cycle_breakers"]) == 1


def test_depth_slices_deeper() -> None:
    graph = fake_graph("app.a.x.m -> app.a.y\napp.a.y -> app.a.x.n\napp.b -> app.a")
    assert rule(modules=["app"]).result(graph).passed
    result = rule(modules=["app"], depth=3).result(graph)
    assert [v.summary for v in result.violations] == ["import cycle: app.a.x -> app.a.y -> app.a.x"]


def test_no_cycle_passes() -> None:
    assert rule(modules=["app.*"]).result(fake_graph("app.a -> app.b\napp.b -> app.c")).passed


def test_a_selection_of_fewer_than_two_modules_is_an_error() -> None:
    with pytest.raises(RuleError, match="a cycle needs at least two"):
        rule(modules=["app.a.*"]).result(fake_graph("app.a.x -> app.b"))


def test_bad_options() -> None:
    with pytest.raises(ConfigError, match="'max_cycles' must be 1 or more"):
        rule(modules=["app"], max_cycles=0)
    with pytest.raises(RuleError, match=r"did you mean 'app\.a'"):
        rule(modules=["app.aa"]).result(fake_graph(GRAPH))


def test_pytest_reports_the_cycle_with_files_and_lines(pytester: pytest.Pytester) -> None:
    write_project(
        pytester.path,
        """
        [tool.fitness]
        root_packages = ["app"]

        [[tool.fitness.rules]]
        name = "No cycles between packages"
        type = "acyclic"
        modules = ["app"]
        """,
        {
            "app/__init__.py": "",
            "app/orders/__init__.py": "",
            "app/orders/model.py": "import os\nfrom app.billing.invoice import Invoice\n",
            "app/billing/__init__.py": "",
            "app/billing/invoice.py": "from app.orders.model import Order\n",
        },
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "Modules in app must not import each other in a cycle.",
            "import cycle: app.billing -> app.orders -> app.billing:",
            "  app.billing.invoice -> app.orders.model -> app.billing.invoice",
            "    app/billing/invoice.py:1  from app.orders.model import Order",
            "    app/orders/model.py:2  from app.billing.invoice import Invoice",
            "*would break every cycle*",
            "  app.*.* -> app.*.*  (app/*/*.py:*)",
        ]
    )


def test_the_imports_that_break_every_cycle_are_listed_up_to_max_cycles() -> None:
    graph = fake_graph(
        """
        app.a -> app.b
        app.b -> app.a
        app.c -> app.d
        app.d -> app.c
        app.e -> app.f
        app.f -> app.e
        """
    )
    result = rule(modules=["app"], max_cycles=1).result(graph)
    breakers = result.details["cycle_breakers"]
    assert isinstance(breakers, list) and len(breakers) == 3  # the JSON report has all
    importer, imported = breakers[0]
    assert result.guidance.splitlines()[1:] == [
        "Removing these 3 imports would break every cycle (nominated by grimp):",
        f"  {importer} -> {imported}  (app/{importer[4:]}.py:1)",
        "  ... and 2 more (at most max_cycles = 1 are listed; the JSON report has them all)",
    ]


_MANY_CYCLES = """
import json
from fitness.domain.rules import AcyclicRule
from tests.helpers import fake_graph

# 12 modules that all import each other: thousands of cycles, 3 are shown.
names = [f"app.m{i:02}" for i in range(12)]
graph = fake_graph({a: [b for b in names if b != a] for a in names})
result = AcyclicRule(name="r", modules=["app"], max_cycles=3).result(graph)
print(json.dumps([v.summary for v in result.violations]))
"""


@pytest.mark.slow
def test_the_same_cycles_are_shown_under_any_hash_seed() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    shown = {
        subprocess.run(
            [sys.executable, "-c", _MANY_CYCLES],
            cwd=root,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(shown) == 1
    assert json.loads(shown.pop()) == [
        "import cycle: app.m00 -> app.m01 -> app.m00",
        "import cycle: app.m00 -> app.m02 -> app.m00",
        "import cycle: app.m00 -> app.m03 -> app.m00",
    ]
