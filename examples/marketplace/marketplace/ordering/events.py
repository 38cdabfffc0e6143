"""The facts ordering publishes: plain data, part of its interface."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.shared.money import Money


@dataclass(frozen=True)
class OrderPlaced:
    order_number: int
    customer: str
    total: Money
    items: tuple[tuple[str, int], ...]
