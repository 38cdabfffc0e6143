"""A help desk: tickets opened, assigned and closed (commands); boards and histories (queries)."""
