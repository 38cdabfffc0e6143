"""The ordering context: carts become orders."""
