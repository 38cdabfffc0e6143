from sqlalchemy.orm import Session

from app.models.item import Item
from app.models.user import User
from app.repositories import items as item_repository
from app.schemas.item import ItemCreate


def list_items(session: Session, owner: User, skip: int, limit: int) -> list[Item]:
    return item_repository.get_multi_by_owner(session, owner_id=owner.id, skip=skip, limit=limit)


def create_item(session: Session, owner: User, item_in: ItemCreate) -> Item:
    return item_repository.create(session, item_in=item_in, owner_id=owner.id)
