"""Class ancestry in time linear in the model (issue 19, item 11): each class is walked
once per question, and the answers are those of a breadth-first walk up from each class
on its own (the walks below, kept as the specification), on any hierarchy: re-exports,
aliases, builtin and external bases, a class hidden by another of the same name,
cycles (which Python refuses, but a static model must expect). One change: a class
hidden by a later class of the same name is walked up through that one as through any
other (the walk from each class stopped there, taking it for the class itself)."""

from __future__ import annotations

import collections
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness import RuleViolated, classes
from fitness.domain.code import ClassInfo, CodeModel, builtin_bases, module_code
from fitness.domain.rules.code.conditions import MAX_WAY_UP
from fitness.domain.rules.code.items import (
    ancestry,
    ancestry_end,
    base_near_misses,
    missing_methods,
    name_matches,
)
from tests.helpers import fake_graph

# The specification: a walk up from each class on its own ---------------------------


def walked_ancestry(
    model: CodeModel, cls: ClassInfo, patterns: Sequence[str]
) -> list[tuple[ClassInfo, str]]:
    """The shortest way up to a matching base, breadth first, bases in order."""
    wanted = list(patterns)
    for pattern in patterns:
        if "*" not in pattern:
            found = model.class_named(pattern)
            if found is not None and found.qualified_name != pattern:
                wanted.append(found.qualified_name)

    def matches(name: str) -> bool:
        return any(name_matches(name, p) for p in wanted)

    # (A class hidden by a later one of the same name is walked up through that one as
    # through any class: the walk before issue 19 stopped there.)
    seen = {cls.qualified_name} if model.class_named(cls.qualified_name) is cls else set()
    frontier: list[list[tuple[ClassInfo, str]]] = [[]]
    current = [cls]
    while current:
        following: list[ClassInfo] = []
        paths: list[list[tuple[ClassInfo, str]]] = []
        for klass, path in zip(current, frontier, strict=True):
            for base in klass.bases:
                found = model.class_named(base)
                canonical = found.qualified_name if found is not None else base
                step = [*path, (klass, canonical)]
                if matches(canonical) or matches(base):
                    return step
                if found is None and any(matches(b) for b in builtin_bases(base)):
                    return step
                if found is not None and canonical not in seen:
                    seen.add(canonical)
                    following.append(found)
                    paths.append(step)
        current, frontier = following, paths
    return []


def walked_methods(model: CodeModel, cls: ClassInfo, leaving_out: frozenset[str]) -> set[str]:
    """The concrete methods of a class and of its project ancestors (but those left out)."""
    names = {m.name.rpartition(".")[2] for m in cls.methods if not m.abstract}
    seen = {cls.qualified_name} if model.class_named(cls.qualified_name) is cls else set()
    pending = collections.deque(cls.bases)
    while pending:
        base = model.class_named(pending.popleft())
        if base is None or base.qualified_name in seen:
            continue
        seen.add(base.qualified_name)
        if base.qualified_name in leaving_out:
            continue
        names |= {m.name.rpartition(".")[2] for m in base.methods if not m.abstract}
        pending.extend(base.bases)
    return names


def walked_missing(model: CodeModel, cls: ClassInfo, protocol: ClassInfo) -> list[str]:
    if cls.qualified_name == protocol.qualified_name:
        return []
    required: set[str] = set()
    protocols: set[str] = set()
    done: set[str] = set()
    pending = collections.deque([protocol.qualified_name])
    while pending:
        found = model.class_named(pending.popleft())
        if found is None or found.qualified_name in done:
            continue
        done.add(found.qualified_name)
        if found.protocol:
            protocols.add(found.qualified_name)
        required |= {
            m.name.rpartition(".")[2]
            for m in found.methods
            if m.public and m.name.rpartition(".")[2] not in ("__init__", "__init_subclass__")
        }
        pending.extend(found.bases)
    return sorted(required - walked_methods(model, cls, frozenset(protocols)))


# Hierarchies of any shape ----------------------------------------------------------

MODULES = ("pkg.a", "pkg.b")
NAMES = ("A", "B", "C", "D", "E", "F")
OUTSIDE = ("ValueError", "Exception", "KeyError", "ext.Base", "ext.orm.Model", "typing.Protocol")
METHODS = ("run", "stop", "_hidden")


@st.composite
def hierarchies(draw: st.DrawFn) -> dict[str, str]:
    """Two modules of a package, each importing (some under another name) classes of
    the other, their classes deriving from any of them (a name may be defined twice)."""
    sources = {}
    for index, module in enumerate(MODULES):
        other = MODULES[1 - index]
        imported = draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True))
        lines = [f"from {other} import {name} as X{name}\n" for name in imported]
        lines += ["import ext\nimport ext.orm\nimport typing\n"]
        bases_available = [*NAMES, *(f"X{name}" for name in imported), *OUTSIDE]
        for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=8)):
            bases = draw(st.lists(st.sampled_from(bases_available), max_size=3))
            lines.append(f"class {name}({', '.join(bases)}):\n")
            methods = draw(st.lists(st.sampled_from(METHODS), max_size=2, unique=True))
            for method in methods:
                abstract = draw(st.booleans())
                body = "raise NotImplementedError" if abstract else "return 1"
                lines.append(f"    def {method}(self):\n        {body}\n")
            lines.append("    pass\n")
        sources[module] = "".join(lines)
    sources["pkg"] = "from pkg.a import *\n"
    return sources


