import uuid
from dataclasses import dataclass

from seedwork.application.commands import Command, CommandResult
from seedwork.domain.value_objects import Money

from modules.bidding import bidding_module
from modules.bidding.domain.repositories import ListingRepository
from modules.bidding.domain.value_objects import Bid


@dataclass(frozen=True)
class PlaceBidCommand(Command):
    listing_id: uuid.UUID
    bidder_id: uuid.UUID
    amount: Money


@bidding_module.command_handler(PlaceBidCommand)
def place_bid(command: PlaceBidCommand, repository: ListingRepository) -> CommandResult:
    listing = repository.get_by_id(command.listing_id)
    listing.place_bid(Bid(bidder_id=command.bidder_id, max_price=command.amount))
    return CommandResult(entity_id=listing.id)
