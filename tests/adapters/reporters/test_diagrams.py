"""`fitness graph`: DOT and Mermaid at a depth, layers as clusters, violating imports in red."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fitness.adapters.reporters.diagram import Diagram, build_diagram, layered_rows
from fitness.adapters.reporters.dot import render_dot
from fitness.adapters.reporters.mermaid import render_mermaid
from fitness.cli import main
from fitness.domain.rules.imports.layers import LayersRule
from tests.helpers import append, fake_graph

UP = "from shop.application.place_order import PlaceOrder  # reaching up\n"

GRAPH = """
    app.web.views -> app.core.model
    app.web.views -> app.db.repo
    app.db.repo -> app.core.model
    app.core.model -> app.web.views
"""


def diagram() -> Diagram:
    graph = fake_graph(GRAPH)
    rule = LayersRule(name="Layers", layers=("app.web", "app.db", "app.core"))
    return build_diagram(graph, [rule], [rule.result(graph)], depth=2)


def test_nodes_edges_and_clusters_at_a_depth() -> None:
    d = diagram()
    assert d.nodes == ("app.core", "app.db", "app.web")
    assert [(c.label, c.nodes) for c in d.clusters] == [
        ("app.web", ("app.web",)),
        ("app.db", ("app.db",)),
        ("app.core", ("app.core",)),
    ]
    assert [(e.source, e.target) for e in d.violating_edges] == [("app.core", "app.web")]
    assert layered_rows(d) == [["app.web"], ["app.db"], ["app.core"]]


def test_dot_has_clusters_and_red_violations() -> None:
    text = render_dot(diagram())
    assert text.startswith("digraph fitness {") and text.endswith("}\n")
    assert text.count("subgraph cluster_") == 3
    assert re.search(r'"app.core" -> "app.web" \[[^\]]*color="#d62728"', text)
    assert not re.search(r'"app.web" -> "app.db" \[[^\]]*color=', text)


def test_mermaid_has_subgraphs_and_a_red_link_style() -> None:
    text = render_mermaid(diagram())
    lines = text.splitlines()
    assert lines[0] == "flowchart TB"
    assert text.count("subgraph ") == 3 and text.count("\n  end") == 3
    links = [line.strip() for line in lines if "-->" in line]
    red = int(re.search(r"linkStyle (\d+) stroke:#d62728", text).group(1))  # type: ignore[union-attr]
    ids = {m.group(2): m.group(1) for m in re.finditer(r"(n\d+)\[\"([^\"]+)\"\]", text)}
    assert links[red] == f"{ids['app.core']} --> {ids['app.web']}"


def test_labels_are_escaped() -> None:
    graph = fake_graph("a.x -> a.y")
    d = build_diagram(graph, depth=None)
    assert '"a.x" -> "a.y"' in render_dot(d)


def test_cli_graph_on_the_shop(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append(shop / "shop/domain/pricing.py", UP)

    assert main(["graph", "--format", "dot", "--depth", "3"]) == 0
    dot = capsys.readouterr().out
    assert 'label="shop.adapters";' in dot
    assert re.search(
        r'"shop.domain.pricing" -> "shop.application.place_order" \[[^\]]*color="#d62728"', dot
    )

    assert main(["graph", "--format", "mermaid", "--output", "graph.mmd"]) == 0
    mermaid = (shop / "graph.mmd").read_text()
    assert mermaid.startswith("flowchart TB") and "linkStyle" in mermaid


def test_cli_graph_rejects_a_bad_depth(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["graph", "--depth", "0"])
    assert exit_info.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err
