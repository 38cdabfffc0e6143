from __future__ import annotations

from decimal import Decimal

from shop.domain.model import Order
from shop.domain.money import Money


def order_total(order: Order, discount_percent: int = 0) -> Money:
    total = Money(Decimal(0))
    for line in order.lines:
        total = total + line.total
    return Money(total.amount * (100 - discount_percent) / 100, total.currency)
