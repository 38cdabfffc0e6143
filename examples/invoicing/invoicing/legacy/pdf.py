"""The old statement renderer; invoices themselves already go through the new code."""

from __future__ import annotations

from invoicing.billing.documents import render_invoice  # the legacy code calls the new code
from invoicing.legacy.tax import vat


def render_statement(customer, invoices):
    lines = [f"Statement for {customer}"]
    for invoice in invoices:
        lines.append(f"{invoice['number']}: {invoice['total'] + vat(invoice['total'], 'DE')}")
    return "\n".join(lines)


def render_invoice_pdf(invoice):
    return render_invoice(invoice).encode()
