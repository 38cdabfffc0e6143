"""Raw SQL against the invoices table."""

from __future__ import annotations

import sqlite3

CONNECTION = sqlite3.connect("invoices.db")


def overdue_invoices():
    return CONNECTION.execute("SELECT number, customer, total FROM invoices WHERE due < date()")


def invoices_between(start, end):
    return CONNECTION.execute(
        "SELECT number, total, country FROM invoices WHERE date BETWEEN ? AND ?", (start, end)
    )
