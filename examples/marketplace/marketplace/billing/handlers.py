"""Billing reacts to ordering's events; it never calls ordering back."""

from __future__ import annotations

from marketplace.billing.invoices import INVOICES, Invoice
from marketplace.billing.tax import with_vat
from marketplace.ordering.events import OrderPlaced


def on_order_placed(event: OrderPlaced) -> None:
    INVOICES.append(Invoice(event.order_number, event.customer, with_vat(event.total)))
