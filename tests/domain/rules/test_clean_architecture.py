"""``clean_architecture``: Martin's rings, dependencies pointing inwards, frameworks outside."""

from __future__ import annotations

import pytest

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.options import build_rule
from fitness.domain.rendering import render_failure
from fitness.domain.rules.styles.clean_architecture import CleanArchitectureRule
from tests.helpers import fake_graph

CLEAN = """
    app.main -> app.frameworks.web
    app.frameworks.web -> flask
    app.frameworks.web -> app.adapters.controllers
    app.frameworks.db -> sqlalchemy
    app.frameworks.db -> app.adapters.gateways
    app.adapters.controllers -> app.use_cases.place_order
    app.adapters.gateways -> app.use_cases.ports
    app.use_cases.place_order -> app.use_cases.ports
    app.use_cases.place_order -> app.entities.order
    app.use_cases.ports -> app.entities.order
    app.entities.order -> dataclasses
    app.entities.order -> decimal
    app.util.text -> re
"""

RINGS = ["app.entities", "app.use_cases", "app.adapters", "app.frameworks"]


def rule(**options: object) -> CleanArchitectureRule:
    return build_rule(CleanArchitectureRule, {"name": "Clean", "rings": RINGS, **options})


def summaries(extra: str, **options: object) -> list[str]:
    graph = fake_graph(CLEAN + extra, roots=("app",), external=True)
    return [v.summary for v in rule(**options).result(graph).violations]


def test_rings_whose_dependencies_point_inwards_pass() -> None:
    assert summaries("") == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "app.entities.order -> app.use_cases.place_order",
            "the entities ring must not know the use cases ring (app.entities -> "
            "app.use_cases): dependencies point inwards; invert it with an interface in the "
            "entities ring",
        ),
        (
            "app.use_cases.place_order -> app.adapters.gateways",
            "the use cases ring must not know the interface adapters ring (app.use_cases -> "
            "app.adapters): dependencies point inwards; invert it with an interface in the "
            "use cases ring",
        ),
        (
            "app.adapters.controllers -> app.frameworks.web",
            "the interface adapters ring must not know the frameworks and drivers ring "
            "(app.adapters -> app.frameworks): dependencies point inwards; invert it with an "
            "interface in the interface adapters ring",
        ),
        (
            "app.entities.order -> sqlalchemy",
            "the entities ring imports the framework sqlalchemy (app.entities -> sqlalchemy): "
            "frameworks belong in the outermost ring, behind an interface of an inner ring",
        ),
        (
            "app.adapters.controllers -> flask",
            "the interface adapters ring imports the framework flask (app.adapters -> flask): "
            "frameworks belong in the outermost ring, behind an interface of an inner ring",
        ),
    ],
)
def test_each_broken_principle_is_said_in_the_rings_words(extra: str, expected: str) -> None:
    assert summaries(extra) == [expected]


def test_a_framework_reached_through_a_helper_outside_the_rings_is_reported_with_its_chain() -> (
    None
):
    graph = fake_graph(
        CLEAN + "app.entities.order -> app.util.http\napp.util.http -> requests",
        roots=("app",),
        external=True,
    )
    [violation] = rule().result(graph).violations
    assert [str(c) for c in violation.chains] == ["app.entities.order -> app.util.http -> requests"]


def test_a_framework_reached_through_another_ring_is_that_rings_violation_only() -> None:
    assert summaries("app.use_cases.ports -> httpx") == [
        "the use cases ring imports the framework httpx (app.use_cases -> httpx): frameworks "
        "belong in the outermost ring, behind an interface of an inner ring"
    ]


def test_the_framework_list_replaces_the_default() -> None:
    assert summaries("app.entities.order -> attr", frameworks=["attr"]) == [
        "the entities ring imports the framework attr (app.entities -> attr): frameworks "
        "belong in the outermost ring, behind an interface of an inner ring"
    ]
    assert summaries("app.entities.order -> sqlalchemy", frameworks=["attr"]) == []


def test_the_outermost_ring_may_import_any_framework() -> None:
    assert summaries("app.frameworks.web -> requests\napp.frameworks.web -> django") == []


