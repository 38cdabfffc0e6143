"""The read model: views shaped for the screens, kept up to date from events."""
