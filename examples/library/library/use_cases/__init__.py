"""The use cases ring: what the library does, on the interfaces it needs (ports.py)."""