def test_rings_other_than_four_are_named_by_their_modules_or_ring_names() -> None:
    three = ["app.entities", "app.use_cases", "app.adapters | app.frameworks"]
    assert summaries("app.entities.order -> app.use_cases.ports", rings=three) == [
        "the ring app.entities must not know the ring app.use_cases (app.entities -> "
        "app.use_cases): dependencies point inwards; invert it with an interface in the ring "
        "app.entities"
    ]
    named = summaries(
        "app.entities.order -> app.use_cases.ports",
        rings=three,
        ring_names=["domain", "application", "infrastructure"],
    )
    assert named == [
        "the domain ring must not know the application ring (app.entities -> app.use_cases): "
        "dependencies point inwards; invert it with an interface in the domain ring"
    ]


def test_modules_of_one_ring_may_import_each_other() -> None:
    three = ["app.entities", "app.use_cases", "app.adapters | app.frameworks"]
    assert summaries("app.adapters.gateways -> app.frameworks.db", rings=three) == []


def test_the_failure_message_starts_with_the_rings_from_the_centre_outwards() -> None:
    graph = fake_graph(
        CLEAN + "app.entities.order -> app.use_cases.ports", roots=("app",), external=True
    )
    message = render_failure(rule(adr="docs/adr/0002-clean.md").result(graph))
    assert message.splitlines()[:7] == [
        "Clean architecture, from the centre outwards: entities (app.entities), use cases "
        "(app.use_cases), interface adapters (app.adapters), frameworks and drivers "
        "(app.frameworks); dependencies point inwards only, and frameworks are imported only "
        "in the outermost ring.",
        "",
        "Decision record: docs/adr/0002-clean.md",
        "",
        "the entities ring must not know the use cases ring (app.entities -> app.use_cases): "
        "dependencies point inwards; invert it with an interface in the entities ring:",
        "  app.entities.order -> app.use_cases.ports",
        "    app/entities/order.py:3  import app.use_cases.ports",
    ]
    assert message.splitlines()[-1].startswith("How to fix: Make the dependency point inwards")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rings": ["app.entities"]}, "option 'rings' must name at least two rings"),
        ({"ring_names": ["a", "b"]}, "option 'ring_names' names 2 rings, 'rings' has 4"),
    ],
)
def test_unusable_rings_are_configuration_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        rule(**options)


def test_a_ring_inside_another_cannot_be_checked() -> None:
    graph = fake_graph(CLEAN, roots=("app",), external=True)
    with pytest.raises(RuleError) as error:
        rule(rings=["app.entities", "app.entities.order"]).result(graph)
    assert str(error.value) == (
        "rings: 'app.entities.order' (the ring app.entities.order) is inside 'app.entities' "
        "(the ring app.entities); each module belongs to one ring"
    )


def test_a_module_in_two_rings_names_both() -> None:
    """Found on Django: "'django.utils' overlaps 'django.utils'" did not say where."""
    graph = fake_graph(CLEAN, roots=("app",), external=True)
    with pytest.raises(RuleError) as error:
        rule(
            rings=["app.entities", "app.use_cases | app.entities", "app.adapters", "app.frameworks"]
        ).result(graph)
    assert str(error.value) == (
        "rings: 'app.entities' is in the entities ring and in the use cases ring; each "
        "module belongs to one ring"
    )


def test_a_misspelt_ring_names_the_closest_module() -> None:
    graph = fake_graph(CLEAN, roots=("app",), external=True)
    with pytest.raises(RuleError, match="module 'app.entitys' is not in the graph; did you mean"):
        rule(rings=["app.entitys", "app.use_cases"]).result(graph)


# The composition root (issue 21) ------------------------------------------------------------


def test_a_chain_through_the_composition_root_is_not_an_outward_dependency() -> None:
    extra = "app.frameworks.web -> app.main\napp.main -> app.use_cases.place_order\n"
    assert summaries("app.use_cases.place_order -> app.main", composition_root="app.main") == [
        "the use cases ring must not depend on the composition root app.main "
        "(app.use_cases -> app.main): it wires the rings together from the "
        "outside; only the frameworks and drivers ring (the entry points) may import it"
    ]
    assert summaries(extra, composition_root="app.main") == [
        "app.frameworks.web imports the composition root app.main, which wires it in: a "
        "driven adapter must not know what wires it (only the driving adapters, the entry "
        "points, may import it)"
    ]
    assert summaries("app.frameworks.db -> app.main", composition_root="app.main") == []
