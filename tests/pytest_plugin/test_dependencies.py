"""The ``dependencies`` rule type as a pytest item, and in test code on the
``fitness_graph`` fixture, run for real with pytester on a small project whose
installed distributions are a fake environment (tests/data/dependencies)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "dependencies"


@pytest.fixture
def project(pytester: pytest.Pytester) -> Path:
    shutil.copytree(DATA / "site-packages", pytester.path / "site-packages")
    target = Path(shutil.copytree(DATA / "pep621", pytester.path / "pep621"))
    import os

    os.chdir(target)
    return target


def test_the_rule_is_an_item_that_fails_with_each_finding(
    pytester: pytest.Pytester, project: Path
) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", "-m", "fitness")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*_ fitness: Third-party dependencies _*",
            "Third-party distributions must be declared when imported, imported when declared *",
            "click is declared ([[]project[]] dependencies) but never imported by shop:",
            "  pyproject.toml declares click",
            '    pyproject.toml:7  "click",',
            "urllib3 is imported by shop but not declared (transitive: installed because "
            "requests requires it):",
            "    shop/util.py:1  import urllib3  *",
            "shop.domain uses urllib3; it may use no third-party distribution:",
            "  shop.domain.model -> shop.util -> urllib3",
        ]
    )


def test_the_item_passes_once_the_findings_are_fixed(
    pytester: pytest.Pytester, project: Path
) -> None:
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text()
        .replace('    "click",\n', '    "urllib3",\n')
        .replace('"shop.domain" = []', '"shop.domain" = ["urllib3"]')
    )
    (project / "shop/fixtures.py").write_text("")
    result = pytester.runpytest("-p", "no:cacheprovider", "-m", "fitness")
    result.assert_outcomes(passed=1)


def test_the_fixture_graph_carries_the_metadata_for_rules_in_test_code(
    pytester: pytest.Pytester, project: Path
) -> None:
    (project / "test_third_party.py").write_text(
        textwrap.dedent(
            """
            from fitness import DependenciesRule

            def test_the_adapters_alone_use_sqlalchemy(fitness_graph):
                DependenciesRule(
                    name="SQLAlchemy stays in the adapters",
                    findings=("usage",),
                    usage={
                        "shop": ("requests", "protobuf", "PyYAML", "pytest", "urllib3"),
                        "shop.adapters.db": ("SQLAlchemy",),
                    },
                    environment=("../site-packages",),
                ).check(fitness_graph)

            def test_nothing_is_undeclared(fitness_graph):
                DependenciesRule(
                    name="declared", findings=("undeclared",), environment=("../site-packages",)
                ).check(fitness_graph)
            """
        )
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "test_third_party.py")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*urllib3 is imported by shop but not declared (transitive: installed because*"]
    )
