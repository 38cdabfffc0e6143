from __future__ import annotations

from dataclasses import dataclass, field

from bookstore.shared.identifiers import Isbn
from bookstore.shared.money import Money


@dataclass
class Edition:
    format: str  # "hardcover", "paperback", "ebook"
    pages: int


@dataclass
class Book:
    isbn: Isbn
    title: str
    authors: list[str]
    list_price: Money
    editions: list[Edition] = field(default_factory=list)
    withdrawn: bool = False

    def reprice(self, price: Money) -> Money:
        old, self.list_price = self.list_price, price
        return old
