"""The cycle breakers: grimp's nomination, computed in linear time, must nominate what
grimp nominates (import-linter's acyclic siblings contract reports grimp's)."""

from __future__ import annotations

import importlib.util

import grimp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.domain.cycle_breakers import nominate_cycle_breakers, sibling_weights


def test_a_graph_without_cycles_needs_no_breaker() -> None:
    weights = {("a", "b"): 1, ("b", "c"): 3, ("a", "c"): 1}
    assert nominate_cycle_breakers(["a", "b", "c"], weights) == set()


def test_the_lighter_side_of_a_two_cycle_is_nominated() -> None:
    # a imports b three times, b imports a once: cutting b -> a is the least effort.
    assert nominate_cycle_breakers(["a", "b"], {("a", "b"): 3, ("b", "a"): 1}) == {("b", "a")}


def test_on_a_tie_the_first_node_by_name_goes_first() -> None:
    # Equal weights: a is placed first, so b -> a points backwards.
    assert nominate_cycle_breakers(["b", "a"], {("a", "b"): 1, ("b", "a"): 1}) == {("b", "a")}


def test_removing_the_nominated_dependencies_leaves_no_cycle() -> None:
    weights = {("a", "b"): 1, ("b", "c"): 1, ("c", "a"): 1, ("c", "d"): 2, ("d", "b"): 1}
    breakers = nominate_cycle_breakers("abcd", weights)
    assert breakers
    assert _acyclic(set(weights) - breakers)


def test_self_dependencies_and_zero_weights_are_no_dependency() -> None:
    assert (
        nominate_cycle_breakers(["a", "b"], {("a", "a"): 4, ("a", "b"): 0, ("b", "a"): 1}) == set()
    )


def test_imports_are_weighed_for_the_package_holding_both_ends() -> None:
    imports = [
        ("p.a.x", "p.b.y"),  # between p's children a and b
        ("p.a.x", "p.b"),
        ("p.b.y", "p.b.z"),  # between p.b's children y and z
        ("p.a", "p.a.x"),  # a package and its own module: no siblings
        ("p.a.x", "q.r"),  # two top-level packages
    ]
    assert sibling_weights(imports, ["p", "p.b"]) == {
        "p": {("p.a", "p.b"): [("p.a.x", "p.b.y"), ("p.a.x", "p.b")]},
        "p.b": {("p.b.y", "p.b.z"): [("p.b.y", "p.b.z")]},
    }
    assert sibling_weights(imports, ["p.b"]) == {"p.b": {("p.b.y", "p.b.z"): [("p.b.y", "p.b.z")]}}


# Against grimp ----------------------------------------------------------------------------

_CHILDREN = [f"pkg.m{i}" for i in range(7)]
_MODULES = [*_CHILDREN, *(f"{child}.sub{j}" for child in _CHILDREN[:4] for j in range(2))]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_MODULES), st.sampled_from(_MODULES)), max_size=40))
def test_the_same_breakers_as_grimp_for_a_package_s_children(
    imports: list[tuple[str, str]],
) -> None:
    graph = _grimp_graph(imports)
    between = sibling_weights(_direct_imports(graph), ["pkg"]).get("pkg", {})
    weights = {pair: len(found) for pair, found in between.items()}
    ours = {
        found for pair in nominate_cycle_breakers(_CHILDREN, weights) for found in between[pair]
    }
    assert ours == graph.nominate_cycle_breakers("pkg")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_MODULES), st.sampled_from(_MODULES)), max_size=40))
def test_the_same_breakers_as_grimp_for_several_packages(imports: list[tuple[str, str]]) -> None:
    graph = _grimp_graph(imports)
    slices = ["pkg.m0", "pkg.m1", "pkg.m2", "pkg.m5"]
    dependencies: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for importer, imported in sorted(_direct_imports(graph)):
        a = next((s for s in slices if importer == s or importer.startswith(f"{s}.")), None)
        b = next((s for s in slices if imported == s or imported.startswith(f"{s}.")), None)
        if a and b and a != b:
            dependencies.setdefault((a, b), []).append((importer, imported))
    weights = {edge: len(found) for edge, found in dependencies.items()}
    ours = {
        found for edge in nominate_cycle_breakers(slices, weights) for found in dependencies[edge]
    }
    assert ours == graph.nominate_cycle_breakers(*slices)


@pytest.mark.slow
def test_the_same_breakers_as_grimp_on_django() -> None:
    if importlib.util.find_spec("django") is None:  # (found, never imported)
        pytest.skip("Django is not installed")
    graph = grimp.build_graph("django", cache_dir=None)
    packages = sorted(m for m in graph.modules if len(graph.find_children(m)) >= 2)
    between = sibling_weights(_direct_imports(graph), packages)
    compared = 0
    for package in packages:
        pairs = between.get(package, {})
        weights = {pair: len(found) for pair, found in pairs.items()}
        ours = {
            found
            for pair in nominate_cycle_breakers(graph.find_children(package), weights)
            for found in pairs[pair]
        }
        assert ours == graph.nominate_cycle_breakers(package), package
        compared += bool(ours)
    assert compared >= 5  # Django has cycles among siblings in several packages


def _grimp_graph(imports: list[tuple[str, str]]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    graph.add_module("pkg")
    for module in _MODULES:
        graph.add_module(module)
    for importer, imported in imports:
        if importer != imported:
            graph.add_import(importer=importer, imported=imported)
    return graph


def _direct_imports(graph: grimp.ImportGraph) -> set[tuple[str, str]]:
    return {
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
    }


def _acyclic(edges: set[tuple[str, str]]) -> bool:
    import networkx as nx

    return bool(nx.is_directed_acyclic_graph(nx.DiGraph(sorted(edges))))
