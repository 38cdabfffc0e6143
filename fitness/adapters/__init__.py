"""Thin adapters between the core and the outside world: files, grimp, text."""
