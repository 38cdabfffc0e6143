from __future__ import annotations

from dataclasses import dataclass

from marketplace.shared.money import Money


@dataclass(frozen=True)
class Invoice:
    order_number: int
    customer: str
    amount: Money


INVOICES: list[Invoice] = []
