"""Settings: `base` is shared, `dev` and `prod` extend it (DJANGO_SETTINGS_MODULE picks one)."""
