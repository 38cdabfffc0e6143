"""The command side: each handler decides on the write model."""
