from sqlalchemy import select

from app.api.deps import SessionDep
from app.models.item import Item
from app.schemas.item import ItemCreate


def get_multi_by_owner(
    session: SessionDep, owner_id: int, skip: int = 0, limit: int = 100
) -> list[Item]:
    statement = select(Item).where(Item.owner_id == owner_id).offset(skip).limit(limit)
    return list(session.scalars(statement))


def create(session: SessionDep, item_in: ItemCreate, owner_id: int) -> Item:
    item = Item(**item_in.model_dump(), owner_id=owner_id)
    session.add(item)
    session.commit()
    return item
