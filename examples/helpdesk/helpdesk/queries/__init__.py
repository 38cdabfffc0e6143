"""The query side: each handler reads the read model, never the write model."""
