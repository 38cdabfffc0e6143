"""The catalog: products and their prices."""

from marketplace.catalog.api import Product, find_product

__all__ = ["Product", "find_product"]
