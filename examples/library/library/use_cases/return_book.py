from __future__ import annotations

from dataclasses import dataclass

from library.entities.values import Isbn, MemberId
from library.events import BookReturned
from library.use_cases.ports import Books, Clock, Events, Loans


@dataclass
class ReturnBook:
    books: Books
    loans: Loans
    events: Events
    clock: Clock

    def __call__(self, isbn: Isbn, member_id: MemberId) -> None:
        for loan in self.loans.open_for(member_id):
            if loan.isbn == isbn:
                loan.returned = True
        book = self.books.get(isbn)
        book.give_back()
        self.books.save(book)
        self.events.publish(BookReturned(isbn, member_id, self.clock.now()))
