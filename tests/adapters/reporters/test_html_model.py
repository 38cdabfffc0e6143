"""The HTML report's data: every module once, in the layers' order; imports as index pairs;
a view per rule with only the modules of its chains."""

from __future__ import annotations

import dataclasses
import json

import pytest

from fitness.adapters.reporters import html_model
from fitness.adapters.reporters.diagram import build_diagram
from fitness.adapters.reporters.html_model import KNOWN, NEW, report_model, to_script_json
from fitness.application.checking import check_rule
from fitness.application.report import forgiven
from fitness.domain.baseline import Baseline, apply_baseline
from fitness.domain.rules import LayersRule
from tests.helpers import fake_graph

GRAPH = """
    app.api.views -> app.domain.model
    app.api.views -> app.infra.db
    app.domain.model -> app.api.views
    app.domain.rules -> app.api.forms
    app.infra.db -> app.domain.model
"""
LAYERS = LayersRule(name="Layers", layers=("app.api", "app.infra", "app.domain"))


def _model(baseline_first: bool = False) -> dict[str, object]:
    graph = fake_graph(GRAPH)
    found = check_rule(LAYERS, graph)
    result = found
    if baseline_first:  # one chain of the violation is known, the other is new
        (violation,) = found.violations
        first = dataclasses.replace(violation, chains=violation.chains[:1])
        known = Baseline.from_results([dataclasses.replace(found, violations=(first,))])
        result = apply_baseline(found, known).result
        assert len(result.violations[0].chains) == 1
    modules = build_diagram(graph, (LAYERS,), [result], depth=None)
    packages = build_diagram(graph, (LAYERS,), [result], depth=2)
    return report_model(modules, packages, [result], {"Layers": forgiven(found, result)})


def test_modules_are_written_once_from_the_top_layer_down() -> None:
    model = _model()
    names = model["modules"]
    assert isinstance(names, list)
    assert names.index("app.api.views") < names.index("app.infra.db")
    assert names.index("app.infra.db") < names.index("app.domain.model")
    edges = model["edges"]
    assert isinstance(edges, list)
    pairs = {(names[edges[i]], names[edges[i + 1]]) for i in range(0, len(edges), 2)}
    assert ("app.domain.model", "app.api.views") in pairs and len(pairs) == 5


def test_imports_in_reported_and_in_baselined_chains_are_flagged_apart() -> None:
    model = _model(baseline_first=True)
    names, edges, flags = model["modules"], model["edges"], model["flags"]
    assert isinstance(names, list) and isinstance(edges, list) and isinstance(flags, list)
    flagged = {
        (names[edges[2 * flags[i]]], names[edges[2 * flags[i] + 1]]): flags[i + 1]
        for i in range(0, len(flags), 2)
    }
    assert sorted(flagged.values()) == [NEW, KNOWN]
    assert set(flagged) == {
        ("app.domain.model", "app.api.views"),
        ("app.domain.rules", "app.api.forms"),
    }


def test_a_rule_view_holds_only_the_modules_of_its_chains_framed_by_package() -> None:
    views = _model()["views"]
    assert isinstance(views, list)
    assert [v["id"] for v in views] == ["packages", "rule:0"]
    rule = views[1]
    assert [n[0] for n in rule["nodes"]] == [
        "app.api.forms",
        "app.api.views",
        "app.domain.model",
        "app.domain.rules",
    ]
    assert [p[0] for p in rule["parents"]] == ["app.api", "app.domain"]
    assert rule["edges"] == [
        ["app.domain.model", "app.api.views", 1, NEW],
        ["app.domain.rules", "app.api.forms", 1, NEW],
    ]


def test_a_rule_view_shows_at_most_so_many_chains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_model, "MAX_CHAINS_PER_VIEW", 1)
    rule = _model()["views"][1]  # type: ignore[index]
    assert (rule["chains"], rule["shown"], len(rule["edges"])) == (2, 1, 1)


def test_the_data_cannot_end_its_script_element() -> None:
    text = to_script_json({"name": "</script><!-- & \x7f \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\x7f" not in text
    assert json.loads(text) == {"name": "</script><!-- & \x7f \u2028"}
