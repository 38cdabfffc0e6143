"""Test impact analysis: which test files a change can affect. The files are read from
source text written here (``project``), so each test shows the code it reasons about."""

from __future__ import annotations

import textwrap

import pytest

from fitness.adapters.import_scan import read_facts
from fitness.domain.affected import Change, Policy, Project, Selection, glob_regex, select


def project(files: dict[str, str], *, bases: tuple[str, ...] = ("",), plugins=()) -> Project:  # type: ignore[no-untyped-def]
    facts = {path: read_facts(textwrap.dedent(text).encode()) for path, text in files.items()}
    return Project(facts, bases, tuple(plugins))


def collected_tests(files: dict[str, str]) -> list[str]:
    return sorted(p for p in files if p.rpartition("/")[2].startswith("test_"))


def affected(files: dict[str, str], *changed: str, **options: object) -> Selection:
    changes = [Change(path, path, deleted=path not in files) for path in changed]
    policy = options.pop("policy", None)
    return select(project(files, **options), collected_tests(files), changes, policy)  # type: ignore[arg-type]


SHOP = {
    "shop/__init__.py": "",
    "shop/money.py": "",
    "shop/orders.py": "from shop.money import Money\n",
    "shop/report.py": "",
    "tests/test_money.py": "from shop.money import Money\n",
    "tests/test_orders.py": "from shop import orders\n",
    "tests/test_report.py": "import shop.report\n",
}


def test_a_test_is_affected_through_what_it_imports_transitively() -> None:
    selection = affected(SHOP, "shop/money.py")

    assert selection.tests == ("tests/test_money.py", "tests/test_orders.py")
    assert selection.why["tests/test_orders.py"] == (
        "tests/test_orders.py -> shop/orders.py -> shop/money.py"
    )
    assert selection.line() == "fitness: 2 of 3 test files affected by 1 changed module"


def test_a_package_above_a_module_runs_when_the_module_is_imported() -> None:
    selection = affected({**SHOP, "shop/__init__.py": "X = 1\n"}, "shop/__init__.py")

    assert selection.tests == tuple(collected_tests(SHOP))


def test_a_packages_body_is_what_runs_when_only_a_module_under_it_is_imported() -> None:
    files = {
        **SHOP,
        # Used only in a function of the package: runs when someone calls it, and only
        # a test that uses the package itself can.
        "shop/__init__.py": "def load():\n    import shop.report\n",
        "tests/test_load.py": "import shop\n",
    }

    selection = affected(files, "shop/report.py")

    assert selection.tests == ("tests/test_load.py", "tests/test_report.py")


def test_imports_in_functions_and_under_if_and_try_count_but_not_type_checking() -> None:
    files = {
        "app/__init__.py": "",
        "app/a.py": "def f():\n    from app import b\n",
        "app/b.py": "",
        "app/c.py": "try:\n    import app.d\nexcept ImportError:\n    pass\n",
        "app/d.py": "",
        "app/e.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.f\n",
        "app/f.py": "",
        "tests/test_a.py": "import app.a\n",
        "tests/test_c.py": "import app.c\n",
        "tests/test_e.py": "import app.e\n",
    }

    assert affected(files, "app/b.py").tests == ("tests/test_a.py",)
    assert affected(files, "app/d.py").tests == ("tests/test_c.py",)
    assert affected(files, "app/f.py").tests == ()


def test_a_test_helper_outside_the_packages_is_followed() -> None:
    files = {
        **SHOP,
        "tests/__init__.py": "",
        "tests/helpers.py": "from shop.report import render\n",
        "tests/test_render.py": "from tests.helpers import render\n",
        "tests/test_render_too.py": "from .helpers import render\n",
    }

    selection = affected(files, "shop/report.py")

    assert selection.tests == (
        "tests/test_render.py",
        "tests/test_render_too.py",
        "tests/test_report.py",
    )
    assert affected(files, "tests/helpers.py").tests == (
        "tests/test_render.py",
        "tests/test_render_too.py",
    )


def test_a_helper_imported_from_the_tests_own_directory_is_found_through_its_base() -> None:
    files = {
        **SHOP,
        "tests/helpers.py": "import shop.report\n",
        "tests/test_plain.py": "import helpers\n",  # no tests/__init__.py: pytest prepends tests/
    }

    selection = affected(files, "shop/report.py", bases=("", "tests"))

    assert selection.tests == ("tests/test_plain.py", "tests/test_report.py")


def test_conftest_imports_affect_the_tests_below_it() -> None:
    files = {
        **SHOP,
        "tests/unit/conftest.py": "from shop.report import render\n",
        "tests/unit/test_unit.py": "",
    }

    assert affected(files, "shop/report.py").tests == (
        "tests/test_report.py",
        "tests/unit/test_unit.py",
    )


@pytest.mark.parametrize(
    ("changed", "reason"),
    [
        ("tests/conftest.py", "tests/conftest.py changed (configuration)"),
        ("pyproject.toml", "pyproject.toml changed (configuration)"),
        ("setup.cfg", "setup.cfg changed (configuration)"),
        ("sub/tox.ini", "sub/tox.ini changed (configuration)"),
        ("shop/data/prices.json", "shop/data/prices.json changed (not a Python file)"),
        ("README.md", "README.md changed (not a Python file)"),
    ],
)
def test_what_imports_cannot_follow_selects_every_test(changed: str, reason: str) -> None:
    selection = affected(SHOP, changed)

    assert selection.everything
    assert selection.tests == tuple(collected_tests(SHOP))
    assert selection.reason == reason
    assert selection.line().endswith(f"(every test: {reason})")


