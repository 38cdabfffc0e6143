"""A bookstore in three bounded contexts: catalog, ordering and shipping."""
