"""``django_settings_access`` on in-memory graphs."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import GraphMaker
from fitness_django import DjangoSettingsAccessRule

from fitness import RuleError
from fitness.domain.options import build_rule

BASE = """
    mysite.settings.dev -> mysite.settings.base
    mysite.settings.prod -> mysite.settings.base
    blog.views -> django
    blog.models
"""


def rule(**options: Any) -> DjangoSettingsAccessRule:
    return build_rule(DjangoSettingsAccessRule, {"name": "settings", **options})


def test_settings_modules_may_import_each_other(make_graph: GraphMaker) -> None:
    assert rule().result(make_graph(BASE)).passed


def test_importing_a_settings_module_is_a_violation(make_graph: GraphMaker) -> None:
    graph = make_graph(
        BASE + "blog.views -> mysite.settings.base\nblog.models -> mysite.settings\n"
    )
    checked = rule().result(graph)
    assert [(v.importer, v.imported) for v in checked.violations] == [
        ("blog.models", "mysite.settings"),
        ("blog.views", "mysite.settings.base"),
    ]
    assert checked.violations[1].chains[0].links[0].location == "blog/views.py:2"
    assert (
        checked.violations[1].summary
        == "blog.views imports the settings module mysite.settings.base"
    )


def test_allowed_importers_and_explicit_settings_modules(make_graph: GraphMaker) -> None:
    graph = make_graph(BASE + "mysite.wsgi -> mysite.settings.prod\nblog.models -> mysite.config\n")
    assert [v.importer for v in rule().result(graph).violations] == ["mysite.wsgi"]
    assert rule(allowed_importers=["mysite.*"]).result(graph).passed
    explicit = rule(settings_modules=["mysite.config"], allowed_importers=["mysite.wsgi"])
    assert [v.importer for v in explicit.result(graph).violations] == ["blog.models"]
    assert explicit.description == (
        "Modules must read settings through django.conf.settings, never by importing mysite.config"
    )


def test_no_settings_module_is_an_error(make_graph: GraphMaker) -> None:
    with pytest.raises(RuleError, match="no module named 'settings'"):
        rule().result(make_graph("blog.models -> blog.utils"))
    with pytest.raises(
        RuleError,
        match=r"settings_modules: module 'mysite\.setings' is not in the graph; did you mean",
    ):
        rule(settings_modules=["mysite.setings"]).result(make_graph(BASE))
