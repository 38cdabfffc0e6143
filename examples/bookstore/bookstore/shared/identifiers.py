from __future__ import annotations

import uuid
from typing import NewType

Isbn = NewType("Isbn", str)
OrderId = NewType("OrderId", str)


def new_order_id() -> OrderId:
    return OrderId(uuid.uuid4().hex)
