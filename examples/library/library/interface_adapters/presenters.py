from __future__ import annotations

from library.entities.loan import Loan


def present_loan(loan: Loan) -> dict[str, object]:
    return {"isbn": loan.isbn.value, "member": loan.member_id.value, "due": loan.due.isoformat()}
