from __future__ import annotations

from dataclasses import dataclass

from marketplace.shared.money import Money


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: Money
    weight_grams: int
