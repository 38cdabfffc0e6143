"""Architecture coverage: what the rules govern (fitness/domain/coverage.py), and the
``require_coverage`` check (fitness/domain/rules/coverage.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from fitness import ConfigError, Findings, ProjectGraph, Rule
from fitness.domain.config import parse_config
from fitness.domain.coverage import Spot, format_share, measure_coverage
from fitness.domain.rules import builtin_rule_types
from fitness.domain.rules.base import found_by
from fitness.domain.rules.coverage import CoverageRule
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from fitness.domain.rules.imports.layers import LayersRule
from fitness.domain.rules.imports.modules import ModulesRule
from tests.domain.rules.test_module_names import SAMPLES, TYPES
from tests.domain.rules.test_module_names import graph as sample_graph
from tests.helpers import fake_graph

GRAPH = fake_graph(
    """
    shop.domain.model
    shop.domain.services -> shop.domain.model
    shop.adapters.db -> shop.domain.model
    shop.legacy.old.a
    shop.legacy.old.b
    shop.tests.test_model -> shop.domain.model
    """,
    roots=("shop",),
)


def forbidden(*sources: str) -> ForbiddenRule:
    return ForbiddenRule(name="f", source_modules=sources, forbidden_modules=("shop.adapters",))


@dataclass(frozen=True, kw_only=True)
class SilentRule(Rule):
    """A plugin's rule type that does not say what it governs."""

    type_name = "silent"

    def describe(self) -> str:
        return "silent"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        return Findings()


def test_a_module_is_governed_when_it_lies_in_the_scope_of_a_rule() -> None:
    coverage = measure_coverage(GRAPH, [forbidden("shop.domain")])

    assert sorted(coverage.governed) == [
        "shop.domain",
        "shop.domain.model",
        "shop.domain.services",
    ]
    assert coverage.share == 3 / 12


def test_a_package_is_governed_when_every_module_in_it_is() -> None:
    rules = [forbidden("shop.domain", "shop.adapters", "shop.legacy", "shop.tests")]

    coverage = measure_coverage(GRAPH, rules)

    assert coverage.ungoverned == ()
    assert coverage.share == 1.0
    assert coverage.spots() == []


def test_what_no_rule_governs_is_listed_by_whole_packages_and_partly_governed_ones() -> None:
    coverage = measure_coverage(GRAPH, [forbidden("shop.domain", "shop.legacy.old.a")])

    assert coverage.spots() == [
        Spot("shop", partly=True),
        Spot("shop.adapters", 2),
        Spot("shop.legacy", partly=True),
        Spot("shop.legacy.old", partly=True),
        Spot("shop.legacy.old.b"),
        Spot("shop.tests", 2),
    ]
    assert sum(spot.modules for spot in coverage.spots()) == len(coverage.ungoverned)


def test_test_packages_inside_the_root_packages_count_like_other_modules() -> None:
    coverage = measure_coverage(GRAPH, [forbidden("shop.domain")])

    assert "shop.tests.test_model" in coverage.ungoverned


def test_coverage_by_package() -> None:
    coverage = measure_coverage(GRAPH, [forbidden("shop.domain")])

    assert [(p.package, p.modules, p.governed) for p in coverage.packages(2)] == [
        ("shop", 1, 0),
        ("shop.adapters", 2, 0),
        ("shop.domain", 3, 3),
        ("shop.legacy", 4, 0),
        ("shop.tests", 2, 0),
    ]


def test_a_rule_whose_type_does_not_say_governs_nothing_and_is_named() -> None:
    coverage = measure_coverage(GRAPH, [SilentRule(name="mine"), forbidden("shop.domain")])

    assert coverage.silent_rules == (("mine", "silent"),)
    assert coverage.governed_count == 3


def test_a_misspelt_name_governs_nothing() -> None:
    assert measure_coverage(GRAPH, [forbidden("shop.domian")]).governed == frozenset()


def test_a_selection_governs_what_it_selects_less_its_exclusions() -> None:
    rule = ModulesRule(
        name="m", select=("shop.*",), excluding=("shop.legacy",), should_be_acyclic=True
    )

    assert sorted(rule.governed_modules(GRAPH)) == [
        "shop.adapters",
        "shop.adapters.db",
        "shop.domain",
        "shop.domain.model",
        "shop.domain.services",
        "shop.tests",
        "shop.tests.test_model",
    ]


def test_layers_in_containers_govern_each_layer_of_each_container() -> None:
    graph = fake_graph("a.x.ui\na.x.core\na.y.ui\na.y.core\na.z.misc", roots=("a",))
    rule = LayersRule(name="l", layers=("ui", "core"), containers=("a.x", "a.y"))

    assert sorted(rule.governed_modules(graph)) == ["a.x.core", "a.x.ui", "a.y.core", "a.y.ui"]


