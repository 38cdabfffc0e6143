"""examples/shop's class and function rules, run for real (pytester) on a copy of the
shop, and broken the ways a team breaks them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# Imported here, so that pytester's in-process runs share one copy of the fluent API and
# of the observer it reports to (pytester forgets the modules a run imported, while
# `fitness.classes`, looked up once, would keep the first run's copy).
import fitness.domain.fluent.code  # noqa: F401
from fitness.cli import main
from tests.helpers import append, copy_example, write_files

IN_MEMORY_REPOSITORY = """
from shop.domain.model import Order


class InMemoryOrderRepository:
    def __init__(self) -> None:
        self.orders: dict[str, Order] = {}

    def get(self, order_id: str) -> Order:
        return self.orders[order_id]

    def add(self, order: Order) -> None:
        self.orders[order.id] = order
"""

ORM_BASE = """
from sqlalchemy.orm import DeclarativeBase


class Record(DeclarativeBase):
    \"\"\"Every entity is a row.\"\"\"
"""

ENTITY = """
from dataclasses import dataclass

from shop.domain.records import Record


@dataclass
class Customer(Record):
    name: str
"""

PRINT_IN_THE_DOMAIN = """

def log_total(order: Order) -> None:
    print(f"total: {order_total(order).amount}")
"""

CLASS_RULES = "-k", "Repositories or Entities or does or creates"


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", *args)


def test_the_class_rules_hold_on_the_shop(pytester: pytest.Pytester, shop: Path) -> None:
    result = run(pytester, *CLASS_RULES, "-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "pyproject.toml::Repositories live in the adapters PASSED*",
            "pyproject.toml::Entities are free of the ORM PASSED*",
            "pyproject.toml::The domain does no I/O PASSED*",
            "pyproject.toml::Only the composition root creates adapters PASSED*",
        ]
    )


def test_an_in_memory_repository_in_the_application_layer_is_named_with_file_and_line(
    pytester: pytest.Pytester, shop: Path
) -> None:
    write_files(shop, {"shop/application/memory.py": IN_MEMORY_REPOSITORY})
    result = run(pytester, "-k", "Repositories")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "classes in shop that implement shop.application.ports.OrderRepository should "
            "reside in shop.adapters, because ports are implemented by adapters.",
            "",
            "shop.application.memory.InMemoryOrderRepository (shop/application/memory.py:4) "
            "resides in shop.application.memory, outside shop.adapters",
            "",
            "How to fix: Move it into the modules the rule names, or narrow the selection.",
        ],
        consecutive=True,
    )


def test_an_entity_deriving_from_an_orm_base_through_another_class_shows_the_way_up(
    pytester: pytest.Pytester, shop: Path
) -> None:
    write_files(shop, {"shop/domain/records.py": ORM_BASE, "shop/domain/customer.py": ENTITY})
    result = run(pytester, "-k", "Entities")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "classes in shop.domain should not subclass sqlalchemy or pydantic, because the "
            "model is plain Python, mapped to tables in an adapter.",
            "",
            "shop.domain.customer.Customer (shop/domain/customer.py:7) subclasses "
            "sqlalchemy.orm.DeclarativeBase:",
            "  shop.domain.customer.Customer subclasses shop.domain.records.Record, which "
            "subclasses sqlalchemy.orm.DeclarativeBase",
            "    shop/domain/customer.py:7  class Customer(Record):",
            "    shop/domain/records.py:4  class Record(DeclarativeBase):",
            "",
            "shop.domain.records.Record (shop/domain/records.py:4) subclasses "
            "sqlalchemy.orm.DeclarativeBase:",
            "  shop.domain.records.Record subclasses sqlalchemy.orm.DeclarativeBase",
            "    shop/domain/records.py:4  class Record(DeclarativeBase):",
        ],
        consecutive=True,
    )


def test_a_print_in_the_domain_is_named_with_the_line_of_the_call(
    pytester: pytest.Pytester, shop: Path
) -> None:
    pricing = shop / "shop/domain/pricing.py"
    append(pricing, PRINT_IN_THE_DOMAIN)
    lines = pricing.read_text().splitlines()
    defined = lines.index("def log_total(order: Order) -> None:") + 1
    result = run(pytester, "-k", "does")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "functions in shop.domain should not call print, open, input or requests.*, "
            "because the model is tested without a console, files or a network.",
            "",
            f"shop.domain.pricing.log_total (shop/domain/pricing.py:{defined}) calls print:",
            "  shop.domain.pricing.log_total calls print",
            f"    shop/domain/pricing.py:{defined + 1}  "
            'print(f"total: {order_total(order).amount}")',
        ],
        consecutive=True,
    )


def test_a_use_case_creating_its_adapter_breaks_the_composition_root_rule(
    pytester: pytest.Pytester, shop: Path
) -> None:
    use_case = shop / "shop/application/place_order.py"
    append(
        use_case,
        """
        from shop.adapters.payments.gateway import HttpPaymentGateway


        def default_payments() -> PaymentGateway:
            return HttpPaymentGateway("http://localhost:9000")
        """,
    )
    line = (
        use_case.read_text()
        .splitlines()
        .index('    return HttpPaymentGateway("http://localhost:9000")')
        + 1
    )
    result = run(pytester, "-k", "creates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "shop.adapters.payments.gateway.HttpPaymentGateway "
            "(shop/adapters/payments/gateway.py:9) is instantiated in "
            "shop.application.place_order.default_payments, outside shop.main:",
            "  shop.application.place_order.default_payments instantiates "
            "shop.adapters.payments.gateway.HttpPaymentGateway",
            f'    shop/application/place_order.py:{line}  return HttpPaymentGateway("http://localhost:9000")',
        ],
        consecutive=True,
    )


def test_known_class_violations_are_forgiven_by_the_baseline(
    pytester: pytest.Pytester, shop: Path
) -> None:
    write_files(shop, {"shop/application/memory.py": IN_MEMORY_REPOSITORY})
    run(pytester, *CLASS_RULES, "--fitness-update-baseline")
    baseline = json.loads((shop / "fitness-baseline.json").read_text())
    assert "shop.application.memory.InMemoryOrderRepository" in json.dumps(baseline)
    run(pytester, *CLASS_RULES).assert_outcomes(passed=4)
    # A new violation of the same rule still fails.
    write_files(
        shop, {"shop/application/cache.py": IN_MEMORY_REPOSITORY.replace("InMemory", "Cached")}
    )
    result = run(pytester, "-k", "Repositories")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["shop.application.cache.CachedOrderRepository *"])
    assert "InMemoryOrderRepository (" not in result.stdout.str()


FLUENT = """
from fitness import classes, functions


