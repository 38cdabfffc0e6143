"""The pytest plugin, run for real with pytester on the shop example and small trees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import append, write_project

BROKEN_LAYERS = "from shop.application.place_order import PlaceOrder  # reaching up\n"


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text.strip() in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_the_example_keeps_its_principles(pytester: pytest.Pytester, shop: Path) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0
    assert outcomes["passed"] >= 3
    result.stdout.fnmatch_lines(["pyproject.toml ...*"])


def test_each_rule_is_an_item_named_after_the_rule(pytester: pytest.Pytester, shop: Path) -> None:
    result = pytester.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            "pyproject.toml::Layered architecture",
            "pyproject.toml::No infrastructure in the core",
            "pyproject.toml::Adapters are independent",
        ]
    )


def test_a_broken_layer_fails_with_description_chain_file_and_line(
    pytester: pytest.Pytester, shop: Path
) -> None:
    pricing = shop / "shop/domain/pricing.py"
    append(pricing, BROKEN_LAYERS)
    line = line_of(pricing, BROKEN_LAYERS)

    result = pytester.runpytest("-k", "Layered")

    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    description = (
        "Layers shop.main > shop.adapters > shop.application > shop.domain: each layer may "
        "import only the layers below it, because the domain must not know who calls it"
    )
    # The message starts with the rule's description, right under the item's header.
    assert re.search(r"_ fitness: Layered architecture _+\n" + re.escape(description), out)
    assert "shop.domain is not allowed to import shop.application:" in out
    assert "shop.domain.pricing -> shop.application.place_order" in out
    assert f"shop/domain/pricing.py:{line}  from shop.application.place_order import" in out
    assert "How to fix:" in out
    assert "Traceback" not in out and "raise RuleBroken" not in out


def test_an_indirect_dependency_shows_every_link_of_the_chain(
    pytester: pytest.Pytester, shop: Path
) -> None:
    money = shop / "shop/domain/money.py"
    money.write_text("import sqlalchemy\n" + money.read_text())

    result = pytester.runpytest("-k", "infrastructure")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "shop.application is not allowed to import sqlalchemy:",
            "  shop.application.ports -> shop.domain.money -> sqlalchemy",
            "    shop/application/ports.py:* from shop.domain.money import Money",
            "    shop/domain/money.py:1  import sqlalchemy",
            "shop.domain is not allowed to import sqlalchemy:",
            "  shop.domain.money -> sqlalchemy",
        ]
    )


def test_independence_violation(pytester: pytest.Pytester, shop: Path) -> None:
    handlers = shop / "shop/adapters/web/handlers.py"
    append(handlers, "from shop.adapters.db import repository\n")
    result = pytester.runpytest("-k", "independent")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "shop.adapters.web is not allowed to import shop.adapters.db:",
            "  shop.adapters.web.handlers -> shop.adapters.db.repository",
        ]
    )


def test_the_fitness_marker_selects_only_rules(pytester: pytest.Pytester, shop: Path) -> None:
    write_project(
        shop, (shop / "pyproject.toml").read_text(), {"test_unit.py": "def test_x(): pass\n"}
    )
    only_rules = pytester.runpytest("-m", "fitness", "--collect-only", "-q")
    only_rules.stdout.fnmatch_lines(["pyproject.toml::Layered architecture"])
    assert "test_unit.py" not in only_rules.stdout.str()

    no_rules = pytester.runpytest("-m", "not fitness", "--collect-only", "-q")
    no_rules.stdout.fnmatch_lines(["test_unit.py::test_x"])
    assert "pyproject.toml::" not in no_rules.stdout.str()


def test_rules_are_collected_even_when_testpaths_leave_pyproject_out(
    pytester: pytest.Pytester, shop: Path
) -> None:
    config = (
        (shop / "pyproject.toml")
        .read_text()
        .replace('minversion = "8.0"', 'minversion = "8.0"\ntestpaths = ["tests"]')
    )
    write_project(shop, config, {"tests/test_unit.py": "def test_x(): pass\n"})
    result = pytester.runpytest("-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] >= 4  # 1 unit test + the rules
    result.stdout.fnmatch_lines(["tests/test_unit.py .*", "pyproject.toml ...*"])


def test_naming_a_test_file_runs_only_that_file(pytester: pytest.Pytester, shop: Path) -> None:
    write_project(
        shop, (shop / "pyproject.toml").read_text(), {"test_unit.py": "def test_x(): pass\n"}
    )
    result = pytester.runpytest("test_unit.py")
    result.assert_outcomes(passed=1)


def test_the_fitness_graph_fixture_is_the_sessions_graph(
    pytester: pytest.Pytester, shop: Path
) -> None:
    write_project(
        shop,
        (shop / "pyproject.toml").read_text(),
        {
            "test_graph.py": """
                import networkx as nx

                def test_modules(fitness_graph):
                    assert "shop.domain.model" in fitness_graph.modules
                    assert fitness_graph.file_of("shop.domain.model") == "shop/domain/model.py"
                    sites = fitness_graph.import_sites("shop.domain.pricing", "shop.domain.model")
                    assert sites[0].line_number == 5

                def test_networkx(fitness_graph):
                    packages = fitness_graph.to_networkx(depth=2, external=False)
                    assert packages.has_edge("shop.application", "shop.domain")
                    assert not packages.has_edge("shop.domain", "shop.application")
                    assert nx.is_directed_acyclic_graph(packages)

                def test_grimp(fitness_graph):
                    assert fitness_graph.grimp.chain_exists(
                        importer="shop.main", imported="shop.domain.money", as_packages=False
                    )
            """
        },
    )
    result = pytester.runpytest("test_graph.py")
    result.assert_outcomes(passed=3)


def test_src_layout_is_found_without_installing(pytester: pytest.Pytester) -> None:
    write_project(
        pytester.path,
        """
        [tool.fitness]
        root_packages = ["lib"]

        [[tool.fitness.rules]]
        name = "core below api"
        type = "layers"
        layers = ["lib.api", "lib.core"]
        """,
        {
            "src/lib/__init__.py": "",
            "src/lib/api.py": "import lib.core\n",
            "src/lib/core.py": "import lib.api\n",
        },
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*src/lib/core.py:1  import lib.api*"])


def test_the_analysed_code_is_never_imported(pytester: pytest.Pytester, tmp_path: Path) -> None:
    marker = tmp_path / "imported.txt"
    write_project(
        pytester.path,
        """
        [tool.fitness]
        root_packages = ["bomb"]

        [[tool.fitness.rules]]
        name = "independent"
        type = "independence"
        modules = ["bomb.a", "bomb.b"]
        """,
        {
            "bomb/__init__.py": f"open({str(marker)!r}, 'w').write('boom')\nraise SystemExit(3)\n",
            "bomb/a.py": f"open({str(marker)!r}, 'w').write('boom')\n",
            "bomb/b.py": "import os\n",
        },
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert not marker.exists()


def test_the_cache_is_written_unless_disabled(pytester: pytest.Pytester, shop: Path) -> None:
    assert pytester.runpytest("--fitness-no-cache").ret == 0
    assert not (shop / ".fitness_cache").exists()
    assert pytester.runpytest().ret == 0
    assert (shop / ".fitness_cache").is_dir()
    assert (shop / ".fitness_cache" / ".gitignore").read_text().strip().endswith("*")


def test_fitness_config_option_picks_another_file(pytester: pytest.Pytester, shop: Path) -> None:
    other = shop / "arch.toml"
    other.write_text(
        """
