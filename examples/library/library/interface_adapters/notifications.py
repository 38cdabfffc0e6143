"""Subscribes to the loan events: tells members when a book is due."""

from __future__ import annotations

from typing import Protocol

from library.events import BookBorrowed
from library.use_cases.ports import Members


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class LoanNotifier:
    def __init__(self, members: Members, mailer: Mailer) -> None:
        self.members = members
        self.mailer = mailer

    def on_book_borrowed(self, event: BookBorrowed) -> None:
        member = self.members.get(event.member_id)
        self.mailer.send(
            member.email,
            "Your loan",
            f"Dear {member.name}, please bring {event.isbn.value} back by {event.due:%d %B}.",
        )
