"""What each rule type governs, for ``fitness coverage`` (``governed_modules(graph)``): a rule
type that does not say counts as governing nothing, and its rules are named as such."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import GraphMaker
from fitness_django import (
    DjangoAppDependenciesRule,
    DjangoModelsIsolationRule,
    DjangoSettingsAccessRule,
)

from fitness.cli import main
from fitness.domain.options import build_rule
from fitness.domain.rules.base import Rule

PROJECT = """
    blog.apps
    blog.models -> blog.utils
    blog.views -> blog.models
    blog.admin -> blog.models
    shop.models.order -> shop.models.base
    shop.views.detail -> shop.models.order
    shop.legacy.models
    mysite.settings.base
    mysite.settings.dev -> mysite.settings.base
    mysite.urls -> blog.views
    core.text
"""


def governed(rule_class: type[Rule], graph: Any, **options: Any) -> list[str]:
    rule = build_rule(rule_class, {"name": "r", **options})
    found = rule.governed_modules(graph)
    assert found is not None, "the rule type must say what it governs"
    return sorted(found)


def test_app_dependencies_governs_every_app_each_must_be_declared(make_graph: GraphMaker) -> None:
    graph = make_graph(PROJECT)
    blog = ["blog", "blog.admin", "blog.apps", "blog.models", "blog.utils", "blog.views"]
    shop = ["shop", "shop.legacy", "shop.legacy.models", "shop.models", "shop.models.base"]
    shop += ["shop.models.order", "shop.views", "shop.views.detail"]
    assert governed(DjangoAppDependenciesRule, graph, apps={"blog": []}) == blog + shop


def test_app_dependencies_governs_only_the_declared_apps_when_others_are_ignored(
    make_graph: GraphMaker,
) -> None:
    graph = make_graph(PROJECT)
    assert governed(
        DjangoAppDependenciesRule, graph, apps={"blog": [], "nope": []}, undeclared_apps="ignore"
    ) == ["blog", "blog.admin", "blog.apps", "blog.models", "blog.utils", "blog.views"]


def test_models_isolation_governs_the_models_of_every_app(make_graph: GraphMaker) -> None:
    graph = make_graph(PROJECT)
    assert governed(DjangoModelsIsolationRule, graph) == [
        "blog.models",
        "shop.legacy.models",  # (shop.legacy is an app of its own: it has models)
        "shop.models",
        "shop.models.base",
        "shop.models.order",
    ]
    assert governed(DjangoModelsIsolationRule, graph, models=["views"]) == [
        "blog.views",
        "shop.views",
        "shop.views.detail",
    ]


def test_settings_access_governs_the_settings_modules(make_graph: GraphMaker) -> None:
    graph = make_graph(PROJECT)
    settings = ["mysite.settings", "mysite.settings.base", "mysite.settings.dev"]
    assert governed(DjangoSettingsAccessRule, graph) == settings
    named = governed(DjangoSettingsAccessRule, graph, settings_modules=["mysite.settings.dev"])
    assert named == ["mysite.settings.dev"]
    assert governed(DjangoSettingsAccessRule, graph, settings_modules=["mysite.setings"]) == []


def test_fitness_coverage_counts_the_plugins_rules_on_the_example(
    blog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each rule of the plugin counted as governing nothing: 2 of 31 modules (core).
    assert main(["coverage", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["modules"], report["governed"]) == (31, 28)
    assert report["ungoverned_modules"] == ["mysite", "mysite.urls", "mysite.wsgi"]
    assert report["silent_rules"] == []
