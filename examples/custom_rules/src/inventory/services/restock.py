from collections.abc import Iterable

from inventory.domain.money import Money
from inventory.domain.stock import StockLevel


def restock_order(levels: Iterable[StockLevel], batch: int = 10) -> dict[str, int]:
    """How many of each item to order: a batch for every item at or below its reorder point."""
    return {level.item.sku: batch for level in levels if level.needs_restock}


def order_cost(levels: Iterable[StockLevel], order: dict[str, int]) -> Money:
    total = Money(sum(lv.item.unit_cost.times(order.get(lv.item.sku, 0)).amount for lv in levels))
    return total
