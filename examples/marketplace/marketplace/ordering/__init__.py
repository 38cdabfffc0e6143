"""Ordering: customers' orders, and the fact that one was placed."""

from marketplace.ordering.api import place_order
from marketplace.ordering.orders import (
    Order,
    OrderLine,  # noqa: F401  (importable, not exported)
)

__all__ = ["Order", "place_order"]
