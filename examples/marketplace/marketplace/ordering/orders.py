"""The order aggregate: ordering's own model, not part of its interface."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from marketplace.shared.money import Money

_numbers = itertools.count(1)


@dataclass
class OrderLine:
    sku: str
    quantity: int
    unit_price: Money


@dataclass
class Order:
    customer: str
    lines: list[OrderLine] = field(default_factory=list)
    number: int = field(default_factory=lambda: next(_numbers))

    def total(self) -> Money:
        total = Money(0)
        for line in self.lines:
            total = total + line.unit_price.times(line.quantity)
        return total
