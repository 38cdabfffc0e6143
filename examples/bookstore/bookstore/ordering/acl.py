"""The anticorruption layer: the catalog's language translated into ordering's model.

The only module of the ordering context that knows the catalog."""

from __future__ import annotations

from bookstore.catalog.api import BookSummary, Catalog
from bookstore.ordering.model import Product
from bookstore.shared.identifiers import Isbn


class CatalogProducts:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def product(self, reference: str) -> Product | None:
        summary = self._catalog.summary(Isbn(reference))
        if summary is None or not summary.available:
            return None
        return _to_product(summary)


def _to_product(summary: BookSummary) -> Product:
    return Product(reference=summary.isbn, name=summary.title, unit_price=summary.price)
