"""``layers``: closed layers, exhaustive containers, siblings (beyond the core tests)."""

from __future__ import annotations

import pytest

from fitness.domain.errors import ConfigError
from fitness.domain.options import build_rule
from fitness.domain.rules import LayersRule
from tests.helpers import fake_graph, write_project

GRAPH = """
    app.ui.views -> app.services.orders
    app.ui.views -> app.models.order
    app.services.orders -> app.models.order
    app.models.order
"""


def rule(**options: object) -> LayersRule:
    return build_rule(LayersRule, {"name": "layers", **options})


def test_open_layers_may_be_skipped() -> None:
    assert rule(layers=["app.ui", "app.services", "app.models"]).result(fake_graph(GRAPH)).passed


def test_a_closed_layer_may_not_be_skipped_over() -> None:
    result = rule(
        layers=["app.ui", "app.services", "app.models"], closed_layers=["app.services"]
    ).result(fake_graph(GRAPH))
    [violation] = result.violations
    assert (violation.importer, violation.imported) == ("app.ui", "app.models")
    assert violation.summary == (
        "app.ui is not allowed to import app.models "
        "(it must go through the closed layer app.services)"
    )
    assert str(violation.chains[0]) == "app.ui.views -> app.models.order"
    assert violation.chains[0].links[0].location == "app/ui/views.py:2"
    assert "and not skip over app.services (closed)" in result.description


def test_closed_layers_in_containers_and_sibling_layers() -> None:
    graph = fake_graph(
        """
        app.one.ui -> app.one.low
        app.two.ui -> app.two.api
        app.two.api -> app.two.low
        """
    )
    result = rule(
        layers=["ui", "(api) | (rest)", "low"],
        containers=["app.one", "app.two"],
        closed_layers=["api | rest"],
    ).result(graph)
    assert [(v.importer, v.imported) for v in result.violations] == [("app.one.ui", "app.one.low")]


@pytest.mark.parametrize(
    ("closed", "message"),
    [
        ("app.servics", r"'app.servics' is not one of the layers; did you mean 'app.services'\?"),
        ("app.ui", "'app.ui' is the highest layer; closing it has no effect"),
        ("app.models", "'app.models' is the lowest layer; closing it has no effect"),
    ],
)
def test_bad_closed_layers(closed: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        rule(layers=["app.ui", "app.services", "app.models"], closed_layers=[closed])


def test_non_independent_siblings_may_import_each_other_but_not_upwards() -> None:
    graph = fake_graph("app.a -> app.b\napp.b -> app.a\napp.b -> app.top")
    result = rule(layers=["app.top", "app.a : app.b"]).result(graph)
    assert [(v.importer, v.imported) for v in result.violations] == [("app.b", "app.top")]
    result = rule(layers=["app.top", "app.a | app.b"]).result(graph)
    assert {(v.importer, v.imported) for v in result.violations} == {
        ("app.a", "app.b"),
        ("app.b", "app.a"),
        ("app.b", "app.top"),
    }


def test_exhaustive_with_ignores() -> None:
    graph = fake_graph("app.x.views -> app.x.models\napp.x.admin\napp.x.tests")
    result = rule(layers=["views", "models"], containers=["app.x"], exhaustive=True).result(graph)
    assert sorted(v.importer for v in result.violations) == ["app.x.admin", "app.x.tests"]
    assert (
        rule(
            layers=["views", "models"],
            containers=["app.x"],
            exhaustive=True,
            exhaustive_ignores=["admin", "tests"],
        )
        .result(graph)
        .passed
    )


CONFIG = """
    [tool.fitness]
    root_packages = ["app"]

    [[tool.fitness.rules]]
    name = "Layers"
    type = "layers"
    layers = ["app.ui", "app.services", "app.models"]
    closed_layers = [{closed}]
"""
FILES = {
    "app/__init__.py": "",
    "app/ui.py": "import app.services\nfrom app.models import Order\n",
    "app/services.py": "import app.models\n",
    "app/models.py": "Order = object\n",
}


def test_pytest_reports_a_skipped_closed_layer(pytester: pytest.Pytester) -> None:
    write_project(pytester.path, CONFIG.format(closed='"app.services"'), FILES)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "app.ui is not allowed to import app.models (it must go through the closed layer "
            "app.services):",
            "  app.ui -> app.models",
            "    app/ui.py:2  from app.models import Order",
        ]
    )


def test_pytest_passes_without_closed_layers(pytester: pytest.Pytester) -> None:
    write_project(pytester.path, CONFIG.format(closed=""), FILES)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_misspelt_closed_layer_is_one_failing_item(pytester: pytest.Pytester) -> None:
    write_project(pytester.path, CONFIG.format(closed='"app.service"'), FILES)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*pyproject.toml:8: *closed_layers: 'app.service' is not one of the layers; "
            "did you mean 'app.services'?"
        ]
    )
