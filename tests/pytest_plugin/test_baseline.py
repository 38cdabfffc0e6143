"""The baseline under pytest: updating (also with pytest-xdist workers), applying, strict mode."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from tests.helpers import append

UP = "from shop.application.place_order import PlaceOrder  # reaching up\n"
ACROSS = "from shop.adapters.db import repository  # across adapters\n"


def entries(shop: Path) -> dict[str, list[dict[str, str]]]:
    data = json.loads((shop / "fitness-baseline.json").read_text())
    return {rule: body.get("violations", []) for rule, body in data["rules"].items()}


def pairs(violations: Sequence[Mapping[str, object]]) -> list[tuple[object, object]]:
    return [(v["importer"], v["imported"]) for v in violations]


def break_two_rules(shop: Path) -> None:
    append(shop / "shop/domain/pricing.py", UP)
    append(shop / "shop/adapters/web/handlers.py", ACROSS)


def test_update_records_every_violation_and_then_only_new_ones_fail(
    pytester: pytest.Pytester, shop: Path
) -> None:
    append(shop / "shop/domain/pricing.py", UP)

    updated = pytester.runpytest("-p", "no:cacheprovider", "--fitness-update-baseline")
    assert updated.ret == 0
    updated.stdout.fnmatch_lines(["pytest-fitness: baseline updated: *fitness-baseline.json*"])
    assert entries(shop)["Layered architecture"] == [
        {
            "importer": "shop.domain",
            "imported": "shop.application",
            "chains": [
                {
                    "first": "shop.domain.pricing",
                    "last": "shop.application.place_order",
                    "direct": True,
                }
            ],
        }
    ]

    again = pytester.runpytest("-p", "no:cacheprovider")
    assert again.ret == 0

    append(shop / "shop/adapters/web/handlers.py", ACROSS)
    broken = pytester.runpytest("-p", "no:cacheprovider", "-k", "independent")
    broken.assert_outcomes(failed=1)
    broken.stdout.fnmatch_lines(["shop.adapters.web is not allowed to import shop.adapters.db*"])


def test_failure_says_how_many_known_violations_are_hidden(
    pytester: pytest.Pytester, shop: Path
) -> None:
    append(shop / "shop/adapters/web/handlers.py", ACROSS)
    pytester.runpytest("-p", "no:cacheprovider", "--fitness-update-baseline")
    # A second, new violation of the same rule.
    append(shop / "shop/adapters/payments/gateway.py", "import shop.adapters.web.handlers\n")

    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "independent")

    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "shop.adapters.payments is not allowed to import shop.adapters.web" in out
    assert "shop.adapters.web is not allowed to import shop.adapters.db" not in out
    assert "(not shown: 1 known violation in the baseline)" in out


@pytest.mark.slow
def test_update_under_xdist_merges_every_worker(pytester: pytest.Pytester, shop: Path) -> None:
    break_two_rules(shop)

    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-n", "2", "--fitness-update-baseline"
    )

    assert result.ret == 0, result.stdout.str()
    found = entries(shop)
    assert ("shop.domain", "shop.application") in pairs(found["Layered architecture"])
    assert pairs(found["Adapters are independent"]) == [("shop.adapters.web", "shop.adapters.db")]
    text = (shop / "fitness-baseline.json").read_text()
    assert text.endswith("\n") and not list(shop.glob(".fitness-baseline.json.*"))

    check = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2")
    assert check.ret == 0, check.stdout.str()


def test_a_partial_update_keeps_the_rules_not_run(pytester: pytest.Pytester, shop: Path) -> None:
    break_two_rules(shop)
    pytester.runpytest("-p", "no:cacheprovider", "--fitness-update-baseline")
    before = entries(shop)

    # Fix the layering, update only the layers rule.
    pricing = shop / "shop/domain/pricing.py"
    pricing.write_text(pricing.read_text().replace(UP, ""))
    pytester.runpytest("-p", "no:cacheprovider", "--fitness-update-baseline", "-k", "Layered")

    after = entries(shop)
    assert "Layered architecture" not in after
    assert after["Adapters are independent"] == before["Adapters are independent"]


def test_stale_entries_warn_and_fail_in_strict_mode(pytester: pytest.Pytester, shop: Path) -> None:
    pricing = shop / "shop/domain/pricing.py"
    original = pricing.read_text()
    append(pricing, UP)
    pytester.runpytest("-p", "no:cacheprovider", "--fitness-update-baseline")
    pricing.write_text(original)

    lenient = pytester.runpytest("-p", "no:cacheprovider", "-k", "Layered")
    assert lenient.parseoutcomes()["passed"] == 1
    lenient.stdout.fnmatch_lines(
        ["*fixed: shop.domain.pricing -> shop.application.place_order (shop.domain -> *"]
    )

    strict = pytester.runpytest(
        "-p", "no:cacheprovider", "-k", "Layered", "--fitness-strict-baseline"
    )
    strict.assert_outcomes(failed=1)
    strict.stdout.fnmatch_lines(
        ["fixed: shop.domain.pricing -> shop.application.place_order (shop.domain -> *"]
    )


def test_a_corrupt_baseline_is_a_clean_error(pytester: pytest.Pytester, shop: Path) -> None:
    (shop / "fitness-baseline.json").write_text("{ corrupt")

    result = pytester.runpytest("-p", "no:cacheprovider")

    assert result.ret != 0
    out = result.stdout.str()
    assert "fitness-baseline.json:1: corrupt baseline (invalid JSON" in out
    assert "Traceback" not in out

    # Updating does not overwrite it either.
    updating = pytester.runpytest("-p", "no:cacheprovider", "--fitness-update-baseline")
    assert updating.ret != 0
    assert (shop / "fitness-baseline.json").read_text() == "{ corrupt"
