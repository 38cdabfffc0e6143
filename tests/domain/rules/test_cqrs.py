"""``cqrs``: queries never reach the command side, commands never reach the query side."""

from __future__ import annotations

import pytest

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.options import build_rule
from fitness.domain.rules import CqrsRule
from tests.helpers import fake_graph

CLEAN = """
    svc.commands.place -> svc.write_model.orders
    svc.commands.place -> svc.domain.money
    svc.write_model.orders -> svc.domain.money
    svc.queries.listing -> svc.read_model.views
    svc.queries.listing -> svc.domain.money
    svc.read_model.views -> svc.domain.money
    svc.api -> svc.commands.place
    svc.api -> svc.queries.listing
"""

OPTIONS = {
    "commands": ["svc.commands"],
    "queries": ["svc.queries"],
    "read_model": ["svc.read_model"],
    "write_model": ["svc.write_model"],
    "domain": ["svc.domain"],
}


def rule(**options: object) -> CqrsRule:
    return build_rule(CqrsRule, {"name": "cqrs", **OPTIONS, **options})


def summaries(extra: str = "", **options: object) -> list[str]:
    graph = fake_graph(CLEAN + extra, roots=("svc",))
    return [v.summary for v in rule(**options).result(graph).violations]


def test_two_sides_that_share_only_the_domain_pass() -> None:
    assert summaries() == []


def test_queries_must_not_import_commands() -> None:
    assert summaries("svc.queries.listing -> svc.commands.place") == [
        "the query side svc.queries imports the command side svc.commands: queries must not "
        "import commands: read from the read model (svc.read_model)"
    ]


def test_queries_must_not_read_the_write_model() -> None:
    assert summaries("svc.queries.listing -> svc.write_model.orders") == [
        "the query side svc.queries reads the write model svc.write_model: queries must not "
        "touch the write model: read from the read model (svc.read_model)"
    ]


def test_commands_must_not_import_queries() -> None:
    assert summaries("svc.commands.place -> svc.queries.listing") == [
        "the command side svc.commands imports the query side svc.queries: commands must not "
        "import queries: decide on the write model (svc.write_model), not on what a query "
        "returns"
    ]


def test_commands_must_not_read_the_read_model() -> None:
    assert summaries("svc.commands.place -> svc.read_model.views") == [
        "the command side svc.commands reads the read model svc.read_model: the read model is "
        "the queries' and lags behind the writes: decide on the write model (svc.write_model)"
    ]


def test_the_shared_domain_knows_neither_side_and_its_breach_is_reported_once() -> None:
    # The queries reach the write model through the domain too: that is the domain's
    # breach, reported once, where it is made.
    assert summaries("svc.domain.money -> svc.write_model.orders") == [
        "the shared domain svc.domain imports the write model svc.write_model: both sides use "
        "the domain, so it may know neither; move this code out of the domain, to the side "
        "that needs it"
    ]


def test_a_chain_through_the_other_side_is_reported_once() -> None:
    graph = fake_graph(CLEAN + "svc.queries.listing -> svc.commands.place", roots=("svc",))
    [violation] = rule().result(graph).violations
    # queries -> commands -> write model: reported as reaching the commands, not again
    # as reaching the write model.
    assert [str(c) for c in violation.chains] == ["svc.queries.listing -> svc.commands.place"]
    assert violation.chains[0].links[0].location == "svc/queries/listing.py:3"


def test_a_chain_around_the_other_side_is_not_hidden_behind_one_through_it() -> None:
    graph = fake_graph(
        CLEAN
        + """
        svc.queries.listing -> svc.commands.place
        svc.queries.listing -> svc.helpers
        svc.helpers -> svc.cache
        svc.cache -> svc.write_model.orders
        """,
        roots=("svc",),
    )
    chains = {v.imported: [str(c) for c in v.chains] for v in rule().result(graph).violations}
    assert chains == {
        "svc.commands": ["svc.queries.listing -> svc.commands.place"],
        "svc.write_model": [
            "svc.queries.listing -> svc.helpers -> svc.cache -> svc.write_model.orders"
        ],
    }


