"""Keep the views up to date: one event at a time, in the order they happened."""

from __future__ import annotations

from helpdesk.domain.events import Event, TicketAssigned, TicketClosed, TicketOpened
from helpdesk.domain.values import Status
from helpdesk.read_model.views import Board, TicketRow


def project(board: Board, event: Event) -> None:
    if isinstance(event, TicketOpened):
        board.rows[event.ticket] = TicketRow(event.ticket, event.subject, event.priority)
    elif isinstance(event, TicketAssigned):
        row = board.rows[event.ticket]
        row.status, row.agent = Status.ASSIGNED, event.agent
    elif isinstance(event, TicketClosed):
        board.rows[event.ticket].status = Status.CLOSED
