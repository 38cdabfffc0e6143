import uuid
from dataclasses import dataclass

from seedwork.domain.events import DomainEvent
from seedwork.domain.value_objects import Money


@dataclass(frozen=True)
class ListingPublishedEvent(DomainEvent):
    listing_id: uuid.UUID
    ask_price: Money | None
