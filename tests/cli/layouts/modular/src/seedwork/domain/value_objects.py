from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = "USD"

    def __gt__(self, other: "Money") -> bool:
        return self.amount > other.amount
