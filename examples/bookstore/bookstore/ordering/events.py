"""What ordering announces: part of its published language."""

from __future__ import annotations

from dataclasses import dataclass

from bookstore.shared.identifiers import OrderId


@dataclass(frozen=True)
class OrderPlaced:
    order_id: OrderId
    customer: str
    references: tuple[str, ...]
