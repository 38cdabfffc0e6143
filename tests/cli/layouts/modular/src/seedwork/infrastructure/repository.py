import uuid

from sqlalchemy.orm import Session

from seedwork.domain.entities import AggregateRoot
from seedwork.domain.repositories import GenericRepository


class SqlAlchemyRepository(GenericRepository):
    model: type[AggregateRoot] = AggregateRoot

    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_id(self, id: uuid.UUID) -> AggregateRoot:
        return self.session.get(self.model, id)

    def add(self, entity: AggregateRoot) -> None:
        self.session.add(entity)
