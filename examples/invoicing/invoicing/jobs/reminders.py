"""Payment reminders for overdue invoices: still reads them with the legacy code."""

from __future__ import annotations

from invoicing.legacy.db import overdue_invoices


def send_reminders(send) -> int:
    count = 0
    for number, customer, total in overdue_invoices():
        send(customer, f"Invoice {number} ({total}) is overdue")
        count += 1
    return count
