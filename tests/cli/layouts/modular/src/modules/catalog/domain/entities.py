from dataclasses import dataclass

from seedwork.domain.entities import AggregateRoot
from seedwork.domain.value_objects import Money

from modules.catalog.domain.events import ListingPublishedEvent


@dataclass
class Listing(AggregateRoot):
    title: str = ""
    ask_price: Money | None = None
    published: bool = False

    def publish(self) -> None:
        self.published = True
        self.register_event(ListingPublishedEvent(listing_id=self.id, ask_price=self.ask_price))
