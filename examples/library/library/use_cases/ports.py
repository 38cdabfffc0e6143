"""What the use cases need from the outer rings, declared here and implemented there."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from library.entities.book import Book
from library.entities.loan import Loan
from library.entities.member import Member
from library.entities.values import Isbn, MemberId


class Books(Protocol):
    def get(self, isbn: Isbn) -> Book: ...
    def save(self, book: Book) -> None: ...


class Members(Protocol):
    def get(self, member_id: MemberId) -> Member: ...


class Loans(Protocol):
    def open_for(self, member_id: MemberId) -> list[Loan]: ...
    def add(self, loan: Loan) -> None: ...


class Events(Protocol):
    def publish(self, event: object) -> None: ...


class Clock(Protocol):
    def now(self) -> datetime: ...
