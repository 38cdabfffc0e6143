"""The model of the shop: orders, money and pricing. Pure Python, no I/O."""
