import pytest
from allocation.adapters.orm import metadata, start_mappers


@pytest.fixture
def mappers():
    start_mappers()
    yield metadata
