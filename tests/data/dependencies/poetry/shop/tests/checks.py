import pytest

from shop.adapters import db
