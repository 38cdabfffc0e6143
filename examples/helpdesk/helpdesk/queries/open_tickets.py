from __future__ import annotations

from helpdesk.domain.values import Status
from helpdesk.read_model.views import Board, TicketRow


def handle(board: Board) -> list[TicketRow]:
    """The tickets still open, the most urgent first."""
    rows = [row for row in board.rows.values() if row.status is not Status.CLOSED]
    return sorted(rows, key=lambda row: (-row.priority, row.subject))
