from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request

from library.interface_adapters.controllers import LoanController


def create_app(controller: LoanController) -> Flask:
    loans = Blueprint("loans", __name__)

    @loans.post("/loans")
    def post_loan():  # type: ignore[no-untyped-def]
        return jsonify(controller.post_loan(request.get_json()))

    @loans.delete("/loans/<isbn>/<int:member>")
    def delete_loan(isbn: str, member: int):  # type: ignore[no-untyped-def]
        return jsonify(controller.delete_loan(isbn, member))

    app = Flask("library")
    app.register_blueprint(loans)
    return app
