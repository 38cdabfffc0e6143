import abc
import uuid

from seedwork.domain.entities import AggregateRoot


class GenericRepository(abc.ABC):
    @abc.abstractmethod
    def get_by_id(self, id: uuid.UUID) -> AggregateRoot: ...

    @abc.abstractmethod
    def add(self, entity: AggregateRoot) -> None: ...
