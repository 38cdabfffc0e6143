"""The invoice page: migrated to invoicing.billing."""

from __future__ import annotations

from invoicing.billing.documents import render_invoice


def invoice_page(invoice: dict) -> str:
    return f"<pre>{render_invoice(invoice)}</pre>"
