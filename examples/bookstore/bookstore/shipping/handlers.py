"""Shipping reacts to what ordering announces."""

from __future__ import annotations

from bookstore.ordering.events import OrderPlaced
from bookstore.shipping.model import Parcel


class Dispatch:
    def __init__(self) -> None:
        self.parcels: list[Parcel] = []

    def on_order_placed(self, event: OrderPlaced) -> Parcel:
        parcel = Parcel(event.order_id, event.customer, list(event.references))
        self.parcels.append(parcel)
        return parcel
