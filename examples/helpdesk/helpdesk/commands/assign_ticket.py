from __future__ import annotations

from dataclasses import dataclass

from helpdesk.domain.values import AgentId, TicketId
from helpdesk.write_model.store import TicketStore


@dataclass(frozen=True)
class AssignTicket:
    ticket: TicketId
    agent: AgentId


def handle(command: AssignTicket, store: TicketStore) -> None:
    ticket = store.get(command.ticket)
    ticket.assign(command.agent)
    store.save(ticket)
