"""``django_models_isolation`` on in-memory graphs."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import GraphMaker
from fitness_django import DjangoModelsIsolationRule

from fitness import RuleError
from fitness.domain.options import build_rule

BASE = """
    blog.models -> blog.utils
    blog.views -> blog.models
    blog.forms -> blog.models
    blog.admin -> blog.models
    shop.models.order -> shop.models.base
    shop.views.detail -> shop.models.order
"""


def rule(**options: Any) -> DjangoModelsIsolationRule:
    return build_rule(DjangoModelsIsolationRule, {"name": "models", **options})


def test_models_importing_nothing_above_them_pass(make_graph: GraphMaker) -> None:
    assert rule().result(make_graph(BASE)).passed


def test_a_direct_import_of_a_view_is_a_violation(make_graph: GraphMaker) -> None:
    checked = rule().result(make_graph(BASE + "shop.models.order -> shop.views.detail\n"))
    [violation] = checked.violations
    assert (violation.importer, violation.imported) == ("shop.models", "shop.views")
    assert [str(c) for c in violation.chains] == ["shop.models.order -> shop.views.detail"]
    assert violation.chains[0].links[0].location == "shop/models/order.py:2"


def test_an_indirect_import_of_another_apps_form_is_a_violation(make_graph: GraphMaker) -> None:
    graph = make_graph(BASE + "blog.utils -> shop.forms\nshop.forms\n")
    [violation] = rule().result(graph).violations
    assert violation.summary == "blog.models is not allowed to import shop.forms"
    assert [str(c) for c in violation.chains] == ["blog.models -> blog.utils -> shop.forms"]
    assert rule(allow_indirect_imports=True).result(graph).passed


def test_the_forbidden_and_model_modules_can_be_chosen(make_graph: GraphMaker) -> None:
    graph = make_graph(BASE + "blog.managers -> blog.api\nblog.api\n")
    assert rule().result(graph).passed
    checked = rule(models=["models", "managers"], forbidden=["views", "api"]).result(graph)
    assert [v.summary for v in checked.violations] == [
        "blog.managers is not allowed to import blog.api"
    ]
    assert checked.description == (
        "Models (<app>.models and <app>.managers) must not import <app>.views or <app>.api, "
        "of any Django app"
    )


def test_no_models_module_is_an_error(make_graph: GraphMaker) -> None:
    with pytest.raises(RuleError, match="no app has a managers module"):
        rule(models=["managers"]).result(make_graph(BASE))
