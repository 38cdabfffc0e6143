"""The customer statement page: still renders with the legacy code."""

from __future__ import annotations

from invoicing.legacy.pdf import render_statement


def customer_statement(customer: str, invoices: list) -> str:
    return f"<pre>{render_statement(customer, invoices)}</pre>"
