from __future__ import annotations

from dataclasses import dataclass

from shop.application.ports import OrderRepository, PaymentGateway
from shop.domain.model import Order, OrderLine
from shop.domain.pricing import order_total


@dataclass
class PlaceOrder:
    orders: OrderRepository
    payments: PaymentGateway

    def __call__(self, customer_id: str, lines: list[OrderLine]) -> Order:
        order = Order(customer_id)
        for line in lines:
            order.add(line)
        self.payments.charge(customer_id, order_total(order))
        order.paid = True
        self.orders.add(order)
        return order