def test_globs_say_which_changes_select_everything_and_which_nothing() -> None:
    policy = Policy(always=("shop/data/**",), never=("docs/**", "*.md", "shop/data/README.md"))

    assert affected(SHOP, "docs/index.md", "README.md", policy=policy).tests == ()
    assert affected(SHOP, "shop/data/README.md", policy=policy).everything  # always wins
    assert affected(SHOP, "docs/index.md", "shop/money.py", policy=policy).tests == (
        "tests/test_money.py",
        "tests/test_orders.py",
    )


def test_a_test_that_runs_code_out_of_process_is_always_selected() -> None:
    files = {
        **SHOP,
        "tests/test_cli.py": "import subprocess, sys\n"
        "def test_cli():\n    subprocess.run([sys.executable, '-m', 'shop'])\n",
        "tests/test_plugin.py": "def test_plugin(pytester):\n    pytester.runpytest()\n",
    }

    selection = affected(files, "shop/report.py")

    assert selection.tests == ("tests/test_cli.py", "tests/test_plugin.py", "tests/test_report.py")


def test_a_dynamic_import_reaches_what_its_name_can_be() -> None:
    files = {
        **SHOP,
        "shop/plugins/__init__.py": "",
        "shop/plugins/csv.py": "",
        "shop/literal.py": "import importlib\nm = importlib.import_module('shop.report')\n",
        "shop/prefixed.py": "import importlib\n"
        "def load(name):\n    return importlib.import_module(f'shop.plugins.{name}')\n",
        "shop/relative.py": "import importlib\n"
        "def load(name):\n    return importlib.import_module('.' + name, __package__)\n",
        "shop/given.py": "import importlib\n"
        "def resolve(ref):\n    module, _, attr = ref.partition(':')\n"
        "    return getattr(importlib.import_module(module), attr)\n",
        "shop/registry.py": "KINDS = {'csv': 'shop.plugins.csv:Writer'}\n",
        "shop/anything.py": "import importlib, os\nimportlib.import_module(os.environ['M'])\n",
        "tests/test_literal.py": "import shop.literal\n",
        "tests/test_prefixed.py": "import shop.prefixed\n",
        "tests/test_relative.py": "import shop.relative\n",
        "tests/test_given.py": "import shop.given\n",
        "tests/test_registry.py": "import shop.registry\n",
        "tests/test_anything.py": "import shop.anything\n",
    }

    assert affected(files, "shop/report.py").tests == (
        "tests/test_anything.py",  # could import anything
        "tests/test_literal.py",
        "tests/test_relative.py",  # any module of its package
        "tests/test_report.py",
    )
    assert affected(files, "shop/plugins/csv.py").tests == (
        "tests/test_anything.py",
        "tests/test_prefixed.py",
        "tests/test_registry.py",  # a string that names the module
        "tests/test_relative.py",
    )


def test_a_change_the_projects_pytest_plugin_can_run_selects_every_test() -> None:
    files = {**SHOP, "shop/testing.py": "def pytest_configure(config):\n    import shop.report\n"}

    selection = affected(files, "shop/report.py", plugins=("shop.testing",))

    assert selection.everything
    assert selection.reason == (
        "shop.testing, which every test session may load, can run shop/testing.py -> shop/report.py"
    )
    assert not affected(files, "shop/money.py", plugins=("shop.testing",)).everything


def test_a_deleted_module_affects_whoever_imports_its_name() -> None:
    files = {**SHOP, "tests/test_gone.py": "from shop.gone import x\n"}
    del files["shop/report.py"]

    assert affected(files, "shop/report.py").tests == ("tests/test_report.py",)


def test_an_import_found_only_through_sys_path_tricks_is_matched_by_its_tail() -> None:
    files = {
        **SHOP,
        "scripts/gen_docs.py": "",
        "tests/test_docs.py": "import sys\nsys.path.insert(0, 'scripts')\nimport gen_docs\n",
    }

    assert affected(files, "scripts/gen_docs.py").tests == ("tests/test_docs.py",)


def test_a_file_that_does_not_parse_may_import_anything() -> None:
    files = {**SHOP, "shop/broken.py": "def (\n", "tests/test_broken.py": "import shop.broken\n"}

    assert affected(files, "shop/money.py").tests == (
        "tests/test_broken.py",
        "tests/test_money.py",
        "tests/test_orders.py",
    )


def test_no_change_selects_nothing() -> None:
    assert affected(SHOP).line() == "fitness: 0 of 3 test files affected by 0 changed modules"


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("docs/**", "docs/a/b.md", True),
        ("docs/**", "src/docs.md", False),
        ("*.md", "a/b/README.md", True),
        ("docs/*.md", "docs/a/b.md", False),
        ("**/data/*.json", "pkg/data/x.json", True),
        ("**/data/*.json", "data/x.json", True),
        ("requirements*.txt", "requirements-dev.txt", True),
    ],
)
def test_globs(pattern: str, path: str, matches: bool) -> None:
    assert bool(glob_regex(pattern).fullmatch(path)) is matches


def test_a_test_file_that_was_not_read_runs() -> None:
    changes = [Change("shop/money.py", "shop/money.py")]

    selection = select(project(SHOP), ["tests/test_money.py", "build/test_generated.py"], changes)

    assert selection.tests == ("build/test_generated.py", "tests/test_money.py")
    assert selection.why["build/test_generated.py"] == (
        "build/test_generated.py was not read (git ignores it): it may import anything"
    )
