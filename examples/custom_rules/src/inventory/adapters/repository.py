import json
from decimal import Decimal
from pathlib import Path

from inventory.domain.item import Item
from inventory.domain.money import Money
from inventory.domain.stock import StockLevel


def load_levels(path: Path) -> list[StockLevel]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [
        StockLevel(
            Item(row["sku"], row["name"], Money(Decimal(row["unit_cost"]))),
            row["on_hand"],
            row["reorder_point"],
        )
        for row in rows
    ]
