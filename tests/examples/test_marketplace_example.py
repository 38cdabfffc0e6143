"""examples/marketplace: a modular monolith, checked by pytest on copies with violations."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import append, copy_example

SHIPPING = (
    '"marketplace.shipping" = { depends_on = ["marketplace.shared", "marketplace.ordering"], '
    'interface = ["api"] }'
)


@pytest.fixture
def marketplace(pytester: pytest.Pytester) -> Path:
    """A fresh copy of examples/marketplace, as pytester's working directory."""
    target = copy_example("marketplace", pytester.path)
    os.chdir(target)
    return target


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", *args)


def test_the_example_keeps_its_modules(pytester: pytest.Pytester, marketplace: Path) -> None:
    result = run(pytester)
    result.assert_outcomes(passed=1)
    assert "FitnessWarning" not in result.stdout.str()


def test_an_undeclared_dependency_fails_with_its_import_and_the_remedy(
    pytester: pytest.Pytester, marketplace: Path
) -> None:
    append(
        marketplace / "marketplace/shipping/api.py",
        "from marketplace.catalog.api import find_product  # weigh the parcel\n",
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "undeclared dependency: marketplace.shipping uses marketplace.catalog, which is not "
            "in its depends_on; declare the dependency in depends_on, or remove the import:",
            "  marketplace.shipping.api -> marketplace.catalog.api",
            "    marketplace/shipping/api.py:21  from marketplace.catalog.api import find_product"
            "  # weigh the parcel",
            "",
            "How to fix: An undeclared dependency: if the design allows it, declare the dependency "
            "in the importing module's depends_on; if not, remove the import (the other module "
            "can publish an event, or the code can move to where it belongs).",
        ]
    )
    assert "interface bypass" not in result.stdout.str()
    assert "cycle between modules" not in result.stdout.str()


def test_reaching_past_an_interface_fails_as_an_interface_bypass(
    pytester: pytest.Pytester, marketplace: Path
) -> None:
    append(
        marketplace / "marketplace/billing/handlers.py",
        "from marketplace.ordering.orders import Order  # billing reads the order itself\n",
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "interface bypass: marketplace.billing reaches into marketplace.ordering.orders, which "
            "is not part of marketplace.ordering's interface; go through marketplace.ordering's "
            "interface (api, events):",
            "  marketplace.billing.handlers -> marketplace.ordering.orders",
            "    marketplace/billing/handlers.py:13  from marketplace.ordering.orders import Order"
            "  # billing reads the order itself",
        ]
    )
    assert "undeclared dependency" not in result.stdout.str()


def test_a_name_the_init_does_not_export_is_an_interface_bypass(
    pytester: pytest.Pytester, marketplace: Path
) -> None:
    append(
        marketplace / "marketplace/billing/handlers.py",
        "from marketplace.ordering import Order, OrderLine  # OrderLine is not exported\n",
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "interface bypass: marketplace.billing imports OrderLine from marketplace.ordering, "
            "but marketplace.ordering's __init__ does not export it in __all__; go through "
            "marketplace.ordering's interface (api, events), or export OrderLine in "
            "marketplace.ordering's __all__:",
            "  marketplace.billing.handlers -> marketplace.ordering",
            "    marketplace/billing/handlers.py:13  from marketplace.ordering import Order, "
            "OrderLine  # OrderLine is not exported",
            "",
            "How to fix: An interface bypass: *",
        ]
    )
    assert "imports Order from" not in result.stdout.str()


