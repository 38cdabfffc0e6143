"""What other modules may use of billing."""

from __future__ import annotations

from marketplace.billing.handlers import on_order_placed
from marketplace.billing.invoices import INVOICES, Invoice
from marketplace.ordering.events import OrderPlaced
from marketplace.shared.events import EventBus


def subscribe(bus: EventBus) -> None:
    bus.subscribe(OrderPlaced, on_order_placed)


def invoices_for(customer: str) -> list[Invoice]:
    return [invoice for invoice in INVOICES if invoice.customer == customer]


__all__ = ["Invoice", "invoices_for", "subscribe"]
