"""Adapters: the web API that drives the shop, the database and payments it is driven by."""
