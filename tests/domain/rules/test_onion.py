"""``onion``: ArchUnit's onionArchitecture(), its layers and verdicts, in the onion's words."""

from __future__ import annotations

import pytest

from fitness.domain.config import parse_config
from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.options import build_rule
from fitness.domain.rules import builtin_rule_types
from fitness.domain.rules.styles.onion import OnionRule
from tests.helpers import fake_graph

# ArchUnit's example onion (archunit-example, onionarchitecture), in Python.
ONION = """
    shop.main -> shop.adapter.cli.administration
    shop.main -> shop.adapter.persistence.repository
    shop.adapter.cli.administration -> shop.application.shopping
    shop.adapter.persistence.repository -> shop.domain.model.product
    shop.adapter.persistence.repository -> shop.domain.service.ports
    shop.adapter.persistence.repository -> sqlalchemy
    shop.adapter.rest.api -> shop.application.shopping
    shop.adapter.rest.api -> flask
    shop.application.shopping -> shop.domain.service.cart
    shop.domain.service.cart -> shop.domain.service.ports
    shop.domain.service.cart -> shop.domain.model.product
    shop.domain.service.ports -> shop.domain.model.product
    shop.domain.model.product -> decimal
"""

OPTIONS = {
    "domain_models": ["shop.domain.model"],
    "domain_services": ["shop.domain.service"],
    "application_services": ["shop.application"],
    "adapters": {
        "cli": "shop.adapter.cli",
        "persistence": "shop.adapter.persistence",
        "rest": ["shop.adapter.rest"],
    },
}


def rule(**options: object) -> OnionRule:
    return build_rule(OnionRule, {"name": "Onion", **OPTIONS, **options})


def summaries(extra: str, **options: object) -> list[str]:
    graph = fake_graph(ONION + extra, roots=("shop",), external=True)
    return [v.summary for v in rule(**options).result(graph).violations]


def test_archunits_example_onion_passes() -> None:
    assert summaries("") == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "shop.domain.model.product -> shop.domain.service.cart",
            "the domain models must not depend on the domain services (shop.domain.model -> "
            "shop.domain.service): dependencies point to the centre of the onion",
        ),
        (
            "shop.domain.service.cart -> shop.application.shopping",
            "the domain services must not depend on the application services "
            "(shop.domain.service -> shop.application): dependencies point to the centre of "
            "the onion",
        ),
        (
            "shop.application.shopping -> shop.adapter.persistence.repository",
            "the application services must not depend on the adapters (shop.application -> "
            "shop.adapter.persistence): dependencies point to the centre; declare an "
            "interface in the application services and let the adapter implement it",
        ),
        (
            "shop.adapter.cli.administration -> shop.adapter.persistence.repository",
            "adapter 'cli' depends on adapter 'persistence' (shop.adapter.cli -> "
            "shop.adapter.persistence): adapters are independent of each other; go through "
            "the application services",
        ),
        (
            "shop.domain.service.cart -> requests",
            "the domain services import the framework requests (shop.domain.service -> "
            "requests): frameworks belong in the adapters",
        ),
    ],
)
def test_each_broken_principle_is_said_in_the_onions_words(extra: str, expected: str) -> None:
    assert summaries(extra) == [expected]


def test_a_chain_through_a_third_adapter_is_reported_once_as_each_adapters_import() -> None:
    extra = (
        "shop.adapter.cli.administration -> shop.adapter.rest.api\n"
        "shop.adapter.rest.api -> shop.adapter.persistence.repository"
    )
    assert summaries(extra) == [
        "adapter 'cli' depends on adapter 'rest' (shop.adapter.cli -> shop.adapter.rest): "
        "adapters are independent of each other; go through the application services",
        "adapter 'rest' depends on adapter 'persistence' (shop.adapter.rest -> "
        "shop.adapter.persistence): adapters are independent of each other; go through the "
        "application services",
    ]


def test_the_inner_layers_are_optional_as_in_archunit() -> None:
    assert summaries(
        "shop.domain.model.product -> shop.application.shopping",
        domain_services=[],
        domain_models=["shop.domain"],
    ) == [
        "the domain models must not depend on the application services (shop.domain -> "
        "shop.application): dependencies point to the centre of the onion"
    ]


def test_the_composition_root_outside_the_onion_is_not_checked() -> None:
    assert summaries("shop.main -> shop.adapter.rest.api\nshop.main -> flask") == []


