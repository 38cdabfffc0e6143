"""The catalog's storage: an implementation detail no other module may import."""

from __future__ import annotations

from marketplace.catalog.products import Product

PRODUCTS: dict[str, Product] = {}
