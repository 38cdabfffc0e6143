import uuid
from dataclasses import dataclass

from seedwork.application.queries import Query, QueryResult

from modules.bidding import bidding_module
from modules.bidding.domain.repositories import ListingRepository


@dataclass(frozen=True)
class GetBiddingDetails(Query):
    listing_id: uuid.UUID


@bidding_module.query_handler(GetBiddingDetails)
def get_bidding_details(query: GetBiddingDetails, repository: ListingRepository) -> QueryResult:
    return QueryResult(payload=repository.get_by_id(query.listing_id))
