from __future__ import annotations

from dataclasses import dataclass, field

from helpdesk.domain.values import AgentId, Priority, Status, TicketId


@dataclass
class TicketRow:
    ticket: TicketId
    subject: str
    priority: Priority
    status: Status = Status.OPEN
    agent: AgentId | None = None


@dataclass
class Board:
    """One row per ticket: what the agents' board shows."""

    rows: dict[TicketId, TicketRow] = field(default_factory=dict)
