import uuid
from dataclasses import dataclass

from seedwork.domain.events import DomainEvent


@dataclass(frozen=True)
class BidWasPlaced(DomainEvent):
    listing_id: uuid.UUID
    bidder_id: uuid.UUID
