"""What other modules may use of the catalog."""

from __future__ import annotations

from marketplace.catalog.products import Product
from marketplace.catalog.repository import PRODUCTS
from marketplace.shared.money import Money


def add_product(sku: str, name: str, price: Money, *, weight_grams: int) -> Product:
    product = Product(sku, name, price, weight_grams)
    PRODUCTS[sku] = product
    return product


def find_product(sku: str) -> Product:
    return PRODUCTS[sku]


__all__ = ["Product", "add_product", "find_product"]
