"""The ``metrics`` rule type: options, verdicts and messages, unit and under pytest."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.adapters.codemodel import attach_code_model
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.application.checking import check_rule
from fitness.domain.config import GraphSettings
from fitness.domain.errors import ConfigError
from fitness.domain.graph import ProjectGraph
from fitness.domain.options import build_rule
from fitness.domain.rendering import format_value
from fitness.domain.rules.metrics.thresholds import MetricsRule, package_pattern
from tests.helpers import append, fake_graph, write_files

METRICS_RULE = """
[[tool.fitness.rules]]
name = "Coupling budget"
type = "metrics"
"""

# A tree for the stable-dependencies principle: core is used by two apps and uses
# util, which depends on three more packages, so util is less stable than core.
SDP_TREE = {
    "pkg/__init__.py": "",
    "pkg/app1/__init__.py": "import pkg.core\n",
    "pkg/app2/__init__.py": "import pkg.core\n",
    "pkg/core/__init__.py": "",
    "pkg/core/service.py": "from pkg.util.text import shout  # core reaching for util\n",
    "pkg/util/__init__.py": "",
    "pkg/util/text.py": "import pkg.x\nimport pkg.y\nimport pkg.z\n\n\ndef shout(s): return s\n",
    "pkg/x/__init__.py": "",
    "pkg/y/__init__.py": "",
    "pkg/z/__init__.py": "",
}

LCOM_TREE = {
    "pkg/__init__.py": "",
    "pkg/model/__init__.py": "",
    "pkg/model/split.py": """
        class Split:
            def a(self):
                return self.x

            def b(self):
                return self.y
        """,
}


def build(root: Path, package: str = "pkg") -> ProjectGraph:
    graph = GrimpGraphBuilder(root).build(GraphSettings(root_packages=(package,)))
    attach_code_model(graph, root)
    return graph


def rule(**options: object) -> MetricsRule:
    return build_rule(MetricsRule, {"name": "budget", **options})


# Options ---------------------------------------------------------------------------


def test_a_rule_without_thresholds_is_an_error() -> None:
    with pytest.raises(ConfigError, match="at least one threshold"):
        rule(depth=2)


def test_an_unknown_override_says_did_you_mean() -> None:
    with pytest.raises(
        ConfigError, match="unknown threshold 'max_instabilty'; did you mean 'max_instability'"
    ) as error:
        rule(overrides={"shop.domain": {"max_instabilty": 0.2}})
    assert error.value.key == ("overrides", "shop.domain", "max_instabilty")


def test_out_of_range_thresholds_are_errors() -> None:
    with pytest.raises(ConfigError, match="'max_instability' must be between 0 and 1"):
        rule(max_instability=1.5)
    with pytest.raises(ConfigError, match="must be a number"):
        rule(max_distance="high")


def test_the_description_is_generated_from_the_options() -> None:
    described = rule(
        max_instability=0.5, max_lcom4=1, stable_dependencies=True, max_propagation_cost=0.2
    ).describe()
    assert described == (
        "Packages at depth 2 must keep instability I <= 0.5, LCOM4 <= 1 for every concrete "
        "class and dependencies only on packages at least as stable (SDP), and the "
        "propagation cost of the system must be at most 0.2"
    )


def test_format_value_and_package_patterns() -> None:
    assert [format_value(v) for v in (0.625, 1.0, 0.0, 3, None)] == [
        "0.62",
        "1",
        "0",
        "3",
        "undefined",
    ]
    assert package_pattern("shop.*").match("shop.domain")
    assert not package_pattern("shop.*").match("shop.domain.model")
    assert package_pattern("shop.**").match("shop.domain.model")
    assert not package_pattern("shop.**").match("shop")


# Verdicts on real trees ---------------------------------------------------------------------


def test_stable_dependencies_breach_names_both_packages_and_the_import(tmp_path: Path) -> None:
    write_files(tmp_path, SDP_TREE)
    result = check_rule(rule(stable_dependencies=True), build(tmp_path))
    assert [(v.importer, v.imported) for v in result.violations] == [("pkg.core", "pkg.util")]
    violation = result.violations[0]
    assert violation.summary == (
        "pkg.core (I = 0.33) depends on pkg.util, which is less stable (I = 0.75)"
    )
    (chain,) = violation.chains
    assert str(chain) == "pkg.core.service -> pkg.util.text"
    assert chain.links[0].file == "pkg/core/service.py"
    assert chain.links[0].line_numbers == (1,)


def test_details_hold_the_measured_values(tmp_path: Path) -> None:
    write_files(tmp_path, SDP_TREE)
    result = check_rule(
        rule(max_instability=0.7, packages=("pkg.core", "pkg.util")), build(tmp_path)
    )
    assert [v.importer for v in result.violations] == ["pkg.util"]
    details = result.details
    assert [p["package"] for p in details["packages"]] == ["pkg.core", "pkg.util"]  # type: ignore[attr-defined]
    assert details["breaches"] == [
        {"subject": "pkg.util", "metric": "instability", "value": 0.75, "threshold": 0.7}
    ]
    assert details["system"]["largest_cycle_group"] == 0  # type: ignore[index]


def test_a_package_pattern_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    write_files(tmp_path, SDP_TREE)
    result = check_rule(rule(max_instability=0.5, packages=("pkg.utils",)), build(tmp_path))
    assert result.errors == (
        "packages: 'pkg.utils' matches no package at depth 2; did you mean 'pkg.util'?",
    )


def test_an_override_relaxes_one_package(tmp_path: Path) -> None:
    write_files(tmp_path, SDP_TREE)
    graph = build(tmp_path)
    strict = check_rule(rule(max_instability=0.5), graph)
    assert {v.importer for v in strict.violations} == {"pkg.app1", "pkg.app2", "pkg.util"}
    relaxed = check_rule(
        rule(
            max_instability=0.5,
            overrides={"pkg.app*": {"max_instability": 1.0}, "pkg.util": {"max_instability": 0.8}},
        ),
        graph,
    )
    assert relaxed.passed


def test_lcom4_breach_names_the_class_file_line_and_groups(tmp_path: Path) -> None:
    write_files(tmp_path, LCOM_TREE)
    result = check_rule(rule(max_lcom4=1), build(tmp_path))
    (violation,) = result.violations
    assert (violation.importer, violation.imported) == ("pkg.model.split.Split", "lcom4")
    assert violation.summary == (
        "pkg.model.split.Split: LCOM4 = 2 is above max_lcom4 = 1 (pkg/model/split.py:1); "
        "unconnected methods: {a} | {b}"
    )


def test_a_not_implemented_base_class_counts_as_abstract_unless_the_rule_says_not(
    tmp_path: Path,
) -> None:
    write_files(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/app/__init__.py": "import pkg.base\n",
            "pkg/base/__init__.py": """
                class Storage:
                    def save(self, item):
                        raise NotImplementedError
                """,
        },
    )
    graph = build(tmp_path)
    # pkg.base: I = 0 (imported, importing nothing), so D = |A - 1|.
    assert check_rule(rule(max_distance=0.5), graph).passed  # A = 1, D = 0
    declared = check_rule(rule(max_distance=0.5, not_implemented_is_abstract=False), graph)
    (violation,) = declared.violations
    assert violation.summary.startswith(
        "pkg.base: distance from the main sequence D = 1 is above max_distance = 0.5"
    )


def test_a_graph_without_a_code_model_cannot_be_judged_on_classes() -> None:
    graph = fake_graph("pkg.a -> pkg.b")
    result = check_rule(rule(max_distance=0.5), graph)
    assert result.errors and "carries no code model" in result.errors[0]
    # Coupling alone needs no class facts.
    assert check_rule(rule(max_instability=1.0), graph).passed


def test_propagation_cost_breach() -> None:
    graph = fake_graph("pkg.a -> pkg.b\npkg.b -> pkg.a")
    result = check_rule(rule(max_propagation_cost=0.1), graph)
    (violation,) = result.violations
    assert (violation.importer, violation.imported) == ("pkg", "propagation_cost")
    assert (
        "propagation cost = 0.44 (44.4% of module pairs) is above max_propagation_cost = 0.1"
        in (violation.summary)
    )


# Under pytest ---------------------------------------------------------------------------


def test_the_shop_keeps_a_sensible_budget(pytester: pytest.Pytester, shop: Path) -> None:
    append(
        shop / "pyproject.toml",
        METRICS_RULE + "max_instability = 1.0\nmax_lcom4 = 1\nstable_dependencies = true\n",
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "Coupling")
    result.assert_outcomes(passed=1)


def test_a_breach_fails_with_package_value_and_threshold(
    pytester: pytest.Pytester, shop: Path
) -> None:
    append(shop / "pyproject.toml", METRICS_RULE + "max_instability = 0.5\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "Coupling")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*Packages at depth 2 must keep instability I <= 0.5.",
            "shop.adapters: instability I = 0.67 is above max_instability = 0.5 (Ca = 1, Ce = 2)",
            "shop.main: instability I = 1 is above max_instability = 0.5 (Ca = 0, Ce = 2)",
        ]
    )


def test_per_package_overrides_in_toml(pytester: pytest.Pytester, shop: Path) -> None:
    append(
        shop / "pyproject.toml",
        METRICS_RULE
        + "max_instability = 0.5\n\n"
        + '[tool.fitness.rules.overrides."shop.main"]\nmax_instability = 1.0\n\n'
        + '[tool.fitness.rules.overrides."shop.adapters"]\nmax_instability = 0.7\n',
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "Coupling")
    result.assert_outcomes(passed=1)


def test_a_misspelt_override_is_a_clear_error(pytester: pytest.Pytester, shop: Path) -> None:
    append(
        shop / "pyproject.toml",
        METRICS_RULE + "max_instability = 0.5\n"
        '[tool.fitness.rules.overrides."shop.main"]\nmax_instabilty = 1.0\n',
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    out = result.stdout.str()
    assert "unknown threshold 'max_instabilty'; did you mean 'max_instability'" in out
    assert "pyproject.toml:" in out
    assert "Traceback" not in out
