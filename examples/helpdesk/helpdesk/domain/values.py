from __future__ import annotations

import enum
from typing import NewType

TicketId = NewType("TicketId", str)
AgentId = NewType("AgentId", str)


class Priority(enum.IntEnum):
    LOW = 1
    NORMAL = 2
    URGENT = 3


class Status(enum.Enum):
    OPEN = "open"
    ASSIGNED = "assigned"
    CLOSED = "closed"
