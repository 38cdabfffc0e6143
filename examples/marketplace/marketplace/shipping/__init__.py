"""Shipping: a parcel for every order placed."""

from marketplace.shipping.api import parcels_for, subscribe

__all__ = ["parcels_for", "subscribe"]
