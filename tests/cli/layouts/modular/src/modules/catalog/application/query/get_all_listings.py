from dataclasses import dataclass

from seedwork.application.queries import Query, QueryResult
from sqlalchemy.orm import Session

from modules.catalog import catalog_module
from modules.catalog.infrastructure.listing_repository import CatalogListing


@dataclass(frozen=True)
class GetAllListings(Query):
    pass


@catalog_module.query_handler(GetAllListings)
def get_all_listings(query: GetAllListings, session: Session) -> QueryResult:
    return QueryResult(payload=session.query(CatalogListing).all())
