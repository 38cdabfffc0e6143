"""Shipping's published language."""

from __future__ import annotations

from bookstore.shipping.handlers import Dispatch
from bookstore.shipping.model import Parcel

__all__ = ["Dispatch", "Parcel"]
