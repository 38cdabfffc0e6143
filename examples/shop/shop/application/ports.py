from __future__ import annotations

import abc
from typing import Protocol

from shop.domain.model import Order
from shop.domain.money import Money


class OrderRepository(Protocol):
    def get(self, order_id: str) -> Order: ...

    def add(self, order: Order) -> None: ...


class PaymentGateway(abc.ABC):
    @abc.abstractmethod
    def charge(self, customer_id: str, amount: Money) -> str:
        """Charge the customer; return the payment reference."""
