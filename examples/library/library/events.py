"""What happened in the library: plain data, published by the use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from library.entities.values import Isbn, MemberId


@dataclass(frozen=True)
class BookBorrowed:
    isbn: Isbn
    member_id: MemberId
    due: date
    occurred_at: datetime


@dataclass(frozen=True)
class BookReturned:
    isbn: Isbn
    member_id: MemberId
    occurred_at: datetime
