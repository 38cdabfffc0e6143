"""What other modules may use of shipping."""

from __future__ import annotations

from marketplace.ordering.events import OrderPlaced
from marketplace.shared.events import EventBus
from marketplace.shipping.parcels import PARCELS, Parcel


def subscribe(bus: EventBus) -> None:
    bus.subscribe(OrderPlaced, on_order_placed)


def on_order_placed(event: OrderPlaced) -> None:
    PARCELS.append(Parcel(event.order_number, event.customer, items=len(event.items)))


def parcels_for(customer: str) -> list[Parcel]:
    return [parcel for parcel in PARCELS if parcel.customer == customer]
