from __future__ import annotations

from sqlalchemy import Boolean, Column, MetaData, String, Table

metadata = MetaData()

orders = Table(
    "orders",
    metadata,
    Column("id", String, primary_key=True),
    Column("customer_id", String, nullable=False),
    Column("paid", Boolean, default=False),
)
