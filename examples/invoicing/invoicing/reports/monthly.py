"""The monthly VAT report for the accountants: still on the legacy code."""

from __future__ import annotations

from invoicing.legacy.db import invoices_between
from invoicing.legacy.tax import vat


def vat_report(start, end):
    return sum(vat(total, country) for _number, total, country in invoices_between(start, end))
