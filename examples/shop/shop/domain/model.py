from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from shop.domain.money import Money


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int
    unit_price: Money

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity)


@dataclass
class Order:
    customer_id: str
    lines: list[OrderLine] = field(default_factory=list)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    paid: bool = False

    def add(self, line: OrderLine) -> None:
        if line.quantity <= 0:
            raise ValueError("quantity must be positive")
        self.lines.append(line)
