from __future__ import annotations

from collections.abc import Callable

from helpdesk.domain.events import Event
from helpdesk.domain.values import TicketId
from helpdesk.write_model.ticket import Ticket


class TicketStore:
    """Keeps the aggregates and hands their new events to the subscribers."""

    def __init__(self, subscribers: list[Callable[[Event], None]]) -> None:
        self._tickets: dict[TicketId, Ticket] = {}
        self._subscribers = subscribers

    def get(self, ticket: TicketId) -> Ticket:
        return self._tickets[ticket]

    def save(self, ticket: Ticket) -> None:
        self._tickets[ticket.id] = ticket
        for event in ticket.changes:
            for subscriber in self._subscribers:
                subscriber(event)
        ticket.changes.clear()
