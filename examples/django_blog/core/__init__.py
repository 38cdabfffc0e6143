"""Helpers shared by every app; not an app itself (no apps.py, no models.py)."""
