import uuid
from dataclasses import dataclass, field

from seedwork.domain.events import DomainEvent


@dataclass
class Entity:
    id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass
class AggregateRoot(Entity):
    events: list[DomainEvent] = field(default_factory=list)

    def register_event(self, event: DomainEvent) -> None:
        self.events.append(event)
