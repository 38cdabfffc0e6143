"""An in-process event bus: the use cases' ``Events``, delivering to subscribers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any


class EventBus:
    def __init__(self) -> None:
        self.handlers: defaultdict[type, list[Callable[[Any], None]]] = defaultdict(list)

    def subscribe(self, event_type: type, handler: Callable[[Any], None]) -> None:
        self.handlers[event_type].append(handler)

    def publish(self, event: object) -> None:
        for handler in self.handlers[type(event)]:
            handler(event)
