"""Martin's package metrics (Ca, Ce, I, A, D), pinned against JDepend and ArchUnit."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from fitness.adapters.codemodel import attach_code_model
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.domain.config import GraphSettings
from fitness.domain.graph import ProjectGraph
from fitness.metrics import (
    abstractness,
    abstractness_of,
    afferent_coupling,
    distance,
    efferent_coupling,
    instability,
    instability_of,
    measure,
    module_facts,
)
from tests.helpers import write_files


def build(root: Path, *packages: str, external: bool = False) -> ProjectGraph:
    graph = GrimpGraphBuilder(root).build(
        GraphSettings(root_packages=packages, include_external_packages=external)
    )
    attach_code_model(graph, root)
    return graph


def jdepend_rounding(value: float | None) -> str:
    """JDepend's MetricTest compares values formatted with at most two decimals."""
    assert value is not None
    return f"{value:.2f}".rstrip("0").rstrip(".")


# JDepend -----------------------------------------------------------------------


def test_jdepend_metric_test_case() -> None:
    """JDepend's own MetricTest (test/jdepend/framework/MetricTest.java) analyses
    JDepend's packages with java.*, javax.* and junit.* filtered out and expects:

    =================  ========  ========  ==  ==  ====  ====  ====
    package            concrete  abstract  Ca  Ce  A     I     D
    =================  ========  ========  ==  ==  ====  ====  ====
    jdepend.framework  29        6         3   5   0.17  0.62  0.2
    jdepend.textui     1         0         1   1   0     0.5   0.5
    jdepend.swingui    7         1         0   1   0.12  1     0.12
    jdepend.xmlui      1         0         0   2   0     1     0
    =================  ========  ========  ==  ==  ====  ====  ====

    The package graph that gives those couplings: the three UIs use the
    framework, the XML UI extends the text UI, and the framework uses five
    other (unfiltered) packages.
    """
    graph = nx.DiGraph()
    for ui in ("jdepend.textui", "jdepend.swingui", "jdepend.xmlui"):
        graph.add_edge(ui, "jdepend.framework")
    graph.add_edge("jdepend.xmlui", "jdepend.textui")
    for other in ("p1", "p2", "p3", "p4", "p5"):
        graph.add_edge("jdepend.framework", f"jdepend.framework.{other}")
    classes = {
        "jdepend.framework": (29, 6),
        "jdepend.textui": (1, 0),
        "jdepend.swingui": (7, 1),
        "jdepend.xmlui": (1, 0),
    }
    expected = {  # Ca, Ce, A, I, D as JDepend formats them
        "jdepend.framework": (3, 5, "0.17", "0.62", "0.2"),
        "jdepend.textui": (1, 1, "0", "0.5", "0.5"),
        "jdepend.swingui": (0, 1, "0.12", "1", "0.12"),
        "jdepend.xmlui": (0, 2, "0", "1", "0"),
    }
    for package, (ca, ce, a, i, d) in expected.items():
        concrete, abstract = classes[package]
        measured_a = abstractness_of(abstract, concrete + abstract)
        measured_i = instability(graph, package)
        assert afferent_coupling(graph, package) == ca, package
        assert efferent_coupling(graph, package) == ce, package
        assert jdepend_rounding(measured_a) == a, package
        assert jdepend_rounding(measured_i) == i, package
        assert jdepend_rounding(distance(measured_a, measured_i)) == d, package


def test_coupling_counts_distinct_packages_not_imports() -> None:
    graph = nx.DiGraph()
    graph.add_edge("a", "b", count=12)  # twelve imports, one package
    graph.add_edge("a", "c", count=1)
    assert efferent_coupling(graph, "a") == 2
    assert afferent_coupling(graph, "b") == 1


def test_external_packages_are_counted_only_when_asked() -> None:
    graph = nx.DiGraph()
    graph.add_node("app", external=False)
    graph.add_node("lib", external=False)
    graph.add_node("requests", external=True)
    graph.add_edge("app", "lib")
    graph.add_edge("app", "requests")
    assert efferent_coupling(graph, "app") == 1
    assert efferent_coupling(graph, "app", include_external=True) == 2
    assert instability(graph, "lib") == 0.0
    assert instability(graph, "app", include_external=True) == 1.0


# Undefined values ------------------------------------------------------------------


def test_undefined_values_are_none_never_zero() -> None:
    graph = nx.DiGraph()
    graph.add_node("alone")
    assert instability(graph, "alone") is None  # JDepend says 0, ArchUnit says 1
    assert instability_of(0, 0) is None
    assert abstractness([]) is None
    assert abstractness_of(0, 0) is None
    assert distance(None, 0.5) is None
    assert distance(0.5, None) is None
    # ... while a defined zero stays zero.
    assert instability_of(3, 0) == 0.0
    assert abstractness_of(0, 4) == 0.0


