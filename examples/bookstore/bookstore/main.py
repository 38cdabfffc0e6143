"""The composition root: wires the contexts together (outside every context)."""

from __future__ import annotations

from bookstore.catalog.api import Catalog
from bookstore.catalog.repository import BookRepository
from bookstore.ordering.acl import CatalogProducts
from bookstore.ordering.api import Checkout
from bookstore.shipping.api import Dispatch


def build() -> tuple[Catalog, Checkout, Dispatch]:
    catalog = Catalog(BookRepository())
    dispatch = Dispatch()
    checkout = Checkout(CatalogProducts(catalog), publish=dispatch.on_order_placed)
    return catalog, checkout, dispatch
