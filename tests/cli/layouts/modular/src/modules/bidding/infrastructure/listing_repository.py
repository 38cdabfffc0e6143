from seedwork.infrastructure.repository import SqlAlchemyRepository

from modules.bidding.domain.entities import Listing
from modules.bidding.domain.repositories import ListingRepository


class SqlListingRepository(ListingRepository, SqlAlchemyRepository):
    model = Listing
