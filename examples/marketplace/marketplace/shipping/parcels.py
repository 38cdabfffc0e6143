from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Parcel:
    order_number: int
    customer: str
    items: int


PARCELS: list[Parcel] = []
