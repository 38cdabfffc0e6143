"""The events the write side records and the read side is built from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from helpdesk.domain.values import AgentId, Priority, TicketId


@dataclass(frozen=True)
class TicketOpened:
    ticket: TicketId
    subject: str
    priority: Priority
    at: datetime


@dataclass(frozen=True)
class TicketAssigned:
    ticket: TicketId
    agent: AgentId
    at: datetime


@dataclass(frozen=True)
class TicketClosed:
    ticket: TicketId
    at: datetime


Event = TicketOpened | TicketAssigned | TicketClosed
