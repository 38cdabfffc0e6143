from modules.catalog.application.command.publish_listing import PublishListingDraftCommand
from modules.catalog.infrastructure.listing_repository import SqlListingRepository


def test_publishing_a_draft(session) -> None:
    repository = SqlListingRepository(session)
    assert PublishListingDraftCommand(listing_id=None)
    assert repository
