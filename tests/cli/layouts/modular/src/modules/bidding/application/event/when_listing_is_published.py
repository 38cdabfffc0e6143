from modules.bidding.domain.entities import Listing
from modules.bidding.domain.repositories import ListingRepository
from modules.catalog.domain.events import ListingPublishedEvent


def start_auction(event: ListingPublishedEvent, repository: ListingRepository) -> None:
    repository.add(Listing(id=event.listing_id, ask_price=event.ask_price))
