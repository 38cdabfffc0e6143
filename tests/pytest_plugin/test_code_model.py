"""The fitness_graph fixture carries the code model (classes and functions), built on
first use, from the source (never imported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import write_project


def test_the_fixtures_graph_knows_classes_their_ancestry_and_calls(
    pytester: pytest.Pytester, shop: Path
) -> None:
    write_project(
        shop,
        (shop / "pyproject.toml").read_text(),
        {
            "shop/domain/orm.py": """
                from sqlalchemy.orm import DeclarativeBase

                class Base(DeclarativeBase):
                    pass
            """,
            "shop/domain/customer.py": """
                from shop.domain import orm

                class Customer(orm.Base):
                    def greet(self):
                        print("hello")
            """,
            "test_model.py": """
                def test_ancestry(fitness_graph):
                    model = fitness_graph.code_model()
                    customer = model.class_named("shop.domain.customer.Customer")
                    assert model.ancestors(customer) == (
                        "shop.domain.orm.Base",
                        "sqlalchemy.orm.DeclarativeBase",
                    )
                    assert model.is_subclass(customer, "sqlalchemy.orm.*")

                def test_calls(fitness_graph):
                    model = fitness_graph.code_model()
                    [greet] = [
                        f for f in model.functions() if f.qualified_name.endswith("greet")
                    ]
                    assert [(c.target, c.line) for c in greet.calls] == [("print", 5)]

                def test_ports(fitness_graph):
                    model = fitness_graph.code_model()
                    gateway = model.class_named("shop.application.ports.PaymentGateway")
                    assert gateway.abstract and not gateway.protocol
                    repository = model.class_named("shop.application.ports.OrderRepository")
                    assert repository.protocol and repository.abstract
            """,
        },
    )
    result = pytester.runpytest("test_model.py", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
