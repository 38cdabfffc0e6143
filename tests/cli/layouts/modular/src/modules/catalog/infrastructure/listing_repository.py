from seedwork.infrastructure.repository import SqlAlchemyRepository
from sqlalchemy import Column, String

from modules.catalog.domain.entities import Listing
from modules.catalog.domain.repositories import ListingRepository


class CatalogListing:
    __tablename__ = "catalog_listing"
    title = Column(String)


class SqlListingRepository(ListingRepository, SqlAlchemyRepository):
    model = Listing
