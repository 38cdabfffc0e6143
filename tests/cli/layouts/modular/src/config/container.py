from modules.bidding.infrastructure.listing_repository import (
    SqlListingRepository as BiddingListings,
)
from modules.catalog.infrastructure.listing_repository import (
    SqlListingRepository as CatalogListings,
)
from modules.iam.infrastructure.user_repository import SqlUserRepository


class Container:
    def __init__(self, session) -> None:
        self.bidding_listings = BiddingListings(session)
        self.catalog_listings = CatalogListings(session)
        self.users = SqlUserRepository(session)
