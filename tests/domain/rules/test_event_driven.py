"""``event_driven``: publishers never import subscribers; events are plain data."""

from __future__ import annotations

import pytest

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.options import build_rule
from fitness.domain.rules.styles.event_driven import EventDrivenRule
from tests.helpers import fake_graph

EVENTS = """
    app.main -> app.bus
    app.main -> app.notifications.mailer
    app.ordering.service -> app.events.order_placed
    app.ordering.service -> app.bus
    app.notifications.mailer -> app.events.order_placed
    app.notifications.mailer -> smtplib
    app.events.order_placed -> dataclasses
    app.events.order_placed -> datetime
    app.events.order_placed -> app.events.base
    app.events.order_placed -> app.domain.money
    app.domain.money -> decimal
    app.domain.order -> app.domain.money
"""

OPTIONS = {
    "publishers": ["app.ordering"],
    "subscribers": ["app.notifications"],
    "events": ["app.events"],
    "events_may_import": ["app.domain.money"],
}


def rule(**options: object) -> EventDrivenRule:
    return build_rule(EventDrivenRule, {"name": "Events", **OPTIONS, **options})


def summaries(extra: str, **options: object) -> list[str]:
    graph = fake_graph(EVENTS + extra, roots=("app",), external=True)
    return [v.summary for v in rule(**options).result(graph).violations]


def test_publishers_that_raise_plain_events_pass() -> None:
    assert summaries("") == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "app.ordering.service -> app.notifications.mailer",
            "the publisher app.ordering imports the subscriber app.notifications: publishers "
            "never know their subscribers; publish an event and let the subscriber listen "
            "for it",
        ),
        (
            "app.events.order_placed -> pydantic",
            "the event module app.events.order_placed imports the package pydantic: events "
            "are plain data, importing only the standard library and the domain's value "
            "types (add it to events_may_import if it is one)",
        ),
        (
            "app.events.order_placed -> app.domain.order",
            "the event module app.events.order_placed imports the module app.domain.order: "
            "events are plain data, importing only the standard library and the domain's "
            "value types (add it to events_may_import if it is one)",
        ),
    ],
)
def test_each_broken_principle_is_said_in_event_driven_words(extra: str, expected: str) -> None:
    assert summaries(extra) == [expected]


def test_a_publisher_reaching_a_subscriber_through_a_helper_shows_the_chain() -> None:
    graph = fake_graph(
        EVENTS + "app.ordering.service -> app.util\napp.util -> app.notifications.mailer",
        roots=("app",),
        external=True,
    )
    [violation] = rule().result(graph).violations
    assert [str(c) for c in violation.chains] == [
        "app.ordering.service -> app.util -> app.notifications.mailer"
    ]


def test_an_event_importing_a_standard_library_submodule_is_plain_data() -> None:
    assert summaries("app.events.order_placed -> collections.abc") == []


def test_without_event_modules_only_the_publishers_are_checked() -> None:
    assert summaries("app.events.order_placed -> pydantic", events=[]) == []


def test_a_module_both_publisher_and_subscriber_cannot_be_checked() -> None:
    graph = fake_graph(EVENTS, roots=("app",), external=True)
    with pytest.raises(RuleError, match="publishers: 'app.notifications' overlaps"):
        rule(publishers=["app.notifications"], subscribers=["app.notifications.mailer"]).result(
            graph
        )


def test_publishers_and_subscribers_are_required() -> None:
    with pytest.raises(ConfigError, match="option 'subscribers' must name at least one module"):
        rule(subscribers=[])


def test_the_description_says_what_the_events_may_import() -> None:
    assert rule().description == (
        "Event-driven: the publishers app.ordering never import the subscribers "
        "app.notifications; the events app.events are plain data, importing only the "
        "standard library and app.domain.money"
    )


def test_a_chain_from_one_subscriber_to_another_is_reported_once() -> None:
    extra = (
        "app.ordering.service -> app.notifications.mailer\n"
        "app.notifications.mailer -> app.audit.log"
    )
    assert summaries(extra, subscribers=["app.notifications", "app.audit"]) == [
        "the publisher app.ordering imports the subscriber app.notifications: publishers "
        "never know their subscribers; publish an event and let the subscriber listen for it"
    ]


def test_a_chain_through_another_publisher_is_that_publishers_violation() -> None:
    """Found on Django (publishers = ["django.db.models.*"]): 16 publishers were each
    reported for the one import of a subscriber that django.db.models.fields makes."""
    extra = (
        "app.invoicing.service -> app.ordering.service\n"
        "app.ordering.service -> app.notifications.mailer"
    )
    assert summaries(extra, publishers=["app.ordering", "app.invoicing"]) == [
        "the publisher app.ordering imports the subscriber app.notifications: publishers "
        "never know their subscribers; publish an event and let the subscriber listen for it"
    ]
    extra += "\napp.invoicing.service -> app.notifications.mailer"  # and one of its own
    assert [
        v.importer
        for v in rule(publishers=["app.ordering", "app.invoicing"])
        .result(fake_graph(EVENTS + extra, roots=("app",), external=True))
        .violations
    ] == ["app.invoicing", "app.ordering"]


def test_a_chain_around_another_publisher_is_not_hidden_behind_one_through_it() -> None:
    # The shortest chain goes through app.ordering; the one around it shares its first
    # import, so a search for chains that share no import finds only the first.
    extra = (
        "app.invoicing.service -> app.helpers\n"
        "app.helpers -> app.ordering.service\n"
        "app.ordering.service -> app.notifications.mailer\n"
        "app.helpers -> app.cache\n"
        "app.cache -> app.retry\n"
        "app.retry -> app.notifications.mailer"
    )
    graph = fake_graph(EVENTS + extra, roots=("app",), external=True)
    result = rule(publishers=["app.ordering", "app.invoicing"]).result(graph)
    assert {v.importer: [str(c) for c in v.chains] for v in result.violations} == {
        "app.invoicing": [
            "app.invoicing.service -> app.helpers -> app.cache -> app.retry -> "
            "app.notifications.mailer"
        ],
        "app.ordering": ["app.ordering.service -> app.notifications.mailer"],
    }
