"""Invoice documents: the text every channel (PDF, e-mail, web) renders."""

from __future__ import annotations

from invoicing.billing.tax import vat


def render_invoice(invoice: dict) -> str:
    tax = vat(invoice["total"], invoice["country"], invoice["date"])
    return f"Invoice {invoice['number']}\nNet {invoice['total']}\nVAT {tax}"
