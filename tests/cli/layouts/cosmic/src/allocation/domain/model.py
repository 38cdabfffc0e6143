from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import commands, events


@dataclass(unsafe_hash=True)
class OrderLine:
    orderid: str
    sku: str
    qty: int


class Batch:
    def __init__(self, ref: str, sku: str, qty: int, eta: date | None) -> None:
        self.reference, self.sku, self.eta = ref, sku, eta
        self._purchased_quantity = qty
        self._allocations: set[OrderLine] = set()

    def allocate(self, line: OrderLine) -> None:
        if line.qty <= self.available_quantity:
            self._allocations.add(line)

    def deallocate_one(self) -> OrderLine:
        return self._allocations.pop()

    @property
    def available_quantity(self) -> int:
        return self._purchased_quantity - sum(line.qty for line in self._allocations)


class Product:
    def __init__(self, sku: str, batches: list[Batch], version_number: int = 0) -> None:
        self.sku, self.batches, self.version_number = sku, batches, version_number
        self.events: list[events.Event] = []

    def allocate(self, line: OrderLine) -> str | None:
        for batch in sorted(self.batches, key=lambda b: b.eta or date.min):
            if line.qty <= batch.available_quantity:
                batch.allocate(line)
                self.version_number += 1
                self.events.append(
                    events.Allocated(line.orderid, line.sku, line.qty, batch.reference)
                )
                return batch.reference
        self.events.append(events.OutOfStock(line.sku))
        return None

    def change_batch_quantity(self, ref: str, qty: int) -> None:
        batch = next(b for b in self.batches if b.reference == ref)
        batch._purchased_quantity = qty
        while batch.available_quantity < 0:
            line = batch.deallocate_one()
            self.events.append(commands.Allocate(line.orderid, line.sku, line.qty))  # type: ignore[arg-type]
