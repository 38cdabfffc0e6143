"""Requests as plain dictionaries in, responses as plain dictionaries out."""

from __future__ import annotations

from dataclasses import dataclass

from library.entities.values import Isbn, MemberId
from library.interface_adapters.presenters import present_loan
from library.use_cases.borrow_book import BorrowBook
from library.use_cases.return_book import ReturnBook


@dataclass
class LoanController:
    borrow: BorrowBook
    give_back: ReturnBook

    def post_loan(self, body: dict[str, object]) -> dict[str, object]:
        loan = self.borrow(Isbn(str(body["isbn"])), MemberId(int(str(body["member"]))))
        return present_loan(loan)

    def delete_loan(self, isbn: str, member: int) -> dict[str, object]:
        self.give_back(Isbn(isbn), MemberId(member))
        return {"returned": isbn}
