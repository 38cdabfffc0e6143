"""The composition root: the one place that knows every adapter."""

from __future__ import annotations

import os

from flask import Flask
from sqlalchemy import create_engine

from shop.adapters.db.repository import SqlOrderRepository
from shop.adapters.payments.gateway import HttpPaymentGateway
from shop.adapters.web.handlers import blueprint, make_place_order_view
from shop.application.place_order import PlaceOrder


def create_app() -> Flask:
    engine = create_engine(os.environ.get("SHOP_DATABASE_URL", "sqlite://"))
    place_order = PlaceOrder(
        orders=SqlOrderRepository(engine.connect()),
        payments=HttpPaymentGateway(os.environ.get("SHOP_PAYMENTS_URL", "http://localhost:9000")),
    )
    make_place_order_view(place_order)
    app = Flask(__name__)
    app.register_blueprint(blueprint)
    return app
