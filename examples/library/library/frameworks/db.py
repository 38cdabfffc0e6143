from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import create_engine, text


class SqlAlchemyDatabase:
    """The interface adapters' ``Database``, on SQLAlchemy Core."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)

    def rows(self, query: str, **params: Any) -> Sequence[Mapping[str, Any]]:
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(text(query), params)]

    def run(self, statement: str, **params: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(text(statement), params)
