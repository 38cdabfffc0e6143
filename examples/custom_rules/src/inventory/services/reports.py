from collections.abc import Iterable

from inventory.domain.stock import StockLevel


def low_stock(levels: Iterable[StockLevel]) -> list[str]:
    return sorted(level.item.sku for level in levels if level.needs_restock)
