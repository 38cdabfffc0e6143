from __future__ import annotations

from collections import Counter

from helpdesk.domain.values import AgentId, Status
from helpdesk.read_model.views import Board


def handle(board: Board) -> dict[AgentId, int]:
    """How many tickets each agent has assigned."""
    return dict(
        Counter(
            row.agent
            for row in board.rows.values()
            if row.agent is not None and row.status is Status.ASSIGNED
        )
    )
