from __future__ import annotations

from bookstore.catalog.model import Book
from bookstore.shared.identifiers import Isbn


class BookRepository:
    def __init__(self) -> None:
        self._books: dict[Isbn, Book] = {}

    def add(self, book: Book) -> None:
        self._books[book.isbn] = book

    def get(self, isbn: Isbn) -> Book | None:
        return self._books.get(isbn)
