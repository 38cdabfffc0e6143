"""A lending library, built in rings: entities, use cases, interface adapters, frameworks."""
