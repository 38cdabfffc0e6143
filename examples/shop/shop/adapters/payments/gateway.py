from __future__ import annotations

import requests

from shop.application.ports import PaymentGateway
from shop.domain.money import Money


class HttpPaymentGateway(PaymentGateway):
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def charge(self, customer_id: str, amount: Money) -> str:
        response = requests.post(
            f"{self.base_url}/charges",
            json={
                "customer": customer_id,
                "amount": str(amount.amount),
                "currency": amount.currency,
            },
            timeout=10,
        )
        response.raise_for_status()
        return str(response.json()["reference"])
