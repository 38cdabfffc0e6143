from modules.bidding.application.command.place_bid import PlaceBidCommand
from modules.bidding.infrastructure.listing_repository import SqlListingRepository


def test_placing_a_bid(session) -> None:
    assert SqlListingRepository(session)
    assert PlaceBidCommand