def test_each_context_may_have_its_own_two_sides() -> None:
    graph = fake_graph(
        """
        app.billing.commands.pay -> app.billing.model
        app.billing.queries.due -> app.billing.views
        app.shipping.queries.track -> app.billing.commands.pay
        """,
        roots=("app",),
    )
    result = rule(
        commands=["app.*.commands"],
        queries=["app.*.queries"],
        read_model=["app.*.views"],
        write_model=["app.*.model"],
        domain=[],
    ).result(graph)
    assert [v.summary for v in result.violations] == [
        "the query side app.shipping.queries imports the command side app.billing.commands: "
        "queries must not import commands: read from the read model (app.billing.views)"
    ]


def test_without_models_only_the_two_sides_are_kept_apart() -> None:
    assert (
        summaries("svc.queries.listing -> svc.write_model.orders", read_model=(), write_model=())
        == []
    )
    assert summaries(
        "svc.queries.listing -> svc.commands.place", read_model=(), write_model=()
    ) == [
        "the query side svc.queries imports the command side svc.commands: queries must not "
        "import commands: read from a read model"
    ]


def test_the_description_names_both_sides() -> None:
    assert rule(because="reads scale apart from writes").description == (
        "Commands and queries are segregated: the queries svc.queries never import "
        "svc.commands or svc.write_model, the commands svc.commands never import svc.queries "
        "or svc.read_model, and the domain they share, svc.domain, imports neither, because "
        "reads scale apart from writes"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"commands": []}, "option 'commands' must name at least one module"),
        ({"queries": "svc.queries"}, "option 'queries' must be a list of strings"),
        (
            {"write_model": ["svc.commands.model"]},
            "option 'commands' (svc.commands) overlaps 'write_model' (svc.commands.model)",
        ),
        (
            {"read_model": "svc.read_model"},
            "option 'read_model' must be a list of strings, not a string ('svc.read_model'): "
            'write read_model = ["svc.read_model"]',
        ),
    ],
)
def test_bad_options_are_configuration_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        rule(**options)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"queries": ["svc.querys"]}, "queries: module 'svc.querys' is not in the graph"),
        (
            {"commands": ["svc.*"]},
            "commands: 'svc.queries' is in queries too; the sides of CQRS are separate modules",
        ),
    ],
)
def test_sides_that_cannot_be_checked_are_rule_errors(
    options: dict[str, object], message: str
) -> None:
    graph = fake_graph(CLEAN, roots=("svc",))
    with pytest.raises(RuleError) as raised:
        rule(**options).result(graph)
    assert message in str(raised.value)


def test_a_chain_through_another_module_of_the_same_side_is_that_modules_breach() -> None:
    """Found on Django (queries = ["django.db.models.*"]): each of 16 query modules was
    reported for the one chain into the commands that one of them starts."""
    graph = fake_graph(
        """
        app.billing.queries.due -> app.shipping.queries.track
        app.shipping.queries.track -> app.billing.commands.pay
        app.ordering.queries.list -> app.shipping.queries.track
        app.ordering.queries.list -> app.helpers
        app.helpers -> app.billing.commands.pay
        """,
        roots=("app",),
    )
    result = rule(
        commands=["app.*.commands"],
        queries=["app.*.queries"],
        read_model=[],
        write_model=[],
        domain=[],
    ).result(graph)
    chains = {v.importer: [str(c) for c in v.chains] for v in result.violations}
    assert chains == {
        "app.shipping.queries": ["app.shipping.queries.track -> app.billing.commands.pay"],
        # a chain around the other query module is not hidden behind the one through it
        "app.ordering.queries": [
            "app.ordering.queries.list -> app.helpers -> app.billing.commands.pay"
        ],
    }


def test_a_query_reaching_a_command_through_the_write_model_is_reported_once() -> None:
    """Found on cosmicpython: `views.py:1` was reported for the write model and again for
    the command side the write model imports (issue 21)."""
    extra = """
        svc.write_model.orders -> svc.commands.events
        svc.queries.listing -> svc.write_model.orders
    """
    assert summaries(extra) == [
        "the query side svc.queries reads the write model svc.write_model: queries must not "
        "touch the write model: read from the read model (svc.read_model)"
    ]


def test_a_chain_through_one_module_of_the_write_model_to_another_is_reported_once() -> None:
    extra = """
        svc.write_model.repository -> svc.write_model.orders
        svc.queries.listing -> svc.write_model.repository
    """
    found = summaries(extra, write_model=["svc.write_model.orders", "svc.write_model.repository"])
    assert found == [
        "the query side svc.queries reads the write model svc.write_model.repository: queries "
        "must not touch the write model: read from the read model (svc.read_model)"
    ]
