from dataclasses import dataclass

from seedwork.domain.entities import AggregateRoot


@dataclass
class User(AggregateRoot):
    email: str = ""
    password_hash: str = ""
