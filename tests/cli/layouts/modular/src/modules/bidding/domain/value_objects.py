import uuid
from dataclasses import dataclass

from seedwork.domain.value_objects import Money


@dataclass(frozen=True)
class Bid:
    bidder_id: uuid.UUID
    max_price: Money
