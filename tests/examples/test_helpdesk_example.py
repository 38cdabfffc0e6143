"""examples/helpdesk: a CQRS service whose two sides stay apart, kept and broken."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import append, copy_example

READS_AGGREGATES = "from helpdesk.write_model.store import TicketStore  # reads the aggregates\n"
ASKS_A_QUERY = "from helpdesk.queries import open_tickets  # asks a query before deciding\n"
READS_VIEWS = "from helpdesk.read_model.views import Board  # decides on the lagging read model\n"
RUNS_A_COMMAND = "from helpdesk.commands import close_ticket  # a query that writes\n"
DOMAIN_KNOWS_A_VIEW = "from helpdesk.read_model.views import TicketRow  # the domain knows a view\n"


@pytest.fixture
def helpdesk(pytester: pytest.Pytester) -> Path:
    target = copy_example("helpdesk", pytester.path)
    os.chdir(target)
    return target


def break_(project: Path, edits: dict[str, str]) -> dict[str, int]:
    """Append each edit to its file; the line each lands on."""
    lines = {}
    for name, text in edits.items():
        path = project / name
        lines[name] = len(path.read_text(encoding="utf-8").splitlines()) + 2
        append(path, text)
    return lines


def test_the_helpdesk_keeps_its_two_sides_apart(pytester: pytest.Pytester, helpdesk: Path) -> None:
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_each_breach_says_which_side_reached_which_and_the_remedy(
    pytester: pytest.Pytester, helpdesk: Path
) -> None:
    line = break_(
        helpdesk,
        {
            "helpdesk/queries/open_tickets.py": READS_AGGREGATES,
            "helpdesk/queries/agent_workload.py": RUNS_A_COMMAND,
            "helpdesk/commands/close_ticket.py": ASKS_A_QUERY,
            "helpdesk/commands/assign_ticket.py": READS_VIEWS,
        },
    )

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "Commands and queries are segregated: the queries helpdesk.queries never import "
            "helpdesk.commands or helpdesk.write_model, the commands helpdesk.commands never "
            "import helpdesk.queries or helpdesk.read_model, and the domain they share, "
            "helpdesk.domain, imports neither, because the read side is rebuilt from events "
            "and scaled apart from the write side.",
            "",
            "the command side helpdesk.commands imports the query side helpdesk.queries: "
            "commands must not import queries: decide on the write model "
            "(helpdesk.write_model), not on what a query returns:",
            "  helpdesk.commands.close_ticket -> helpdesk.queries.open_tickets",
            f"    helpdesk/commands/close_ticket.py:{line['helpdesk/commands/close_ticket.py']}"
            "  " + ASKS_A_QUERY.strip(),
            "",
            "the command side helpdesk.commands reads the read model helpdesk.read_model: the "
            "read model is the queries' and lags behind the writes: decide on the write model "
            "(helpdesk.write_model):",
            "  helpdesk.commands.assign_ticket -> helpdesk.read_model.views",
            f"    helpdesk/commands/assign_ticket.py:{line['helpdesk/commands/assign_ticket.py']}"
            "  " + READS_VIEWS.strip(),
            "",
            "the query side helpdesk.queries imports the command side helpdesk.commands: "
            "queries must not import commands: read from the read model (helpdesk.read_model):",
            "  helpdesk.queries.agent_workload -> helpdesk.commands.close_ticket",
            "    helpdesk/queries/agent_workload.py:"
            f"{line['helpdesk/queries/agent_workload.py']}  " + RUNS_A_COMMAND.strip(),
            "",
            "the query side helpdesk.queries reads the write model helpdesk.write_model: "
            "queries must not touch the write model: read from the read model "
            "(helpdesk.read_model):",
            "  helpdesk.queries.open_tickets -> helpdesk.write_model.store",
            f"    helpdesk/queries/open_tickets.py:{line['helpdesk/queries/open_tickets.py']}"
            "  " + READS_AGGREGATES.strip(),
            "",
            "How to fix: Keep the two sides apart. A query reads from the read model, never "
            "from the write model or a command; a command decides on the write model and "
            "publishes an event, from which the read model is updated, and never asks a query. "
            "What both need belongs in the domain they share.",
        ],
        consecutive=True,
    )


def test_the_shared_domain_s_breach_is_reported_once_where_it_is_made(
    pytester: pytest.Pytester, helpdesk: Path
) -> None:
    line = break_(helpdesk, {"helpdesk/domain/values.py": DOMAIN_KNOWS_A_VIEW})

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "the shared domain helpdesk.domain imports the read model helpdesk.read_model: both "
            "sides use the domain, so it may know neither; move this code out of the domain, to "
            "the side that needs it:",
            "  helpdesk.domain.values -> helpdesk.read_model.views",
            f"    helpdesk/domain/values.py:{line['helpdesk/domain/values.py']}  "
            + DOMAIN_KNOWS_A_VIEW.strip(),
            "",
            "How to fix: *",
        ],
        consecutive=True,
    )
