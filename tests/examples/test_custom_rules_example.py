"""examples/custom_rules/tests/test_architecture.py: the fluent API, run for real."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import append, copy_example


@pytest.fixture
def inventory(pytester: pytest.Pytester) -> Path:
    target = copy_example("custom_rules", pytester.path)
    import os

    os.chdir(target)
    return target


def test_the_fluent_rules_pass_on_the_example(pytester: pytest.Pytester, inventory: Path) -> None:
    result = pytester.runpytest("tests/test_architecture.py", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_the_whole_example_runs_declared_and_fluent_rules(
    pytester: pytest.Pytester, inventory: Path
) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", "-m", "fitness or not fitness")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0
    assert outcomes["passed"] >= 6  # 4 fluent tests + the rules of pyproject.toml


def test_a_custom_condition_fails_with_its_own_message(
    pytester: pytest.Pytester, inventory: Path
) -> None:
    (inventory / "src/inventory/services/audit.py").write_text(
        "import logging\n\nlog = logging.getLogger(__name__)\n"
    )
    result = pytester.runpytest("tests/test_architecture.py", "-k", "services")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E  * fitness.RuleViolated: modules in inventory.services.* that are modules, not "
            "packages should build on the domain model, because services orchestrate the model, "
            "they do not replace it.",
            "E  * inventory.services.audit imports nothing from inventory.domain: logic without "
            "a model belongs elsewhere",
        ]
    )


def test_a_broken_import_rule_shows_the_chain(pytester: pytest.Pytester, inventory: Path) -> None:
    append(
        inventory / "src/inventory/services/reports.py",
        "from inventory.adapters import csv_export\n",
    )
    result = pytester.runpytest("tests/test_architecture.py", "-k", "adapters")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E  * inventory.adapters.csv_export is imported by inventory.services.reports, "
            "which is not allowed:",
            "E  *   src/inventory/services/reports.py:*  from inventory.adapters import csv_export",
        ]
    )
