from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Money:
    """An amount in cents (one currency, to keep the example small)."""

    cents: int

    def __add__(self, other: Money) -> Money:
        return Money(self.cents + other.cents)

    def times(self, quantity: int) -> Money:
        return Money(self.cents * quantity)
