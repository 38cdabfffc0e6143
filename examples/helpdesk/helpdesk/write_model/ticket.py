from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from helpdesk.domain.events import Event, TicketAssigned, TicketClosed, TicketOpened
from helpdesk.domain.values import AgentId, Priority, Status, TicketId


@dataclass
class Ticket:
    """The aggregate: enforces the rules, and records what happened as events."""

    id: TicketId
    status: Status = Status.OPEN
    agent: AgentId | None = None
    changes: list[Event] = field(default_factory=list)

    @classmethod
    def open(cls, ticket: TicketId, subject: str, priority: Priority) -> Ticket:
        created = cls(ticket)
        created.changes.append(TicketOpened(ticket, subject, priority, _now()))
        return created

    def assign(self, agent: AgentId) -> None:
        if self.status is Status.CLOSED:
            raise ValueError(f"ticket {self.id} is closed")
        self.status, self.agent = Status.ASSIGNED, agent
        self.changes.append(TicketAssigned(self.id, agent, _now()))

    def close(self) -> None:
        if self.status is Status.CLOSED:
            return
        self.status = Status.CLOSED
        self.changes.append(TicketClosed(self.id, _now()))


def _now() -> datetime:
    return datetime.now(UTC)
