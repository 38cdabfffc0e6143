from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, jsonify, request

from shop.application.place_order import PlaceOrder
from shop.domain.model import OrderLine
from shop.domain.money import Money

blueprint = Blueprint("orders", __name__)


def make_place_order_view(place_order: PlaceOrder):  # type: ignore[no-untyped-def]
    @blueprint.post("/orders")
    def place() -> object:
        payload = request.get_json()
        lines = [
            OrderLine(item["sku"], int(item["quantity"]), Money(Decimal(item["price"])))
            for item in payload["lines"]
        ]
        order = place_order(payload["customer_id"], lines)
        return jsonify({"id": order.id})

    return place
