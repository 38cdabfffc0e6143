from __future__ import annotations

from sqlalchemy.engine import Connection

from shop.adapters.db.tables import orders
from shop.domain.model import Order


class SqlOrderRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, order_id: str) -> Order:
        row = self.connection.execute(orders.select().where(orders.c.id == order_id)).one()
        return Order(customer_id=row.customer_id, id=row.id, paid=row.paid)

    def add(self, order: Order) -> None:
        self.connection.execute(
            orders.insert().values(id=order.id, customer_id=order.customer_id, paid=order.paid)
        )