@pytest.mark.parametrize("type_name", sorted(t for t in TYPES if t in SAMPLES))
def test_every_built_in_rule_type_says_what_it_governs(type_name: str) -> None:
    from fitness.domain.options import build_rule

    # (the first-party plugin's types, when it is installed, say too)
    rule = build_rule(TYPES[type_name], {"name": "r", **SAMPLES[type_name][0]})
    governed = rule.governed_modules(sample_graph())

    assert governed, f"{type_name} governs nothing"
    assert all(m.startswith("app") for m in governed)


def test_every_built_in_rule_type_is_sampled() -> None:
    assert {cls.type_name for cls in builtin_rule_types()} <= set(SAMPLES)


def test_shares_are_rounded_down() -> None:
    assert [format_share(s) for s in (0.9996, 2 / 3, 1.0, 0.0)] == [
        "99.9%",
        "66.6%",
        "100.0%",
        "0.0%",
    ]


# require_coverage ----------------------------------------------------------------


def test_every_ungoverned_package_is_a_violation_when_all_is_required() -> None:
    check = CoverageRule(name="coverage", rules=(forbidden("shop.domain", "shop.tests"),))

    result = found_by(check, GRAPH)

    assert result.description == (
        "Every module of the root packages must be governed by at least one rule"
    )
    assert [v.summary for v in result.violations] == [
        "shop is governed by no rule (a package is governed once every module in it is)",
        "shop.adapters (2 modules) is governed by no rule",
        "shop.legacy (4 modules) is governed by no rule",
    ]
    assert [(v.importer, v.imported) for v in result.violations] == [
        ("shop", ""),
        ("shop.adapters", ""),
        ("shop.legacy", ""),
    ]
    assert result.guidance.startswith(
        "The rules govern 41.6% of the modules (5 of 12); require_coverage asks for all of them."
    )


def test_a_share_met_passes_and_one_not_met_lists_what_no_rule_governs() -> None:
    rules = (forbidden("shop.domain", "shop.legacy", "shop.tests"),)

    assert found_by(CoverageRule(name="coverage", rules=rules, required=0.75), GRAPH).passed
    below = found_by(CoverageRule(name="coverage", rules=rules, required=0.9), GRAPH)
    assert [v.importer for v in below.violations] == ["shop", "shop.adapters"]
    assert below.guidance.splitlines()[0] == (
        "The rules govern 75.0% of the modules (9 of 12); require_coverage asks for at least 90.0%."
    )


def test_the_check_warns_about_rules_that_do_not_say_what_they_govern() -> None:
    rules = (SilentRule(name="mine"), forbidden("shop"))

    result = found_by(CoverageRule(name="coverage", rules=rules), GRAPH)

    assert result.passed
    assert result.warnings == (
        "rule 'mine' (type silent) does not say which modules it governs; it counts as "
        "governing nothing",
    )


def config(**table: Any) -> Any:
    types = {cls.type_name: cls for cls in builtin_rule_types()}
    rules = [
        {
            "name": "f",
            "type": "forbidden",
            "source_modules": ["shop.domain"],
            "forbidden_modules": ["shop.adapters"],
        }
    ]
    return parse_config({"root_packages": ["shop"], "rules": rules, **table}, types)


def test_require_coverage_adds_a_check_named_coverage_after_the_rules() -> None:
    assert [r.name for r in config().rules] == ["f"]
    rules = config(require_coverage="all").rules
    assert [r.name for r in rules] == ["f", "coverage"]
    assert isinstance(rules[1], CoverageRule)
    assert rules[1].rules == rules[:1]
    assert rules[1].required == 1.0
    assert config(require_coverage=0.9).rules[1].required == 0.9


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "most",
            "option 'require_coverage' must be one of 'all' or a number, not a string ('most')",
        ),
        (1.5, "'require_coverage' must be \"all\" or a share between 0 and 1"),
        (0, "'require_coverage' must be \"all\" or a share between 0 and 1"),
    ],
)
def test_require_coverage_is_all_or_a_share(value: object, message: str) -> None:
    with pytest.raises(ConfigError, match="require_coverage") as caught:
        config(require_coverage=value)
    assert message in caught.value.message
    assert caught.value.key == ("require_coverage",)


def test_a_rule_named_coverage_cannot_be_kept_beside_require_coverage() -> None:
    types = {cls.type_name: cls for cls in builtin_rule_types()}
    rules = [{"name": "coverage", "type": "independence", "modules": ["shop.a", "shop.b"]}]
    with pytest.raises(ConfigError, match="a rule is named 'coverage'"):
        parse_config({"root_packages": ["shop"], "rules": rules, "require_coverage": "all"}, types)
