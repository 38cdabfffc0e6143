from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    pass


@dataclass
class CommandResult:
    entity_id: object = None
    errors: tuple[str, ...] = ()
