"""``severity = "warning"`` under pytest (issue 21): the item passes, with a warning that
tells the failure; ``--fitness-strict`` fails it; a fluent rule ``.as_warning()`` alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_severity import CONFIG, FILES
from tests.helpers import write_project

TEST_FILE = """
from fitness import modules


def test_the_domain_stays_pure(fitness_graph):
    modules("app.domain").should_not_import("app.adapters").as_warning().check(fitness_graph)
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> Path:
    root = write_project(pytester.path, CONFIG, FILES)
    pytester.chdir()
    return root


def test_a_broken_warning_rule_passes_with_a_warning_telling_the_failure(
    pytester: pytest.Pytester, project: Path
) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*FitnessWarning: Pure domain (severity warning, --fitness-strict fails it): Modules "
            "in app.domain must not import app.adapters.",
            "*app.domain is not allowed to import app.adapters:",
            "*app/domain.py:1  import app.adapters",
        ]
    )


def test_fitness_strict_fails_it(pytester: pytest.Pytester, project: Path) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", "--fitness-strict")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["FAILED pyproject.toml::Pure domain - Modules in app.domain*"])


def test_a_fluent_rule_as_a_warning_passes_with_a_rule_warning(
    pytester: pytest.Pytester, project: Path
) -> None:
    (project / "pyproject.toml").write_text(
        CONFIG.split("[[tool.fitness.rules]]")[0], encoding="utf-8"
    )
    pytester.makepyfile(test_purity=TEST_FILE)
    result = pytester.runpytest("-p", "no:cacheprovider", "test_purity.py")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*RuleWarning: modules in app.domain should not import*"])
    strict = pytester.runpytest("-p", "no:cacheprovider", "test_purity.py", "--fitness-strict")
    strict.assert_outcomes(failed=1)
    strict.stdout.fnmatch_lines(["*RuleViolated: modules in app.domain should not import*"])