def test_entities_are_plain(fitness_graph):
    (
        classes("shop.domain")
        .should_not_subclass("sqlalchemy.orm.DeclarativeBase", "pydantic.BaseModel")
        .because("the model is plain Python")
        .check(fitness_graph)
    )


def test_repositories_live_in_the_adapters(fitness_graph):
    (
        classes("shop")
        .that_implement("shop.application.ports.OrderRepository")
        .should_reside_in("shop.adapters")
        .check(fitness_graph)
    )


def test_the_domain_does_no_io(fitness_graph):
    functions("shop.domain").should_not_call("print", "open", "requests.*").check(fitness_graph)


def test_value_objects_are_frozen(fitness_graph):
    classes("shop.domain.money").should_be_frozen().check(fitness_graph)
"""


def test_the_fluent_class_rules_under_pytest(pytester: pytest.Pytester, shop: Path) -> None:
    write_files(shop, {"test_classes.py": FLUENT})
    run(pytester, "test_classes.py").assert_outcomes(passed=4)
    write_files(shop, {"shop/domain/records.py": ORM_BASE, "shop/domain/customer.py": ENTITY})
    result = run(pytester, "test_classes.py")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "E  * fitness.RuleViolated: classes in shop.domain should not subclass "
            "sqlalchemy.orm.DeclarativeBase or pydantic.BaseModel, because the model is plain "
            "Python.",
            "E  * shop.domain.customer.Customer (shop/domain/customer.py:7) subclasses "
            "sqlalchemy.orm.DeclarativeBase:",
            "E  *   shop.domain.customer.Customer subclasses shop.domain.records.Record, which "
            "subclasses sqlalchemy.orm.DeclarativeBase",
        ]
    )


def test_fluent_class_rules_take_part_in_the_baseline_and_the_report(
    pytester: pytest.Pytester, shop: Path
) -> None:
    write_files(
        shop,
        {
            "test_classes.py": """
                from fitness import classes

                def test_entities(fitness_graph):
                    (
                        classes("shop.domain")
                        .should_not_subclass("sqlalchemy")
                        .named("Entities stay plain")
                        .check(fitness_graph)
                    )
            """,
            "shop/domain/records.py": ORM_BASE,
        },
    )
    run(pytester, "test_classes.py").assert_outcomes(failed=1)
    run(pytester, "test_classes.py", "--fitness-update-baseline").assert_outcomes(passed=1)
    data = json.loads((shop / "fitness-baseline.json").read_text())
    assert data["rules"]["Entities stay plain"]["violations"][0]["chains"] == [
        {
            "first": "shop.domain.records.Record",
            "last": "sqlalchemy.orm.DeclarativeBase",
            "direct": True,
        }
    ]
    run(pytester, "test_classes.py", "--fitness-report", "out.json").assert_outcomes(passed=1)
    report = json.loads((shop / "out.json").read_text())
    assert [r["rule"] for r in report["rules"]][-1] == "Entities stay plain"
    # A new entity on the ORM base is a new violation: the baseline does not forgive it.
    write_files(shop, {"shop/domain/customer.py": ENTITY})
    result = run(pytester, "test_classes.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["E  * shop.domain.customer.Customer (shop/domain/customer.py:7) *"]
    )
    assert "E       shop.domain.records.Record (" not in result.stdout.str()


CALLS_CONFIG = """
[tool.fitness]
root_packages = ["shop"]

