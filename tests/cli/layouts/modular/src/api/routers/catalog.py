from typing import Annotated

from fastapi import APIRouter, Depends
from modules.catalog.application.query.get_all_listings import GetAllListings

from api.dependencies import get_container

router = APIRouter(prefix="/catalog")


@router.get("/")
def get_all_listings(container: Annotated[object, Depends(get_container)]):
    return GetAllListings()
