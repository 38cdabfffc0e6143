"""System-level figures: Lakos's CCD/ACD/NCCD (pinned against ArchUnit's LakosMetricsTest),
propagation cost (MacCormack, Rusnak and Baldwin), cycle groups and modularity."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.metrics import (
    acd,
    average_component_dependency,
    balanced_binary_tree_ccd,
    ccd,
    cumulative_component_dependency,
    cycle_groups,
    dependency_figures,
    largest_cycle_group,
    modularity,
    nccd,
    normalized_cumulative_component_dependency,
    propagation_cost,
    visibility_counts,
)


def graph_of(edges: dict[str, str]) -> nx.DiGraph:
    """``{"A": "BC"}``: A depends on B and C (one-letter names) or on a space-separated list."""
    graph = nx.DiGraph()
    for source, targets in edges.items():
        graph.add_node(source)
        for target in targets.split() if " " in targets else list(targets):
            graph.add_edge(source, target)
    return graph


# Lakos: ArchUnit's LakosMetricsTest, dependency_graphs_with_expected_metrics ------------

LAKOS_CASES = [
    # (graph, CCD, NCCD as a fraction); ACD = CCD / n
    ({"A": "B"}, 3, 1.0),
    # binary trees, all NCCD = 1
    ({"A": "BC"}, 5, 1.0),
    ({"A": "BC", "B": "D"}, 8, 1.0),
    ({"A": "BC", "B": "DE"}, 11, 1.0),
    ({"A": "BC", "B": "DE", "C": "F"}, 14, 1.0),
    ({"A": "BC", "B": "DE", "C": "FG"}, 17, 1.0),
    (
        {
            "1": "21 22",
            "21": "311 312",
            "311": "4111 4112",
            "312": "4121 4122",
            "22": "321 322",
            "321": "4211 4212",
            "322": "4221 4222",
        },
        49,
        1.0,
    ),
    # linear graphs
    ({"A": "B", "B": "C"}, 6, 6 / 5),
    ({"A": "B", "B": "C", "C": "D", "D": "E", "E": "F"}, 21, 21 / 14),
    # cyclic graphs
    ({"A": "BZ", "B": "C", "C": "D", "D": "B", "Z": "W", "W": "Z"}, 19, 19 / 14),
    ({"A": "B", "B": "C", "C": "D", "D": "E", "E": "F", "F": "A"}, 36, 36 / 14),
    ({"A": "BD", "B": "C", "C": "A", "D": "E", "E": "F", "F": "D"}, 27, 27 / 14),
    ({"A": "BD", "B": "C", "C": "A", "D": "E", "E": "F", "F": "DB"}, 36, 36 / 14),
]


@pytest.mark.parametrize(("edges", "expected_ccd", "expected_nccd"), LAKOS_CASES)
def test_lakos_metrics_as_archunit_computes_them(
    edges: dict[str, str], expected_ccd: int, expected_nccd: float
) -> None:
    graph = graph_of(edges)
    n = graph.number_of_nodes()
    assert cumulative_component_dependency(graph) == expected_ccd
    assert average_component_dependency(graph) == pytest.approx(expected_ccd / n)
    assert normalized_cumulative_component_dependency(graph) == pytest.approx(expected_nccd)


def test_the_issue_example_a_b_c_plus_a_d() -> None:
    """A -> B -> C plus A -> D: CCD = 8, ACD = 2, NCCD = 1.0 (ArchUnit's user guide)."""
    graph = graph_of({"A": "BD", "B": "C"})
    assert (ccd(graph), acd(graph), nccd(graph)) == (8, 2.0, 1.0)


def test_a_single_component() -> None:
    """ArchUnit: a single component has CCD 1, ACD 1, NCCD 1."""
    graph = nx.DiGraph()
    graph.add_node("component")
    assert (ccd(graph), acd(graph), nccd(graph)) == (1, 1.0, 1.0)


def test_balanced_binary_tree_ccd() -> None:
    assert [balanced_binary_tree_ccd(n) for n in range(1, 8)] == [1, 3, 5, 8, 11, 14, 17]
    assert balanced_binary_tree_ccd(15) == 49


def test_empty_graph_has_undefined_averages() -> None:
    empty = nx.DiGraph()
    assert ccd(empty) == 0
    assert acd(empty) is None
    assert nccd(empty) is None
    assert propagation_cost(empty) is None
    assert modularity(empty, []) is None


# Propagation cost ---------------------------------------------------------------------


def visibility_by_matrix_powers(graph: nx.DiGraph, *, include_self: bool) -> list[list[int]]:
    """The paper's construction, literally: V = M^0 + M^1 + ... + M^(n-1), binarised
    (M^0, the identity, only in the variant that includes it)."""
    nodes = sorted(graph.nodes)
    n = len(nodes)
    m = [[1 if graph.has_edge(a, b) else 0 for b in nodes] for a in nodes]
    power = [[int(i == j) for j in range(n)] for i in range(n)]
    visibility = [row[:] for row in power] if include_self else [[0] * n for _ in range(n)]
    for _ in range(n):
        power = [
            [int(any(power[i][k] and m[k][j] for k in range(n))) for j in range(n)]
            for i in range(n)
        ]
        visibility = [[visibility[i][j] | power[i][j] for j in range(n)] for i in range(n)]
    return visibility


def density(matrix: list[list[int]]) -> float:
    return sum(map(sum, matrix)) / len(matrix) ** 2


def test_propagation_cost_on_a_worked_matrix() -> None:
    """A six-element system: A -> B, A -> C, B -> D, C -> E, E -> F.

    Visibility rows (who reaches whom through paths of length >= 1):
    A: B C D E F (5), B: D (1), C: E F (2), D: - , E: F (1), F: -
    so 9 of 36 cells: propagation cost 0.25. MacCormack et al. add the identity
    ("path length zero"): 9 + 6 = 15 of 36 = 0.4167.
    """
    graph = graph_of({"A": "BC", "B": "D", "C": "E", "E": "F", "D": "", "F": ""})
    assert visibility_counts(graph) == {"A": 5, "B": 1, "C": 2, "D": 0, "E": 1, "F": 0}
    assert propagation_cost(graph) == pytest.approx(9 / 36)
    assert propagation_cost(graph, include_self=True) == pytest.approx(15 / 36)
    assert propagation_cost(graph) == pytest.approx(
        density(visibility_by_matrix_powers(graph, include_self=False))
    )
    assert propagation_cost(graph, include_self=True) == pytest.approx(
        density(visibility_by_matrix_powers(graph, include_self=True))
    )


def test_a_node_reaches_itself_only_through_a_cycle_by_default() -> None:
    cycle = graph_of({"A": "B", "B": "A", "C": ""})
    # A and B reach each other and themselves; C reaches nothing.
    assert visibility_counts(cycle) == {"A": 2, "B": 2, "C": 0}
    assert propagation_cost(cycle) == pytest.approx(4 / 9)
    assert propagation_cost(cycle, include_self=True) == pytest.approx(5 / 9)
    loop = nx.DiGraph([("A", "A")])
    assert propagation_cost(loop) == 1.0


def test_no_dependencies_cost_nothing_or_the_identity() -> None:
    graph = nx.DiGraph()
    graph.add_nodes_from("ABCD")
    assert propagation_cost(graph) == 0.0
    assert propagation_cost(graph, include_self=True) == 0.25


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=30).map(
        lambda edges: nx.DiGraph(edges)
    )
)
def test_propagation_cost_matches_the_matrix_construction(graph: nx.DiGraph) -> None:
    if graph.number_of_nodes() == 0:
        return
    for include_self in (False, True):
        assert propagation_cost(graph, include_self=include_self) == pytest.approx(
            density(visibility_by_matrix_powers(graph, include_self=include_self))
        )
    # CCD is the visibility count including self, summed.
    assert ccd(graph) == sum(map(sum, visibility_by_matrix_powers(graph, include_self=True)))
    # The one-pass figures agree with the functions one by one.
    for include_self in (False, True):
        figures = dependency_figures(graph, include_self=include_self)
        assert figures.propagation_cost == pytest.approx(
            propagation_cost(graph, include_self=include_self)
        )
        assert figures.cumulative_component_dependency == ccd(graph)
        assert figures.average_component_dependency == pytest.approx(acd(graph))
        assert figures.normalized_cumulative_component_dependency == pytest.approx(nccd(graph))
        assert figures.largest_cycle_group == largest_cycle_group(graph)


