from dataclasses import dataclass, field

from seedwork.domain.entities import AggregateRoot
from seedwork.domain.value_objects import Money

from modules.bidding.domain.events import BidWasPlaced
from modules.bidding.domain.value_objects import Bid


@dataclass
class Listing(AggregateRoot):
    ask_price: Money | None = None
    bids: list[Bid] = field(default_factory=list)

    def place_bid(self, bid: Bid) -> None:
        self.bids.append(bid)
        self.register_event(BidWasPlaced(listing_id=self.id, bidder_id=bid.bidder_id))
