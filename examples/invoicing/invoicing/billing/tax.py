"""VAT rules, with the date each rate applies from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class VatRate:
    country: str
    percent: int
    since: date


RATES = (
    VatRate("DE", 19, date(2007, 1, 1)),
    VatRate("FR", 20, date(2014, 1, 1)),
    VatRate("NL", 21, date(2012, 10, 1)),
)


def vat(amount_cents: int, country: str, on: date) -> int:
    rates = [r for r in RATES if r.country == country and r.since <= on]
    return amount_cents * max(rates, key=lambda r: r.since).percent // 100 if rates else 0
