"""examples/custom_rules: a project-local plugin adding the ``max_fan_out`` rule type."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fitness.cli import main
from tests.adapters.test_plugin_loading import forget_modules  # noqa: F401  (fixture)
from tests.helpers import copy_example

#: Only the rules: the example's own test files are not what these tests are about.
RULES_ONLY = "pyproject.toml"


@pytest.fixture
def example(pytester: pytest.Pytester) -> Path:
    target = copy_example("custom_rules", pytester.path)
    os.chdir(target)
    return target


def add_imports_to_cli(example: Path) -> None:
    cli = example / "src/inventory/cli.py"
    text = cli.read_text(encoding="utf-8")
    cli.write_text(
        text.replace(
            "from inventory.adapters.csv_export import write_order\n",
            "from inventory.adapters.csv_export import write_order\n"
            "from inventory.domain.money import Money\n"
            "from inventory.domain.stock import StockLevel\n",
        ),
        encoding="utf-8",
    )


def test_the_example_keeps_its_rules(example: Path, pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(RULES_ONLY, "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*::Modules import at most four internal modules PASSED*"])


def test_the_custom_rule_fails_with_each_import_and_its_line(
    example: Path, pytester: pytest.Pytester
) -> None:
    add_imports_to_cli(example)
    result = pytester.runpytest(RULES_ONLY)
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(
        [
            "*Modules may import at most 4 internal modules, because a module that needs many "
            "others is doing too much.",
            "",
            "inventory.cli imports 6 internal modules; at most 4 allowed (6 chains):",
            "  inventory.cli -> inventory.adapters.csv_export",
            "    src/inventory/cli.py:6  from inventory.adapters.csv_export import write_order",
            "  inventory.cli -> inventory.adapters.repository",
            "    src/inventory/cli.py:9  from inventory.adapters.repository import load_levels",
            "  inventory.cli -> inventory.domain.money",
            "    src/inventory/cli.py:7  from inventory.domain.money import Money",
            "*",
            "How to fix: Split the module along the concepts it mixes*",
        ]
    )


@pytest.mark.usefixtures("forget_modules")
def test_fitness_check_and_fitness_rules_see_the_local_rule_type(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check"]) == 0
    assert main(["rules", "max_fan_out"]) == 0
    out = capsys.readouterr().out
    assert "max_fan_out  [local plugin arch_rules ([tool.fitness] plugins, arch_rules.py)]" in out
    assert "    max_imports: an integer, required" in out
    add_imports_to_cli(example)
    assert main(["check"]) == 1
    assert "BROKEN Modules import at most four internal modules" in capsys.readouterr().out


@pytest.mark.usefixtures("forget_modules")
def test_the_rules_own_validation_names_the_option_and_line(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = example / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("max_imports = 4", "max_imports = -1"),
        encoding="utf-8",
    )
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert (
        "pyproject.toml:13: [[tool.fitness.rules]] #1 ('Modules import at most four internal "
        "modules'): option 'max_imports' must be 0 or more"
    ) in err


def test_the_plugin_is_not_part_of_the_analysed_package(example: Path) -> None:
    # Keeping the plugin out of root_packages keeps it out of the rules it checks.
    assert (example / "arch_rules.py").is_file()
    assert not (example / "src" / "arch_rules.py").exists()
