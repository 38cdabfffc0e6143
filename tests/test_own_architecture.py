"""fitness's own modules import each other in no cycle, at any level.

The ``acyclic_siblings`` rule in our pyproject.toml checks the children of each
package; a package importing one of its own modules that imports it back
(``reporters/__init__`` and a format module) is no sibling cycle, so this test
looks at the whole module graph.
"""

from __future__ import annotations

import networkx as nx

from fitness import ProjectGraph


def module_cycles(graph: nx.DiGraph) -> set[frozenset[str]]:
    """The groups of modules that import each other (strongly connected, more than one)."""
    return {frozenset(group) for group in nx.strongly_connected_components(graph) if len(group) > 1}


def test_module_cycles_finds_a_package_importing_its_module_back() -> None:
    graph = nx.DiGraph([("p", "p.a"), ("p.a", "p"), ("p.a", "p.b")])
    assert module_cycles(graph) == {frozenset({"p", "p.a"})}


def test_fitness_modules_import_each_other_in_no_cycle(fitness_graph: ProjectGraph) -> None:
    internal = fitness_graph.to_networkx(external=False)
    assert "fitness.adapters.reporters.text" in internal  # the graph is fitness's own
    assert module_cycles(internal) == set()
