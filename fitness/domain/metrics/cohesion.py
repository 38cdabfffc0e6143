"""Cohesion: LCOM4 for classes, relational cohesion H for packages.

**LCOM4** (Hitz and Montazeri, 1995) is the number of connected components of
the graph whose nodes are a class's methods and whose edges join two methods
that use a common attribute (``self.x``) or of which one calls the other
(``self.m()``, or reads a property ``self.p``). 1 is a cohesive class; 2 or
more means it holds independent parts that could be separate classes.
Constructors (``__init__``, ``__new__``, ``__post_init__``) are left out by
default, as most tools do, since they touch every attribute and would join
every component. A class without methods has no LCOM4 (``None``).

**Relational cohesion** H = (R + 1) / N of a package, where N is the number of
its classes and R the number of relationships between them (class A refers to
class B, both in the package; counted once per ordered pair). ``None`` for a
package without classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from fitness.domain.code.classfacts import ClassFacts, ModuleFacts

CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__"})


def method_graph(cls: ClassFacts, *, include_constructors: bool = False) -> nx.Graph:
    """The undirected graph of a class's methods that LCOM4 counts the components of."""
    methods = [m for m in cls.methods if include_constructors or m.name not in CONSTRUCTORS]
    graph = nx.Graph()
    names = {m.name for m in methods}
    graph.add_nodes_from(sorted(names))
    by_attribute: dict[str, list[str]] = {}
    for method in methods:
        for attribute in method.attributes:
            by_attribute.setdefault(attribute, []).append(method.name)
        for called in method.calls:
            if called in names:
                graph.add_edge(method.name, called)
    for users in by_attribute.values():
        first = users[0]
        for other in users[1:]:
            graph.add_edge(first, other)
    return graph


def lcom4(cls: ClassFacts, *, include_constructors: bool = False) -> int | None:
    """LCOM4 of a class: the number of connected components of its methods;
    ``None`` for a class without (non-constructor) methods."""
    methods = [m for m in cls.methods if include_constructors or m.name not in CONSTRUCTORS]
    if not methods:
        return None
    # Union-find: what method_graph() would say, without building a graph per class.
    parent = {m.name: m.name for m in methods}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    first_user: dict[str, str] = {}
    for method in methods:
        for attribute in method.attributes:
            if attribute in first_user:
                parent[root(method.name)] = root(first_user[attribute])
            else:
                first_user[attribute] = method.name
        for called in method.calls:
            if called in parent:
                parent[root(method.name)] = root(called)
    return len({root(name) for name in parent})


def lcom4_components(cls: ClassFacts, *, include_constructors: bool = False) -> list[list[str]]:
    """The groups of methods LCOM4 counts, each sorted, largest first."""
    graph = method_graph(cls, include_constructors=include_constructors)
    groups = [sorted(c) for c in nx.connected_components(graph)]
    return sorted(groups, key=lambda g: (-len(g), g))


def class_graph(facts: Iterable[ModuleFacts]) -> nx.DiGraph:
    """The classes (nodes, by qualified name, with ``module`` and ``abstract``
    attributes) and which refers to which (edges), across the given modules."""
    classes = {c.qualified_name: c for module in facts for c in module.classes}
    graph = nx.DiGraph()
    for name, cls in classes.items():
        graph.add_node(name, module=cls.module, abstract=cls.abstract)
    for name, cls in classes.items():
        for reference in cls.references:
            target = _class_named(reference, classes)
            if target is not None and target != name:
                graph.add_edge(name, target)
    return graph


def _class_named(reference: str, classes: Mapping[str, ClassFacts]) -> str | None:
    """The class a dotted reference names (``pkg.mod.C`` or ``pkg.mod.C.attr``)."""
    candidate = reference
    while candidate:
        if candidate in classes:
            return candidate
        candidate = candidate.rpartition(".")[0]
    return None


def relational_cohesion(graph: nx.DiGraph) -> float | None:
    """H = (R + 1) / N for the classes of one package: N nodes, R edges between
    distinct nodes. ``None`` for an empty graph."""
    nodes: int = graph.number_of_nodes()
    if nodes == 0:
        return None
    relations: int = sum(1 for a, b in graph.edges if a != b)
    return (relations + 1) / nodes
