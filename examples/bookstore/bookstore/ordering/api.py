"""Ordering's published language: what other contexts may ask of it."""

from __future__ import annotations

from bookstore.ordering.checkout import Checkout
from bookstore.ordering.events import OrderPlaced

__all__ = ["Checkout", "OrderPlaced"]
