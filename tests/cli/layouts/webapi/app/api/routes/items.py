from fastapi import APIRouter

from app.api.deps import CurrentUser, SessionDep
from app.schemas.item import ItemCreate, ItemPublic
from app.services import items as item_service

router = APIRouter(tags=["items"])


@router.get("/", response_model=list[ItemPublic])
def read_items(session: SessionDep, current_user: CurrentUser, skip: int = 0, limit: int = 100):
    return item_service.list_items(session, owner=current_user, skip=skip, limit=limit)


@router.post("/", response_model=ItemPublic)
def create_item(session: SessionDep, current_user: CurrentUser, item_in: ItemCreate):
    return item_service.create_item(session, owner=current_user, item_in=item_in)