def model_of(sources: dict[str, str]) -> CodeModel:
    return CodeModel(
        {
            module: module_code(module, source, is_package=module == "pkg")
            for module, source in sources.items()
        }
    )


PATTERNS = st.lists(
    st.sampled_from(
        [
            *OUTSIDE,
            "ext",
            "ext.*",
            "pkg.a.A",
            "pkg.b.C",
            "pkg.A",
            "pkg.*.D",
            "BaseException",
            "LookupError",
        ]
    ),
    min_size=1,
    max_size=2,
)


@settings(max_examples=60, deadline=None, database=None)
@given(hierarchies(), PATTERNS)
def test_the_way_up_is_that_of_a_walk_from_each_class(
    sources: dict[str, str], patterns: list[str]
) -> None:
    model = model_of(sources)
    for cls in model.classes():
        expected = walked_ancestry(model, cls, patterns)
        assert ancestry(model, cls, patterns) == expected
        assert ancestry(model, cls, patterns, limit=1) == expected[:1]
        end = (expected[-1][1], len(expected)) if expected else ("", 0)
        assert ancestry_end(model, cls, patterns) == end


@settings(max_examples=60, deadline=None, database=None)
@given(hierarchies())
def test_the_inherited_methods_are_those_of_a_walk_from_each_class(
    sources: dict[str, str],
) -> None:
    model = model_of(sources)
    every = list(model.classes())
    for protocol in every:
        for cls in every:
            assert missing_methods(model, cls, protocol) == walked_missing(model, cls, protocol)


@settings(max_examples=60, deadline=None, database=None)
@given(hierarchies())
def test_the_ancestors_of_many_classes_are_those_of_each(sources: dict[str, str]) -> None:
    model = model_of(sources)
    every = list(model.classes())
    union = {name for cls in every for name in model.ancestors(cls)}
    # A class reached only through a cycle back to itself may be named too (its own
    # name, once more: Python refuses such a hierarchy).
    assert union <= model.ancestors_of_all(every) <= union | {c.qualified_name for c in every}
    for pattern in ("Base", "Model", "KeyError", "A"):
        near = base_near_misses(model, every, [pattern])
        assert all(full.endswith("." + pattern) for _, full in near)


# A deep hierarchy ------------------------------------------------------------------


def chain(length: int) -> CodeModel:
    """``C0(ValueError)``, then ``C1(C0)``... ``C<length-1>``: one module, a chain."""
    lines = ["class C0(ValueError):\n    def run(self):\n        return 1\n"]
    lines += [f"class C{i}(C{i - 1}):\n    pass\n" for i in range(1, length)]
    return CodeModel({"pkg.chain": module_code("pkg.chain", "".join(lines))})


@pytest.mark.slow
def test_a_chain_of_10_000_classes_is_followed_to_its_top() -> None:
    model = chain(10_000)
    last = model.class_named("pkg.chain.C9999")
    assert last is not None
    way = ancestry(model, last, ["Exception"])
    assert len(way) == 10_000
    assert [(cls.name, base) for cls, base in way[:2]] == [
        ("C9999", "pkg.chain.C9998"),
        ("C9998", "pkg.chain.C9997"),
    ]
    assert [(cls.name, base) for cls, base in way[-2:]] == [
        ("C1", "pkg.chain.C0"),
        ("C0", "ValueError"),
    ]
    assert ancestry_end(model, last, ["Exception"]) == ("ValueError", 10_000)
    assert all(ancestry_end(model, c, ["LookupError"]) == ("", 0) for c in model.classes())
    ancestors = model.ancestors(last)
    assert ancestors[:2] == ("pkg.chain.C9998", "pkg.chain.C9997")
    assert ancestors[-4:] == ("pkg.chain.C0", "ValueError", "Exception", "BaseException")
    assert len(ancestors) == 9_999 + 3
    protocol = model.class_named("pkg.chain.C0")
    assert protocol is not None
    assert all(missing_methods(model, c, protocol) == [] for c in model.classes())


@pytest.mark.slow
def test_every_class_of_a_deep_chain_breaks_a_rule_with_a_chain_of_bounded_length() -> None:
    """A chain of thousands of classes deriving from a forbidden base: one violation a
    class, each chain cut after its first steps, its summary saying how far it goes."""
    model = chain(10_000)
    graph = fake_graph("pkg.chain -> os")
    graph.attach_code_model(lambda: model)
    try:
        classes("pkg.chain").should_not_subclass("ValueError").check(graph)
    except RuleViolated as violated:
        violations = violated.result.violations
    else:  # pragma: no cover - the rule is broken
        raise AssertionError("the rule passed")
    assert len(violations) == 10_000
    assert max(len(v.chains[0].links) for v in violations) == MAX_WAY_UP
    by_class = {v.importer: v for v in violations}
    assert by_class["pkg.chain.C0"].summary == "pkg.chain.C0 (pkg.chain:1) subclasses ValueError"
    assert by_class["pkg.chain.C24"].summary.endswith("subclasses ValueError")
    assert len(by_class["pkg.chain.C24"].chains[0].links) == 25
    assert by_class["pkg.chain.C9999"].summary.endswith(
        "subclasses ValueError through 9,999 classes (the chain shows the first 25)"
    )
    assert str(by_class["pkg.chain.C9999"].chains[0]).startswith(
        "pkg.chain.C9999 subclasses pkg.chain.C9998, which subclasses pkg.chain.C9997"
    )
