"""The entry point: routes each request to a command or a query handler."""

from __future__ import annotations

from functools import partial

from helpdesk.commands import assign_ticket, close_ticket, open_ticket
from helpdesk.queries import agent_workload, open_tickets
from helpdesk.read_model.projections import project
from helpdesk.read_model.views import Board
from helpdesk.write_model.store import TicketStore

board = Board()
store = TicketStore(subscribers=[partial(project, board)])

COMMANDS = {
    "open": (open_ticket.OpenTicket, open_ticket.handle),
    "assign": (assign_ticket.AssignTicket, assign_ticket.handle),
    "close": (close_ticket.CloseTicket, close_ticket.handle),
}
QUERIES = {"open": open_tickets.handle, "workload": agent_workload.handle}


def command(name: str, **fields: object) -> object:
    message_type, handler = COMMANDS[name]
    return handler(message_type(**fields), store)


def query(name: str) -> object:
    return QUERIES[name](board)
