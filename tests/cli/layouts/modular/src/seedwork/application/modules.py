from collections.abc import Callable

from seedwork.application.commands import Command, CommandResult
from seedwork.application.queries import Query, QueryResult


class ApplicationModule:
    def __init__(self, name: str) -> None:
        self.name = name
        self.command_handlers: dict[type, Callable[..., CommandResult]] = {}
        self.query_handlers: dict[type, Callable[..., QueryResult]] = {}

    def command_handler(self, command: type[Command]) -> Callable:
        def register(handler: Callable) -> Callable:
            self.command_handlers[command] = handler
            return handler

        return register

    def query_handler(self, query: type[Query]) -> Callable:
        def register(handler: Callable) -> Callable:
            self.query_handlers[query] = handler
            return handler

        return register
