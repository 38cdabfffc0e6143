from dataclasses import dataclass

from inventory.domain.item import Item


@dataclass
class StockLevel:
    item: Item
    on_hand: int
    reorder_point: int

    @property
    def needs_restock(self) -> bool:
        return self.on_hand <= self.reorder_point
