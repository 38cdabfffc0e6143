from typing import Annotated

from fastapi import APIRouter, Depends
from modules.bidding.application.command.place_bid import PlaceBidCommand
from modules.bidding.application.query.get_bidding_details import GetBiddingDetails

from api.dependencies import get_container

router = APIRouter(prefix="/bidding")


@router.get("/{listing_id}")
def get_bidding_details(listing_id: str, container: Annotated[object, Depends(get_container)]):
    return GetBiddingDetails(listing_id=listing_id)


@router.post("/{listing_id}/place_bid")
def place_bid(listing_id: str, container: Annotated[object, Depends(get_container)]):
    return PlaceBidCommand
