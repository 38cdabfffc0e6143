"""The use cases' repositories, on a database interface the frameworks ring implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from library.entities.book import Book
from library.entities.loan import Loan
from library.entities.member import Member
from library.entities.values import Isbn, MemberId


class Database(Protocol):
    def rows(self, query: str, **params: Any) -> Sequence[Mapping[str, Any]]: ...
    def run(self, statement: str, **params: Any) -> None: ...


class BookGateway:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, isbn: Isbn) -> Book:
        [row] = self.db.rows("SELECT * FROM books WHERE isbn = :isbn", isbn=isbn.value)
        return Book(isbn, row["title"], row["copies"], row["on_loan"])

    def save(self, book: Book) -> None:
        self.db.run(
            "UPDATE books SET on_loan = :on_loan WHERE isbn = :isbn",
            on_loan=book.on_loan,
            isbn=book.isbn.value,
        )


class MemberGateway:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, member_id: MemberId) -> Member:
        [row] = self.db.rows("SELECT * FROM members WHERE id = :id", id=member_id.value)
        return Member(member_id, row["name"], row["email"], row["max_loans"])


class LoanGateway:
    def __init__(self, db: Database) -> None:
        self.db = db

    def open_for(self, member_id: MemberId) -> list[Loan]:
        rows = self.db.rows(
            "SELECT * FROM loans WHERE member = :m AND NOT returned", m=member_id.value
        )
        return [Loan(Isbn(r["isbn"]), member_id, r["due"]) for r in rows]

    def add(self, loan: Loan) -> None:
        self.db.run(
            "INSERT INTO loans (isbn, member, due) VALUES (:isbn, :member, :due)",
            isbn=loan.isbn.value,
            member=loan.member_id.value,
            due=loan.due,
        )
