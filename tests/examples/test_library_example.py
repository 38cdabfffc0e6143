"""examples/library: clean_architecture, onion and event_driven under pytest, on the example
and on a copy with violations added (each said in its style's words, with its decision record)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import append, copy_example


@pytest.fixture
def library(pytester: pytest.Pytester) -> Path:
    target = copy_example("library", pytester.path)
    os.chdir(target)
    return target


def block(result: pytest.RunResult, *lines: str) -> bool:
    """Whether the output has these lines, one after the other."""
    output = result.stdout.lines
    return any(output[i : i + len(lines)] == list(lines) for i in range(len(output)))


def test_the_library_keeps_its_rings_its_onion_and_its_events(
    pytester: pytest.Pytester, library: Path
) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_an_entity_that_knows_a_use_case_breaks_the_rings_and_the_onion(
    pytester: pytest.Pytester, library: Path
) -> None:
    append(library / "library/entities/loan.py", "from library.use_cases.ports import Clock\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    assert block(
        result,
        "Decision record: docs/adr/0001-clean-architecture.md",
        "",
        "the entities ring must not know the use cases ring (library.entities -> "
        "library.use_cases): dependencies point inwards; invert it with an interface in the "
        "entities ring:",
        "  library.entities.loan -> library.use_cases.ports",
        "    library/entities/loan.py:28  from library.use_cases.ports import Clock",
        "",
        "How to fix: Make the dependency point inwards (the Dependency Rule): the inner ring "
        "declares an interface for what it needs (a Protocol or an abstract class, with plain "
        "data crossing the boundary), an outer ring implements it, and the outermost ring "
        "wires them together. Framework code (web, ORM, HTTP client) moves out to the "
        "frameworks and drivers ring, behind an interface of an inner ring.",
    )
    assert block(
        result,
        "the domain models must not depend on the application services (library.entities -> "
        "library.use_cases): dependencies point to the centre of the onion:",
        "  library.entities.loan -> library.use_cases.ports",
        "    library/entities/loan.py:28  from library.use_cases.ports import Clock",
    )


def test_a_gateway_that_imports_the_orm_keeps_the_onion_but_breaks_the_rings(
    pytester: pytest.Pytester, library: Path
) -> None:
    append(library / "library/interface_adapters/gateways.py", "from sqlalchemy import text\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    assert block(
        result,
        "the interface adapters ring imports the framework sqlalchemy "
        "(library.interface_adapters -> sqlalchemy): frameworks belong in the outermost ring, "
        "behind an interface of an inner ring:",
        "  library.interface_adapters.gateways -> sqlalchemy",
        "    library/interface_adapters/gateways.py:62  from sqlalchemy import text",
    )


def test_one_adapter_using_another_breaks_the_onion(
    pytester: pytest.Pytester, library: Path
) -> None:
    append(library / "library/frameworks/db.py", "from library.frameworks.web import create_app\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "Onion")
    result.assert_outcomes(failed=1)
    assert block(
        result,
        "adapter 'persistence' depends on adapter 'web' (library.frameworks.db -> "
        "library.frameworks.web): adapters are independent of each other; go through the "
        "application services:",
        "  library.frameworks.db -> library.frameworks.web",
        "    library/frameworks/db.py:23  from library.frameworks.web import create_app",
    )


def test_a_use_case_calling_its_subscriber_and_an_event_holding_an_entity_break_the_events(
    pytester: pytest.Pytester, library: Path
) -> None:
    append(
        library / "library/use_cases/borrow_book.py",
        "from library.interface_adapters.notifications import LoanNotifier\n",
    )
    append(library / "library/events.py", "from library.entities.book import Book\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "events")
    result.assert_outcomes(failed=1)
    assert block(
        result,
        "Decision record: docs/adr/0002-loan-events.md",
        "",
        "the event module library.events imports the module library.entities.book: events "
        "are plain data, importing only the standard library and the domain's value types "
        "(add it to events_may_import if it is one):",
        "  library.events -> library.entities.book",
        "    library/events.py:25  from library.entities.book import Book",
        "",
        "the publisher library.use_cases imports the subscriber "
        "library.interface_adapters.notifications: publishers never know their subscribers; "
        "publish an event and let the subscriber listen for it:",
        "  library.use_cases.borrow_book -> library.interface_adapters.notifications",
        "    library/use_cases/borrow_book.py:35  "
        "from library.interface_adapters.notifications import LoanNotifier",
    )


def test_a_decision_record_that_was_moved_stops_the_run_naming_the_file(
    pytester: pytest.Pytester, library: Path
) -> None:
    adr = library / "docs/adr/0002-loan-events.md"
    adr.rename(adr.with_name("0002-events.md"))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*_ fitness: the configuration _*"])
    assert (
        f"pytest-fitness: {library / 'pyproject.toml'}:42: [[tool.fitness.rules]] #3 "
        "('Loan events'): option 'adr': no file 'docs/adr/0002-loan-events.md'; did you mean "
        "'docs/adr/0002-events.md'? (a path relative to pyproject.toml, or a URL)"
    ) in result.stdout.lines
