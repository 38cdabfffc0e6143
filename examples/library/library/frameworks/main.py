"""The composition root: the one place that knows every ring and wires them."""

from __future__ import annotations

import os
from datetime import datetime

from flask import Flask

from library.events import BookBorrowed
from library.frameworks.bus import EventBus
from library.frameworks.db import SqlAlchemyDatabase
from library.frameworks.mail import SmtpMailer
from library.frameworks.web import create_app
from library.interface_adapters.controllers import LoanController
from library.interface_adapters.gateways import BookGateway, LoanGateway, MemberGateway
from library.interface_adapters.notifications import LoanNotifier
from library.use_cases.borrow_book import BorrowBook
from library.use_cases.return_book import ReturnBook


class SystemClock:
    def now(self) -> datetime:
        return datetime.now()


def main() -> Flask:
    db = SqlAlchemyDatabase(os.environ.get("LIBRARY_DATABASE_URL", "sqlite://"))
    books, members, loans = BookGateway(db), MemberGateway(db), LoanGateway(db)
    bus, clock = EventBus(), SystemClock()
    notifier = LoanNotifier(members, SmtpMailer(os.environ.get("LIBRARY_SMTP", "localhost")))
    bus.subscribe(BookBorrowed, notifier.on_book_borrowed)
    controller = LoanController(
        BorrowBook(books, members, loans, bus, clock), ReturnBook(books, loans, bus, clock)
    )
    return create_app(controller)
