"""Invoices for a small wholesaler: web pages, monthly reports, reminder jobs."""
