from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = "EUR"

    def times(self, quantity: int) -> "Money":
        return Money(self.amount * quantity, self.currency)
