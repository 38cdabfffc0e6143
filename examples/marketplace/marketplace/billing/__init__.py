"""Billing: an invoice for every order placed."""

from marketplace.billing.api import Invoice, invoices_for, subscribe

__all__ = ["Invoice", "invoices_for", "subscribe"]
