"""examples/bookstore: three bounded contexts and their context map, kept and broken."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import append, copy_example

AROUND_THE_ACL = "from bookstore.catalog.api import Catalog  # around the anticorruption layer\n"
INTO_INTERNALS = "from bookstore.ordering.checkout import Checkout  # into ordering's internals\n"
NOT_UPSTREAM = "from bookstore.catalog.model import Book  # not an upstream of shipping\n"
UPSTREAM_LISTENS = (
    "from bookstore.ordering.events import OrderPlaced  # upstream knows downstream\n"
)
KERNEL_KNOWS = "from bookstore.catalog.api import BookSummary  # the kernel knows a context\n"


@pytest.fixture
def bookstore(pytester: pytest.Pytester) -> Path:
    target = copy_example("bookstore", pytester.path)
    os.chdir(target)
    return target


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", "-k", "Bounded", *args)


def lines_of(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_bookstore_keeps_its_contexts_and_its_context_map(
    pytester: pytest.Pytester, bookstore: Path
) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_each_breach_of_the_context_map_says_its_remedy(
    pytester: pytest.Pytester, bookstore: Path
) -> None:
    edits = {
        "bookstore/ordering/checkout.py": AROUND_THE_ACL,
        "bookstore/shipping/handlers.py": INTO_INTERNALS,
        "bookstore/shipping/model.py": NOT_UPSTREAM,
        "bookstore/catalog/repository.py": UPSTREAM_LISTENS,
    }
    line = {}
    for name, text in edits.items():
        line[name] = lines_of(bookstore / name) + 2  # append() starts with a blank line
        append(bookstore / name, text)

    result = run(pytester)

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "Bounded contexts bookstore.catalog, bookstore.ordering and bookstore.shipping "
            "depend on each other only through their published language (api and events), "
            "and all may use the shared kernel bookstore.shared; in the context map, "
            "bookstore.ordering is downstream of bookstore.catalog through its anticorruption "
            "layer bookstore.ordering.acl and bookstore.shipping is downstream of "
            "bookstore.ordering, because each context owns its model, and changes it without "
            "asking the others.",
            "",
            "the upstream context bookstore.catalog depends on its downstream "
            "bookstore.ordering: an upstream must not know its downstreams; publish an event "
            "in bookstore.catalog.events for bookstore.ordering to handle:",
            "  bookstore.catalog.repository -> bookstore.ordering.events",
            f"    bookstore/catalog/repository.py:{line['bookstore/catalog/repository.py']}  "
            + UPSTREAM_LISTENS.strip(),
            "",
            "bookstore.ordering uses its upstream bookstore.catalog outside its anticorruption "
            "layer: only bookstore.ordering.acl may import bookstore.catalog; translate there:",
            "  bookstore.ordering.checkout -> bookstore.catalog.api",
            f"    bookstore/ordering/checkout.py:{line['bookstore/ordering/checkout.py']}  "
            + AROUND_THE_ACL.strip(),
            "",
            "bookstore.shipping depends on bookstore.catalog, which the context map does not "
            'make its upstream: declare the relation (upstream = "bookstore.catalog", '
            'downstream = "bookstore.shipping"), best with an anticorruption layer in '
            "bookstore.shipping.acl:",
            "  bookstore.shipping.model -> bookstore.catalog.model",
            f"    bookstore/shipping/model.py:{line['bookstore/shipping/model.py']}  "
            + NOT_UPSTREAM.strip(),
            "",
            "bookstore.shipping reaches into the internals of bookstore.ordering "
            "(bookstore.ordering.checkout): go through the context's published language "
            "(bookstore.ordering.api or bookstore.ordering.events):",
            "  bookstore.shipping.handlers -> bookstore.ordering.checkout",
            f"    bookstore/shipping/handlers.py:{line['bookstore/shipping/handlers.py']}  "
            + INTO_INTERNALS.strip(),
            "",
            "How to fix: A bounded context keeps its model to itself: other contexts use only "
            "its published language (the published submodules), and what every context needs "
            "goes into the shared kernel. With a context map, a downstream context translates "
            "its upstreams' published language in its anticorruption layer, and an upstream "
            "that needs to tell its downstreams something publishes an event.",
        ],
        consecutive=True,
    )


def test_the_shared_kernel_may_know_no_context(pytester: pytest.Pytester, bookstore: Path) -> None:
    money = bookstore / "bookstore/shared/money.py"
    line = lines_of(money) + 2
    append(money, KERNEL_KNOWS)

    result = run(pytester)

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "the shared kernel bookstore.shared depends on the context bookstore.catalog: every "
            "context may use the kernel, so it may know none of them; move this code into "
            "bookstore.catalog:",
            "  bookstore.shared.money -> bookstore.catalog.api",
            f"    bookstore/shared/money.py:{line}  " + KERNEL_KNOWS.strip(),
        ],
        consecutive=True,
    )


@pytest.mark.slow  # three pytest runs
def test_known_breaches_in_the_baseline_pass_and_a_new_one_fails(
    pytester: pytest.Pytester, bookstore: Path
) -> None:
    append(bookstore / "bookstore/ordering/checkout.py", AROUND_THE_ACL)
    assert run(pytester, "--fitness-update-baseline").ret == 0
    run(pytester).assert_outcomes(passed=1)

    append(bookstore / "bookstore/shipping/handlers.py", INTO_INTERNALS)
    result = run(pytester)

    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "bookstore.shipping reaches into the internals of bookstore.ordering" in out
    assert "outside its anticorruption layer" not in out
    assert "(not shown: 1 known violation in the baseline)" in out


def test_an_inline_suppression_with_its_reason_keeps_the_rule(
    pytester: pytest.Pytester, bookstore: Path
) -> None:
    append(
        bookstore / "bookstore/shipping/handlers.py",
        "from bookstore.ordering.checkout import Checkout"
        "  # fitness: ignore[Bounded contexts] shipping reuses the cart until SHIP-12\n",
    )
    run(pytester).assert_outcomes(passed=1)
