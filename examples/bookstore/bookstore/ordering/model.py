from __future__ import annotations

from dataclasses import dataclass, field

from bookstore.shared.identifiers import OrderId
from bookstore.shared.money import Money


@dataclass(frozen=True)
class Product:
    """A book as ordering sees it: something with a reference and a price."""

    reference: str
    name: str
    unit_price: Money


@dataclass
class OrderLine:
    product: Product
    quantity: int

    @property
    def total(self) -> Money:
        return self.product.unit_price.times(self.quantity)


@dataclass
class Order:
    id: OrderId
    customer: str
    lines: list[OrderLine] = field(default_factory=list)

    def add(self, product: Product, quantity: int) -> None:
        self.lines.append(OrderLine(product, quantity))

    @property
    def total(self) -> Money:
        totals = [line.total for line in self.lines]
        result = totals[0]
        for amount in totals[1:]:
            result = result + amount
        return result
