from __future__ import annotations

from dataclasses import dataclass

from library.entities.loan import Loan
from library.entities.values import Isbn, MemberId
from library.events import BookBorrowed
from library.use_cases.ports import Books, Clock, Events, Loans, Members


class TooManyLoans(Exception):
    pass


@dataclass
class BorrowBook:
    books: Books
    members: Members
    loans: Loans
    events: Events
    clock: Clock

    def __call__(self, isbn: Isbn, member_id: MemberId) -> Loan:
        member = self.members.get(member_id)
        if len(self.loans.open_for(member_id)) >= member.max_loans:
            raise TooManyLoans(member.name)
        book = self.books.get(isbn)
        now = self.clock.now()
        loan = Loan.start(book, member, now.date())
        self.books.save(book)
        self.loans.add(loan)
        self.events.publish(BookBorrowed(isbn, member_id, loan.due, now))
        return loan