def test_abstractness_counts_protocols_abcs_and_abstract_methods() -> None:
    facts = module_facts(
        "pkg.mod",
        """
import abc
from typing import Protocol


class Port(Protocol):
    def get(self) -> int: ...


class Base(abc.ABC):
    @abc.abstractmethod
    def run(self) -> None: ...


class NoAbstractMethods(abc.ABC):  # an ABC is abstract (issue 15): meant to be derived
    def run(self) -> None: ...


class Concrete:
    pass
""",
    )
    assert [c.abstract for c in facts.classes] == [True, True, True, False]
    assert abstractness(facts.classes) == 0.75


def test_abstractness_out_of_range_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        abstractness_of(3, 2)


# ArchUnit ----------------------------------------------------------------------------

ARCHUNIT_GRAPH = {
    # ArchUnit's ComponentDependencyMetricsTest test objects, as Python packages.
    "graph/__init__.py": "",
    "graph/fullyconcrete/__init__.py": "",
    "graph/fullyconcrete/classes.py": """
        class SomeConcreteClass:
            pass


        class SomeOtherConcreteClass:
            pass
        """,
    "graph/fullyabstract/__init__.py": "",
    "graph/fullyabstract/classes.py": """
        import abc

        from graph.fullyconcrete.classes import SomeConcreteClass


        class SomeAbstractClass(abc.ABC):
            @abc.abstractmethod
            def run(self) -> None: ...


        class SomeOtherAbstractClass(abc.ABC):
            dependency: SomeConcreteClass

            @abc.abstractmethod
            def run(self) -> None: ...
        """,
    "graph/halfabstract/__init__.py": "",
    "graph/halfabstract/classes.py": """
        from typing import Protocol

        from graph.fullyconcrete.classes import SomeConcreteClass


        class SomeAbstractClass1(Protocol):
            def run(self) -> None: ...


        class SomeAbstractClass2(Protocol):
            def run(self) -> None: ...


        class SomeConcreteClass1:
            dependency: SomeConcreteClass


        class SomeConcreteClass2:
            pass
        """,
    "graph/otherconcrete1/__init__.py": "",
    "graph/otherconcrete1/classes.py": """
        from graph.fullyabstract.classes import SomeAbstractClass
        from graph.otherconcrete2.classes import ConcreteClass as Other


        class ConcreteClass:
            dependency1: Other
            redundant_dependency1: Other
            dependency2: SomeAbstractClass
        """,
    "graph/otherconcrete2/__init__.py": "",
    "graph/otherconcrete2/classes.py": """
        from graph.fullyabstract.classes import SomeAbstractClass
        from graph.fullyconcrete.classes import SomeConcreteClass


        class ConcreteClass:
            dependency2: SomeAbstractClass
            dependency: SomeConcreteClass
        """,
}


def test_archunit_component_dependency_metrics(tmp_path: Path) -> None:
    """ArchUnit's ComponentDependencyMetricsTest: Ce, Ca, A and D of five packages,
    here as a real Python tree built with grimp and parsed with ast."""
    write_files(tmp_path, ARCHUNIT_GRAPH)
    report = measure(build(tmp_path, "graph"), depth=2)
    expected = {  # Ce, Ca, I, A, D
        "graph.fullyconcrete": (0, 3, 0.0, 0.0, 1.0),
        "graph.fullyabstract": (1, 2, 1 / 3, 1.0, 1 / 3),
        "graph.halfabstract": (1, 0, 1.0, 0.5, 0.5),
        "graph.otherconcrete1": (2, 0, 1.0, 0.0, 0.0),
        "graph.otherconcrete2": (2, 1, 2 / 3, 0.0, 1 / 3),
    }
    for package, (ce, ca, i, a, d) in expected.items():
        row = report.package(package)
        assert (row.efferent, row.afferent) == (ce, ca), package
        assert row.instability == pytest.approx(i), package
        assert row.abstractness == pytest.approx(a), package
        assert row.distance == pytest.approx(d), package


def test_an_isolated_package_has_undefined_instability(tmp_path: Path) -> None:
    """ArchUnit's isolated component gets I = 1 and D = 0; we report undefined."""
    write_files(
        tmp_path,
        {"solo/__init__.py": "", "solo/simple/__init__.py": "class SimpleWithoutDependencies: ..."},
    )
    row = measure(build(tmp_path, "solo"), depth=2).package("solo.simple")
    assert (row.afferent, row.efferent) == (0, 0)
    assert row.instability is None
    assert row.abstractness == 0.0
    assert row.distance is None
