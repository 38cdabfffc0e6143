"""The model: no third-party distribution, but it reaches one through shop.util."""
from shop import util
