"""Inventory: items, stock levels, restocking and reports."""
