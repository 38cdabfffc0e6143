from __future__ import annotations

from dataclasses import dataclass

from helpdesk.domain.values import TicketId
from helpdesk.write_model.store import TicketStore


@dataclass(frozen=True)
class CloseTicket:
    ticket: TicketId


def handle(command: CloseTicket, store: TicketStore) -> None:
    ticket = store.get(command.ticket)
    ticket.close()
    store.save(ticket)