[tool.fitness]
root_packages = ["shop"]

[[tool.fitness.rules]]
name = "domain below application"
type = "layers"
layers = ["shop.application", "shop.domain"]
"""
    )
    result = pytester.runpytest(f"--fitness-config={other}", "-m", "fitness", "-v")
    result.stdout.fnmatch_lines(["*arch.toml::domain below application PASSED*"])


# What the plugin costs a pytest run --------------------------------------------

HEAVY = (
    "grimp",
    "fitness.adapters.session",
    "fitness.application.checking",
    "fitness.adapters.git_revision",
    "tomllib",
)


def test_a_project_without_fitness_configuration_does_not_load_fitness(
    pytester: pytest.Pytester,
) -> None:
    """Every pytest run of every project loads the plugin: without a configuration
    it must cost no more than finding none (no grimp, no rules, no TOML parser, no git)."""
    pytester.makepyfile(
        test_plain=f"""
        import sys

        def test_nothing_heavy_is_loaded():
            loaded = [name for name in {HEAVY!r} if name in sys.modules]
            assert loaded == []
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_fitness_is_loaded_past_pytests_assertion_rewriter(pytester: pytest.Pytester) -> None:
    """pytest rewrites (re-parses and compiles, on every run when bytecode is not
    written) every module of a plugin's distribution; fitness has no asserts to
    rewrite, and imports its modules past the rewriter when a project has rules."""
    write_project(
        pytester.path,
        """
        [tool.fitness]
        root_packages = ["app"]

        [[tool.fitness.rules]]
        name = "layered"
        type = "layers"
        layers = ["app.high", "app.low"]
        """,
        {"app/__init__.py": "", "app/high.py": "import app.low\n", "app/low.py": ""},
    )
    pytester.makeconftest(
        """
        import pytest

        # What pytest does for an installed plugin's distribution, made explicit for a
        # package fitness imports when rules are collected (not loaded before).
        pytest.register_assert_rewrite("fitness.application", "fitness.domain.rules.imports.layers")
        """
    )
    pytester.makepyfile(
        test_loaders="""
        import sys

        def test_fitness_modules_are_not_rewritten(fitness_graph):
            # the core, and a rule type imported when the configuration named it
            for name in ("fitness.application.checking", "fitness.domain.rules.imports.layers"):
                loader = sys.modules[name].__spec__.loader
                assert type(loader).__name__ != "AssertionRewritingHook", name
            assert any(type(f).__name__ == "AssertionRewritingHook" for f in sys.meta_path)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=2)
