"""An online shop, in ports-and-adapters style."""
