"""What the catalog announces: part of its published language."""

from __future__ import annotations

from dataclasses import dataclass

from bookstore.shared.identifiers import Isbn
from bookstore.shared.money import Money


@dataclass(frozen=True)
class PriceChanged:
    isbn: Isbn
    old_price: Money
    new_price: Money