def test_the_description_lists_the_layers_as_archunit_does() -> None:
    assert rule().description == (
        "Onion architecture consisting of domain models (shop.domain.model), domain services "
        "(shop.domain.service), application services (shop.application), adapter 'cli' "
        "(shop.adapter.cli), adapter 'persistence' (shop.adapter.persistence), adapter 'rest' "
        "(shop.adapter.rest): dependencies point to the centre, the adapters are independent "
        "of each other, and frameworks are imported only in the adapters"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"domain_models": [], "domain_services": [], "application_services": []},
            "declare at least one of 'domain_models', 'domain_services' and 'application_services'",
        ),
        ({"adapters": {}}, "option 'adapters' must name at least one adapter"),
    ],
)
def test_an_onion_without_layers_is_a_configuration_error(
    options: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        rule(**options)
    assert raised.value.message.startswith(message)


def test_an_adapter_given_as_a_number_names_the_key() -> None:
    table = {
        "root_packages": ["shop"],
        "rules": [{"name": "Onion", "type": "onion", **OPTIONS, "adapters": {"cli": 3}}],
    }
    types = {cls.type_name: cls for cls in builtin_rule_types()}
    with pytest.raises(ConfigError) as raised:
        parse_config(table, types)
    assert raised.value.message == (
        "[[tool.fitness.rules]] #1 ('Onion'): option 'adapters.cli' must be a string or a "
        "list of strings, not an integer (3)"
    )


def test_an_import_into_an_adapter_of_several_packages_is_one_violation() -> None:
    extra = (
        "shop.adapter.persistence.repository -> shop.adapter.rest.api\n"
        "shop.adapter.rest.api -> shop.adapter.http.client"
    )
    adapters = {**OPTIONS["adapters"], "rest": ["shop.adapter.rest", "shop.adapter.http"]}  # type: ignore[dict-item]
    assert summaries(extra, adapters=adapters) == [
        "adapter 'persistence' depends on adapter 'rest' (shop.adapter.persistence -> "
        "shop.adapter.rest): adapters are independent of each other; go through the "
        "application services"
    ]


def test_a_list_of_adapters_makes_each_module_an_adapter_named_by_itself() -> None:
    extra = "shop.adapter.cli.administration -> shop.adapter.rest.api"
    assert summaries(extra, adapters=["shop.adapter.*"]) == [
        "adapter 'shop.adapter.cli' depends on adapter 'shop.adapter.rest' (shop.adapter.cli "
        "-> shop.adapter.rest): adapters are independent of each other; go through the "
        "application services"
    ]
    assert rule(adapters=["shop.adapter.*"]).description.startswith(
        "Onion architecture consisting of domain models (shop.domain.model), domain services "
        "(shop.domain.service), application services (shop.application), the adapters "
        "shop.adapter.*: dependencies point to the centre"
    )


def test_siblings_written_as_in_layers_are_refused_with_the_list_to_write() -> None:
    with pytest.raises(ConfigError) as raised:
        rule(application_services=["shop.application | shop.jobs"])
    assert raised.value.message == (
        "option 'application_services': 'shop.application | shop.jobs' is not a module; a "
        'layer of several modules lists them: application_services = ["shop.application", '
        '"shop.jobs"]'
    )


def test_a_module_in_two_layers_names_both_in_the_onions_words() -> None:
    graph = fake_graph(ONION, roots=("shop",), external=True)
    with pytest.raises(RuleError) as error:
        rule(application_services=["shop.application", "shop.domain.model.product"]).result(graph)
    assert str(error.value) == (
        "application_services: 'shop.domain.model.product' (the application services) is "
        "inside 'shop.domain.model' (the domain models); each module belongs to one layer"
    )
    with pytest.raises(RuleError) as error:
        rule(application_services=["shop.application", "shop.domain.model"]).result(graph)
    assert str(error.value) == (
        "application_services: 'shop.domain.model' is in the domain models and in the "
        "application services; each module belongs to one layer"
    )


# The composition root (issue 21) ------------------------------------------------------------


def test_chains_through_the_composition_root_are_no_dependency_between_adapters() -> None:
    wiring = "shop.adapter.rest.api -> shop.main\n"  # the entry point starts it
    assert summaries(wiring) == [
        "adapter 'rest' depends on adapter 'cli' (shop.adapter.rest -> shop.adapter.cli): "
        "adapters are independent of each other; go through the application services",
        "adapter 'rest' depends on adapter 'persistence' (shop.adapter.rest -> "
        "shop.adapter.persistence): adapters are independent of each other; go through the "
        "application services",
    ]
    assert summaries(wiring, composition_root="shop.main") == []
    assert summaries(wiring, composition_root=["shop.main"]) == []


def test_an_inner_layer_may_not_depend_on_the_composition_root() -> None:
    assert summaries("shop.application.shopping -> shop.main", composition_root="shop.main") == [
        "the application services must not depend on the composition root shop.main "
        "(shop.application -> shop.main): it wires the layers together from the "
        "outside; only the adapters (the entry points) may import it"
    ]


def test_an_adapter_the_composition_root_wires_in_may_not_import_it() -> None:
    assert summaries(
        "shop.adapter.persistence.repository -> shop.main", composition_root="shop.main"
    ) == [
        "shop.adapter.persistence.repository imports the composition root shop.main, which "
        "wires it in: a driven adapter must not know what wires it (only the driving "
        "adapters, the entry points, may import it)"
    ]


def test_the_composition_root_is_outside_every_layer() -> None:
    graph = fake_graph(ONION, roots=("shop",), external=True)
    with pytest.raises(RuleError) as raised:
        rule(composition_root="shop.application.shopping").result(graph)
    assert str(raised.value) == (
        "composition_root: 'shop.application.shopping' overlaps 'shop.application' (the "
        "application services); the composition root is outside every layer"
    )
    assert rule(composition_root="shop.main").description.endswith(
        "frameworks are imported only in the adapters; shop.main, the composition root, "
        "wires them from outside"
    )
