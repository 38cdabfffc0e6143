"""Billing's tax rules: internal to billing."""

from __future__ import annotations

from marketplace.shared.money import Money

VAT_PERCENT = 20


def with_vat(amount: Money) -> Money:
    return Money(amount.cents * (100 + VAT_PERCENT) // 100)
