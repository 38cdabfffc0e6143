from __future__ import annotations

from dataclasses import dataclass

from library.entities.values import MemberId


@dataclass
class Member:
    id: MemberId
    name: str
    email: str
    max_loans: int = 5
