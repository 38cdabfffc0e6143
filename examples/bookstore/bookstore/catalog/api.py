"""The catalog's published language: what other contexts may ask of it."""

from __future__ import annotations

from dataclasses import dataclass

from bookstore.catalog.events import PriceChanged
from bookstore.catalog.repository import BookRepository
from bookstore.shared.identifiers import Isbn
from bookstore.shared.money import Money


@dataclass(frozen=True)
class BookSummary:
    isbn: Isbn
    title: str
    price: Money
    available: bool


class Catalog:
    def __init__(self, books: BookRepository) -> None:
        self._books = books

    def summary(self, isbn: Isbn) -> BookSummary | None:
        book = self._books.get(isbn)
        if book is None:
            return None
        return BookSummary(book.isbn, book.title, book.list_price, not book.withdrawn)

    def reprice(self, isbn: Isbn, price: Money) -> PriceChanged:
        book = self._books.get(isbn)
        if book is None:
            raise KeyError(isbn)
        return PriceChanged(isbn, book.reprice(price), price)
