"""``django_app_dependencies`` on in-memory graphs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import GraphMaker
from fitness_django import DjangoAppDependenciesRule

from fitness import ConfigError, RuleError
from fitness.domain.options import build_rule

APPS = """
    blog.apps
    blog.models -> accounts.models
    blog.views -> blog.models
    accounts.apps
    accounts.models
    comments.models -> blog.models
    core.text
"""


def rule(**options: Any) -> DjangoAppDependenciesRule:
    return build_rule(DjangoAppDependenciesRule, {"name": "apps", **options})


def test_declared_dependencies_pass(make_graph: GraphMaker) -> None:
    graph = make_graph(APPS)
    checked = rule(apps={"blog": ["accounts"], "accounts": [], "comments": ["blog"]}).result(graph)
    assert checked.passed, checked


def test_an_undeclared_dependency_is_a_violation_with_its_chain(make_graph: GraphMaker) -> None:
    graph = make_graph(APPS + "accounts.models -> blog.views\n")
    checked = rule(apps={"blog": ["accounts"], "accounts": [], "comments": ["blog"]}).result(graph)
    [violation] = checked.violations
    assert (violation.importer, violation.imported) == ("accounts", "blog")
    assert (
        violation.summary
        == "app accounts is not allowed to import app blog (it may import no other app)"
    )
    [chain] = violation.chains
    assert str(chain) == "accounts.models -> blog.views"
    assert chain.links[0].location == "accounts/models.py:1"


def test_modules_outside_every_app_do_not_launder_a_dependency(make_graph: GraphMaker) -> None:
    graph = make_graph(APPS + "accounts.models -> core.text\ncore.text -> comments.models\n")
    checked = rule(apps={"blog": ["accounts"], "accounts": [], "comments": ["blog"]}).result(graph)
    [violation] = checked.violations
    assert (violation.importer, violation.imported) == ("accounts", "comments")
    assert [str(c) for c in violation.chains] == ["accounts.models -> core.text -> comments.models"]


def test_a_chain_through_another_app_is_that_apps_own_dependency(make_graph: GraphMaker) -> None:
    # comments -> blog -> accounts: comments need not declare accounts
    graph = make_graph(APPS)
    checked = rule(apps={"blog": ["accounts"], "accounts": [], "comments": ["blog"]}).result(graph)
    assert checked.passed


def test_an_app_missing_from_the_declaration_is_reported(make_graph: GraphMaker) -> None:
    graph = make_graph(APPS)
    checked = rule(apps={"blog": ["accounts"], "accounts": []}).result(graph)
    [violation] = checked.violations
    assert violation.summary.startswith("app comments is not declared in 'apps'")
    assert (
        rule(apps={"blog": ["accounts"], "accounts": []}, undeclared_apps="ignore")
        .result(graph)
        .passed
    )


def test_apps_are_named_by_module_or_label(make_graph: GraphMaker) -> None:
    graph = make_graph(
        """
        mysite.blog.models -> mysite.accounts.models
        mysite.accounts.apps
        mysite.settings
        """
    )
    by_label = rule(apps={"blog": ["accounts"], "accounts": []}).result(graph)
    by_module = rule(apps={"mysite.blog": ["mysite.accounts"], "mysite.accounts": []}).result(graph)
    assert by_label.passed and by_module.passed
    broken = rule(apps={"blog": [], "accounts": []}).result(graph)
    assert [v.summary for v in broken.violations] == [
        "app mysite.blog is not allowed to import app mysite.accounts (it may import no other app)"
    ]


def test_an_unknown_app_is_an_error_with_did_you_mean(make_graph: GraphMaker) -> None:
    graph = make_graph(APPS)
    with pytest.raises(
        RuleError,
        match=re.escape(
            "apps.comments: 'blogs' is not a Django app; did you mean 'blog'? "
            "(apps found: accounts, blog, comments"
        ),
    ):
        rule(apps={"blog": [], "accounts": [], "comments": ["blogs"]}).result(graph)


def test_no_app_at_all_is_an_error(make_graph: GraphMaker) -> None:
    graph = make_graph("lib.a -> lib.b")
    with pytest.raises(RuleError, match="no Django app found in the root packages \\(lib\\)"):
        rule(apps={"blog": []}).result(graph)


def test_options_are_validated(make_graph: GraphMaker) -> None:
    with pytest.raises(ConfigError, match="option 'apps' must be a table of"):
        rule(apps=["blog"])
    with pytest.raises(
        ConfigError, match=re.escape("option 'apps.blog' must be a list of strings")
    ):
        rule(apps={"blog": 3})
    with pytest.raises(
        ConfigError, match="unknown option 'undeclared_app'; did you mean 'undeclared_apps'"
    ):
        rule(apps={}, undeclared_app="ignore")


def test_the_description_lists_the_declaration() -> None:
    assert rule(apps={"blog": ["accounts"], "accounts": []}).description == (
        "Django apps may import only the apps they declare (accounts -> none; blog -> accounts)"
    )
