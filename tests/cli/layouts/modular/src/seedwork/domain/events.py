from dataclasses import dataclass


@dataclass(frozen=True)
class DomainEvent:
    pass
