from pydantic import BaseModel


class ItemCreate(BaseModel):
    title: str
    description: str | None = None


class ItemPublic(ItemCreate):
    id: int
    owner_id: int
