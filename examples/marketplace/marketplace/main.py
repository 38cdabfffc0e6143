"""The composition root: outside every module, it wires them together."""

from __future__ import annotations

from marketplace import billing, shipping
from marketplace.catalog.api import add_product
from marketplace.ordering.api import place_order
from marketplace.shared.events import EventBus
from marketplace.shared.money import Money


def build() -> EventBus:
    bus = EventBus()
    billing.subscribe(bus)
    shipping.subscribe(bus)
    return bus


def demo() -> None:
    bus = build()
    add_product("tea", "Green tea", Money(450), weight_grams=100)
    place_order(bus, customer="ada", items={"tea": 2})


if __name__ == "__main__":
    demo()
