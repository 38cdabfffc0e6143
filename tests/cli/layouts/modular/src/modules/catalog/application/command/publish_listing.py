import uuid
from dataclasses import dataclass

from seedwork.application.commands import Command, CommandResult

from modules.catalog import catalog_module
from modules.catalog.domain.repositories import ListingRepository


@dataclass(frozen=True)
class PublishListingDraftCommand(Command):
    listing_id: uuid.UUID


@catalog_module.command_handler(PublishListingDraftCommand)
def publish_listing_draft(
    command: PublishListingDraftCommand, repository: ListingRepository
) -> CommandResult:
    listing = repository.get_by_id(command.listing_id)
    listing.publish()
    return CommandResult(entity_id=listing.id)
