from __future__ import annotations

from dataclasses import dataclass

from library.entities.values import Isbn


class NoCopyLeft(Exception):
    pass


@dataclass
class Book:
    isbn: Isbn
    title: str
    copies: int = 1
    on_loan: int = 0

    def lend(self) -> None:
        if self.on_loan >= self.copies:
            raise NoCopyLeft(self.title)
        self.on_loan += 1

    def give_back(self) -> None:
        self.on_loan = max(0, self.on_loan - 1)