[[tool.fitness.rules]]
name = "No network, no clock"
type = "functions"
modules = ["shop"]
excluding = ["shop.main"]
should_not_call = ["requests.*", "datetime.datetime.now"]
"""


def test_calls_are_resolved_through_the_imports_in_fitness_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = copy_example("shop", tmp_path)
    (shop / "pyproject.toml").write_text(CALLS_CONFIG)
    append(
        shop / "shop/domain/model.py",
        """
        from datetime import datetime as clock  # noqa: E402


        def stamp() -> str:
            return clock.now().isoformat()
        """,
    )
    lines = (shop / "shop/domain/model.py").read_text().splitlines()
    stamp = lines.index("def stamp() -> str:") + 1
    assert main(["check", "--full", "--no-cache", "--config", str(shop / "pyproject.toml")]) == 1
    assert capsys.readouterr().out.splitlines()[3:] == [
        "functions in shop excluding shop.main should not call requests.* or "
        "datetime.datetime.now.",
        "",
        "shop.adapters.payments.gateway.HttpPaymentGateway.charge "
        "(shop/adapters/payments/gateway.py:13) calls requests.post:",
        "  shop.adapters.payments.gateway.HttpPaymentGateway.charge calls requests.post",
        "    shop/adapters/payments/gateway.py:14  response = requests.post(",
        "",
        f"shop.domain.model.stamp (shop/domain/model.py:{stamp}) calls datetime.datetime.now:",
        "  shop.domain.model.stamp calls datetime.datetime.now",
        f"    shop/domain/model.py:{stamp + 1}  return clock.now().isoformat()",
        "",
        "How to fix: Move the call out to an adapter, and hand the result (or a port that makes "
        "it) in.",
        "",
        "0 kept, 1 broken (2 violations)",
    ]


def test_code_run_at_import_time_breaks_the_rules_too(
    pytester: pytest.Pytester, shop: Path
) -> None:
    pricing = shop / "shop/domain/pricing.py"
    append(pricing, 'print("pricing loaded")\n')
    use_case = shop / "shop/application/place_order.py"
    append(
        use_case,
        """
        from shop.adapters.payments.gateway import HttpPaymentGateway

        DEFAULT_PAYMENTS = HttpPaymentGateway("http://localhost:9000")
        """,
    )
    printed = pricing.read_text().splitlines().index('print("pricing loaded")') + 1
    created = (
        use_case.read_text()
        .splitlines()
        .index('DEFAULT_PAYMENTS = HttpPaymentGateway("http://localhost:9000")')
        + 1
    )
    result = run(pytester, "-k", "does or creates")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            f"shop.domain.pricing (shop/domain/pricing.py:{printed}) calls print at module level:",
            "  shop.domain.pricing calls print",
            f'    shop/domain/pricing.py:{printed}  print("pricing loaded")',
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        [
            "shop.adapters.payments.gateway.HttpPaymentGateway "
            "(shop/adapters/payments/gateway.py:9) is instantiated in "
            "shop.application.place_order (at module level), outside shop.main:",
            "  shop.application.place_order instantiates "
            "shop.adapters.payments.gateway.HttpPaymentGateway",
            f"    shop/application/place_order.py:{created}  "
            'DEFAULT_PAYMENTS = HttpPaymentGateway("http://localhost:9000")',
        ],
        consecutive=True,
    )


def test_a_fluent_rule_s_warnings_are_shown_under_pytest(
    pytester: pytest.Pytester, shop: Path
) -> None:
    append(
        shop / "shop/domain/model.py",
        """

        def make_base() -> type:
            return object


        class Odd(make_base()):  # type: ignore[misc]
            pass
        """,
    )
    write_files(
        shop,
        {
            "test_odd.py": (
                "from fitness import classes\n\n\n"
                "def test_orders(fitness_graph):\n"
                '    classes("shop.domain").that_subclass("shop.domain.model.Order")'
                '.should_reside_in("shop.domain").allow_empty().check(fitness_graph)\n'
            )
        },
    )
    line = (shop / "shop/domain/model.py").read_text().splitlines().index(
        "class Odd(make_base()):  # type: ignore[misc]"
    ) + 1
    result = run(pytester, "test_odd.py", "-W", "default")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*FitnessWarning: test_odd.py::test_orders: shop.domain.model.Odd "
            f"(shop/domain/model.py:{line}): base make_base() cannot be resolved statically; "
            "that_subclass could not tell whether it subclasses shop.domain.model.Order, "
            "and left it out"
        ]
    )
