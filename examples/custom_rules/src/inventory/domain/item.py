from dataclasses import dataclass

from inventory.domain.money import Money


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    unit_cost: Money
