"""The write model: the ticket aggregate and its event store."""
