"""``severity = "warning"`` (issue 21): a rule adopted as a warning first is reported,
and fails nothing; it still fails when it cannot be checked."""

from __future__ import annotations

import warnings

import pytest

from fitness import ForbiddenRule, RuleViolated, RuleWarning, modules
from fitness.application.check import verdict
from fitness.domain.errors import ConfigError
from fitness.domain.options import build_rule
from fitness.domain.rules.base import found_by
from tests.helpers import fake_graph

GRAPH = fake_graph("app.domain -> app.adapters\napp.adapters -> app.domain.model")


def forbidden(severity: str = "error", target: str = "app.adapters") -> ForbiddenRule:
    return build_rule(
        ForbiddenRule,
        {
            "name": "Pure domain",
            "source_modules": ["app.domain"],
            "forbidden_modules": [target],
            "severity": severity,
        },
    )


def test_a_broken_warning_rule_is_warned_and_fails_nothing() -> None:
    result = found_by(forbidden("warning"), GRAPH)
    assert (result.severity, result.passed, result.warned, result.fails) == (
        "warning",
        False,
        True,
        False,
    )
    error = found_by(forbidden(), GRAPH)
    assert (error.severity, error.warned, error.fails) == ("error", False, True)


def test_a_warning_rule_that_cannot_be_checked_still_fails() -> None:
    result = found_by(forbidden("warning", target="app.nowhere"), GRAPH)
    assert result.errors and not result.warned and result.fails


def test_strict_makes_a_warning_fail_and_the_baseline_still_applies() -> None:
    from fitness.domain.baseline import Baseline

    found = found_by(forbidden("warning"), GRAPH)
    assert verdict(found, None, warnings_fail=True).fails
    assert verdict(found, None).warned
    known = Baseline.from_results([found])
    assert verdict(found, known).passed
    assert verdict(found, known, warnings_fail=True).passed


def test_check_issues_a_rule_warning_instead_of_raising() -> None:
    with pytest.warns(RuleWarning, match=r"^Modules in app\.domain must not import app\.adapters"):
        result = forbidden("warning").check(GRAPH)
    assert result.warned
    with pytest.raises(RuleViolated):
        forbidden().check(GRAPH)


def test_a_fluent_rule_may_be_a_warning() -> None:
    rule = modules("app.domain").should_not_import("app.adapters")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuleViolated):
            rule.check(GRAPH)
    with pytest.warns(RuleWarning):
        assert rule.as_warning().check(GRAPH).severity == "warning"
    assert rule.as_warning().rule().severity == "warning"


def test_a_severity_is_error_or_warning() -> None:
    with pytest.raises(ConfigError) as raised:
        forbidden("warn")
    assert raised.value.message == (
        "option 'severity' must be one of 'error', 'warning', not 'warn'; did you mean 'warning'?"
    )
