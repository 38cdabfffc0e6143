from __future__ import annotations

import uuid
from dataclasses import dataclass

from helpdesk.domain.values import Priority, TicketId
from helpdesk.write_model.store import TicketStore
from helpdesk.write_model.ticket import Ticket


@dataclass(frozen=True)
class OpenTicket:
    subject: str
    priority: Priority = Priority.NORMAL


def handle(command: OpenTicket, store: TicketStore) -> TicketId:
    ticket = Ticket.open(TicketId(uuid.uuid4().hex), command.subject, command.priority)
    store.save(ticket)
    return ticket.id
