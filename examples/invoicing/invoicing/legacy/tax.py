"""VAT by country code, as module globals (the rates changed twice since)."""

from __future__ import annotations

VAT_RATES = {"DE": 19, "FR": 20, "NL": 21}


def vat(amount_cents, country):
    return amount_cents * VAT_RATES.get(country, 0) // 100
