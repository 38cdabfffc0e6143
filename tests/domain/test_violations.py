"""Violations, chains and links sort by their fields, in order, as
``@dataclass(order=True)`` would sort them (the order reports and baselines use)."""

from __future__ import annotations

import dataclasses
import itertools
import operator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.domain.violations import Chain, Link, Violation

names = st.sampled_from(["a", "a.b", "b", "b.c", "c"])
links = st.builds(
    Link,
    importer=names,
    imported=names,
    line_numbers=st.lists(st.integers(1, 3), max_size=2).map(tuple),
    file=st.one_of(st.none(), st.sampled_from(["a.py", "b.py"])),
    code=st.sampled_from(["", "import b"]),
)
chains = st.builds(Chain, links=st.lists(links, max_size=2).map(tuple))
violations = st.builds(
    Violation,
    importer=names,
    imported=names,
    summary=st.sampled_from(["x", "y"]),
    chains=st.lists(chains, max_size=2).map(tuple),
)


def fields_of(item: object) -> tuple[object, ...]:
    return tuple(getattr(item, f.name) for f in dataclasses.fields(item) if f.compare)  # type: ignore[arg-type]


def outcome(compare: object, a: object, b: object) -> object:
    try:
        return compare(a, b)  # type: ignore[operator]
    except TypeError:  # None against a string: order=True raises too
        return TypeError


@given(st.lists(links, max_size=6), st.lists(violations, max_size=5))
def test_order_is_the_order_of_the_fields(some_links: list[Link], some: list[Violation]) -> None:
    for items in (some_links, some):
        for a, b in itertools.product(items, repeat=2):
            for compare in (operator.lt, operator.le, operator.gt, operator.ge):
                assert outcome(compare, a, b) == outcome(compare, fields_of(a), fields_of(b))


def test_different_kinds_do_not_compare() -> None:
    link = Link("a", "b")
    with pytest.raises(TypeError):
        _ = link < Violation("a", "b", "s")  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = link < ("a", "b")  # type: ignore[operator]


def test_a_grouped_chain_lists_each_import_statement_once() -> None:
    """Found on cosmicpython: `bootstrap.py:4  from allocation.adapters import orm,
    redis_eventpublisher` was listed twice, once for each import it makes (issue 21)."""
    from fitness.domain.rendering import render_chain
    from fitness.domain.violations import Chain, Link

    code = "from app.adapters import orm, publisher"
    chain = Chain(
        links=(
            Link("app.web", "app.bootstrap", (5,), "app/web.py", "from app import bootstrap"),
            Link("app.bootstrap", "app.adapters.email", (6,), "app/bootstrap.py", "import email"),
        ),
        extra_lasts=(
            Link("app.bootstrap", "app.adapters.orm", (4,), "app/bootstrap.py", code),
            Link("app.bootstrap", "app.adapters.publisher", (4,), "app/bootstrap.py", code),
        ),
    )
    assert render_chain(chain) == [
        "app.web -> app.bootstrap -> app.adapters.email",
        "  (also app.bootstrap -> app.adapters.orm)",
        "  (also app.bootstrap -> app.adapters.publisher)",
        "  app/web.py:5  from app import bootstrap",
        "  app/bootstrap.py:6  import email",
        "  app/bootstrap.py:4  from app.adapters import orm, publisher",
    ]
