from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from library.entities.book import Book
from library.entities.member import Member
from library.entities.values import Isbn, MemberId

LOAN_PERIOD = timedelta(weeks=3)


@dataclass
class Loan:
    isbn: Isbn
    member_id: MemberId
    due: date
    returned: bool = False

    @classmethod
    def start(cls, book: Book, member: Member, today: date) -> Loan:
        book.lend()
        return cls(book.isbn, member.id, today + LOAN_PERIOD)

    def overdue(self, today: date) -> bool:
        return not self.returned and today > self.due