def test_modules_that_use_each_other_fail_as_a_cycle(
    pytester: pytest.Pytester, marketplace: Path
) -> None:
    config = marketplace / "pyproject.toml"
    config.write_text(
        config.read_text().replace(
            'catalog"  = { depends_on = ["marketplace.shared"]',
            'catalog"  = { depends_on = ["marketplace.shared", "marketplace.ordering"]',
        )
    )
    append(
        marketplace / "marketplace/catalog/api.py",
        "from marketplace.ordering.events import OrderPlaced  # the catalog counts sales\n",
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "cycle between modules: marketplace.catalog -> marketplace.ordering -> "
            "marketplace.catalog; break the cycle: publish an event instead of calling back, or "
            "move the shared code into a shared module both may depend on (2 chains):",
            "  marketplace.catalog.api -> marketplace.ordering.events",
            "    marketplace/catalog/api.py:22  from marketplace.ordering.events import OrderPlaced"
            "  # the catalog counts sales",
            "  marketplace.ordering.api -> marketplace.catalog.api",
            "    marketplace/ordering/api.py:5  from marketplace.catalog.api import find_product",
        ]
    )
    assert "undeclared dependency" not in result.stdout.str()


def test_a_deprecated_dependency_passes_with_a_warning(
    pytester: pytest.Pytester, marketplace: Path
) -> None:
    config = marketplace / "pyproject.toml"
    text = config.read_text()
    assert SHIPPING in text
    config.write_text(
        text.replace(SHIPPING, SHIPPING[:-2] + ', deprecated = ["marketplace.billing"] }')
    )
    append(
        marketplace / "marketplace/shipping/api.py",
        "from marketplace.billing import invoices_for  # until billing publishes InvoicePaid\n",
    )
    result = run(pytester)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*FitnessWarning: Modular monolith: deprecated dependency: marketplace.shipping uses "
            "marketplace.billing at marketplace/shipping/api.py:21 (from marketplace.billing "
            "import invoices_for  # until billing publishes InvoicePaid); remove the import, then "
            "drop 'marketplace.billing' from marketplace.shipping's deprecated",
        ]
    )


def test_the_baseline_holds_known_violations_import_by_import(
    pytester: pytest.Pytester, marketplace: Path
) -> None:
    append(
        marketplace / "marketplace/billing/handlers.py",
        "from marketplace.ordering.orders import Order  # known\n",
    )
    assert run(pytester, "--fitness-update-baseline").ret == 0
    data = json.loads((marketplace / "fitness-baseline.json").read_text())
    assert data["rules"]["Modular monolith"]["violations"] == [
        {
            "importer": "marketplace.billing",
            "imported": "marketplace.ordering.orders",
            "chains": [
                {
                    "first": "marketplace.billing.handlers",
                    "last": "marketplace.ordering.orders",
                    "direct": True,
                }
            ],
        }
    ]
    run(pytester).assert_outcomes(passed=1)

    append(
        marketplace / "marketplace/billing/tax.py",
        "from marketplace.ordering.orders import OrderLine  # new\n",
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "  marketplace.billing.tax -> marketplace.ordering.orders",
            "    marketplace/billing/tax.py:13  from marketplace.ordering.orders import OrderLine"
            "  # new",
            "",
            "How to fix: *",
            "(not shown: 1 known chain in the baseline)",
        ]
    )
    assert "# known" not in result.stdout.str()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '"marketplace.billing"  = { depends_on',
            '"marketplace.billing"  = { depend_on',
            "pyproject.toml:16: [[tool.fitness.rules]] #1 ('Modular monolith'): option "
            "'modules.marketplace.billing': unknown key 'depend_on'; did you mean 'depends_on'?",
        ),
        (
            '"marketplace.shared", "marketplace.ordering"], interface = ["api"] }\n"marketplace.sh',
            '"marketplace.shared", "marketplace.orders"], interface = ["api"] }\n"marketplace.sh',
            "pyproject.toml:16: [[tool.fitness.rules]] #1 ('Modular monolith'): "
            "modules.marketplace.billing.depends_on: 'marketplace.orders' is not a declared "
            "module; did you mean 'marketplace.ordering'?",
        ),
    ],
)
def test_a_mistake_in_a_module_is_an_error_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    from fitness.cli import main

    marketplace = copy_example("marketplace", tmp_path)
    config = marketplace / "pyproject.toml"
    assert old in config.read_text()
    config.write_text(config.read_text().replace(old, new, 1))
    assert main(["check", "--config", str(config)]) == 2
    assert capsys.readouterr().err == f"fitness: error: {marketplace}/{message}\n"
