"""What other modules may use of ordering."""

from __future__ import annotations

from marketplace.catalog.api import find_product
from marketplace.ordering.events import OrderPlaced
from marketplace.ordering.orders import Order, OrderLine
from marketplace.shared.events import EventBus


def place_order(bus: EventBus, *, customer: str, items: dict[str, int]) -> Order:
    order = Order(customer)
    for sku, quantity in sorted(items.items()):
        product = find_product(sku)
        order.lines.append(OrderLine(sku, quantity, product.price))
    bus.publish(OrderPlaced(order.number, customer, order.total(), tuple(items.items())))
    return order
