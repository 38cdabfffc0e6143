"""The entry point: the web routes and the scheduled jobs."""

from __future__ import annotations

from invoicing.jobs.reminders import send_reminders
from invoicing.web.customers import customer_statement
from invoicing.web.invoices import invoice_page

ROUTES = {"/invoices/<number>": invoice_page, "/customers/<id>/statement": customer_statement}
JOBS = {"daily 07:00": send_reminders}