# Cycle groups and modularity ---------------------------------------------------------------


def test_largest_cycle_group() -> None:
    graph = graph_of({"A": "BZ", "B": "C", "C": "D", "D": "B", "Z": "W", "W": "Z"})
    assert [sorted(map(str, g)) for g in cycle_groups(graph)] == [["B", "C", "D"], ["W", "Z"]]
    assert largest_cycle_group(graph) == 3
    assert largest_cycle_group(graph_of({"A": "B"})) == 0


def test_modularity_of_a_package_partition() -> None:
    """Two packages of two modules each, one edge inside each and one across.

    Directed modularity Q = sum over communities of e_in/m - (out_c * in_c)/m^2,
    m = 3 edges: {a1 -> a2} and {b1 -> b2} inside, a2 -> b1 across.
    Community a: 1/3 - (2 * 1)/9; community b: 1/3 - (1 * 2)/9; Q = 2/3 - 4/9 = 2/9.
    """
    graph = nx.DiGraph([("a1", "a2"), ("b1", "b2"), ("a2", "b1")])
    assert modularity(graph, [{"a1", "a2"}, {"b1", "b2"}]) == pytest.approx(2 / 9)
    # One community holding everything: Q = 0.
    assert modularity(graph, [set(graph.nodes)]) == pytest.approx(0.0)
