from __future__ import annotations

from collections.abc import Callable

from bookstore.ordering.acl import CatalogProducts
from bookstore.ordering.events import OrderPlaced
from bookstore.ordering.model import Order
from bookstore.shared.identifiers import new_order_id


class Checkout:
    def __init__(self, products: CatalogProducts, publish: Callable[[OrderPlaced], None]) -> None:
        self._products = products
        self._publish = publish

    def place(self, customer: str, cart: dict[str, int]) -> Order:
        order = Order(new_order_id(), customer)
        for reference, quantity in cart.items():
            product = self._products.product(reference)
            if product is None:
                raise LookupError(f"{reference} cannot be ordered")
            order.add(product, quantity)
        self._publish(OrderPlaced(order.id, customer, tuple(cart)))
        return order
