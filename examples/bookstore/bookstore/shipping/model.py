from __future__ import annotations

from dataclasses import dataclass, field

from bookstore.shared.identifiers import OrderId


@dataclass
class Parcel:
    order_id: OrderId
    recipient: str
    items: list[str] = field(default_factory=list)
    dispatched: bool = False
