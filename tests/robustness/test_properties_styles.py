"""Properties of the architecture styles bounded_contexts and cqrs, on random graphs: their
verdicts agree with a plain reference written from the principles, and any options give a
result or a clear error, never a traceback."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import in_package
from fitness.domain.options import build_rule
from fitness.domain.rules import BoundedContextsRule, CqrsRule
from fitness.domain.rules.base import Rule
from tests.helpers import fake_graph

PROFILE = settings.get_profile("fitness-robustness")

CONTEXTS = ["pkg.a", "pkg.b", "pkg.c"]
KERNEL = "pkg.k"
LEAVES = ["api", "events", "m0", "m1"]
MODULES = [f"{p}.{leaf}" for p in [*CONTEXTS, KERNEL] for leaf in LEAVES] + ["pkg.out"]
PUBLISHED = ("api", "events")

EDGES = st.sets(
    st.tuples(st.sampled_from(MODULES), st.sampled_from(MODULES)).filter(lambda e: e[0] != e[1]),
    max_size=14,
)


def context_of(module: str) -> str | None:
    return next((c for c in CONTEXTS if in_package(module, c)), None)


def graph_of(edges: Iterable[tuple[str, str]]) -> Any:
    text = "\n".join([*MODULES, *(f"{a} -> {b}" for a, b in sorted(edges))])
    return fake_graph(text, roots=("pkg",))


def reaches(edges: set[tuple[str, str]], sources: set[str], targets: set[str]) -> bool:
    following: dict[str, set[str]] = {}
    for a, b in edges:
        following.setdefault(a, set()).add(b)
    queue, seen = deque(sources), set(sources)
    while queue:
        for nxt in following.get(queue.popleft(), ()):
            if nxt in targets:
                return True
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def expected_contexts(
    edges: set[tuple[str, str]], relations: dict[tuple[str, str], str] | None
) -> set[tuple[str, str]]:
    """A context breaks the rule towards another when one of its modules imports a module of
    the other that it may not: not published, or (with a map) not from an upstream, or not
    from the relation's anticorruption layer. Chains through other contexts, the kernel or
    outside code are those modules' business."""
    found = set()
    for importer, imported in edges:
        downstream, upstream = context_of(importer), context_of(imported)
        if downstream is None or upstream is None or downstream == upstream:
            continue
        published = imported.rpartition(".")[2] in PUBLISHED
        if relations is None:
            allowed = published
        else:
            acl = relations.get((upstream, downstream))
            allowed = published and acl is not None and (not acl or in_package(importer, acl))
        if not allowed:
            found.add((downstream, upstream))
    return found


def expected_kernel(edges: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The kernel reaches a context through any chain that stops where it enters one."""
    inside = {(a, b) for a, b in edges if context_of(a) is None or context_of(a) == context_of(b)}
    kernel = {m for m in MODULES if in_package(m, KERNEL)}
    return {
        (KERNEL, c)
        for c in CONTEXTS
        if reaches(inside, kernel, {m for m in MODULES if in_package(m, c)})
    }


RELATIONS = st.dictionaries(
    st.tuples(st.sampled_from(CONTEXTS), st.sampled_from(CONTEXTS)).filter(lambda p: p[0] != p[1]),
    st.sampled_from(["", "m1"]),  # no anticorruption layer, or the downstream's m1
    min_size=1,
    max_size=4,
)


@settings(parent=PROFILE)
@given(edges=EDGES, relations=st.none() | RELATIONS)
def test_bounded_contexts_agree_with_the_reference(
    edges: set[tuple[str, str]], relations: dict[tuple[str, str], str] | None
) -> None:
    acls = {pair: (f"{pair[1]}.{acl}" if acl else "") for pair, acl in (relations or {}).items()}
    context_map = [
        {"upstream": up, "downstream": down, **({"acl": acl} if acl else {})}
        for (up, down), acl in sorted(acls.items())
    ]
    rule = build_rule(
        BoundedContextsRule,
        {
            "name": "contexts",
            "contexts": CONTEXTS,
            "shared_kernel": [KERNEL],
            "context_map": context_map,
        },
    )
    result = rule.result(graph_of(edges))
    found = {(v.importer, v.imported) for v in result.violations}
    expected = expected_contexts(edges, acls if relations is not None else None)
    assert found == expected | expected_kernel(edges)
    for violation in result.violations:  # every violation shows how it is made
        assert violation.chains
        assert all(str(chain).startswith(violation.importer) for chain in violation.chains)


SIDES = ["pkg.a", "pkg.b", "pkg.c", "pkg.k", "pkg.out"]


@settings(parent=PROFILE)
@given(edges=EDGES, roles=st.permutations(SIDES))
def test_cqrs_agrees_with_the_reference(edges: set[tuple[str, str]], roles: list[str]) -> None:
    commands, queries, writes, reads, domain = roles
    sides = (commands, queries, reads, writes)
    rule = build_rule(
        CqrsRule,
        {
            "name": "cqrs",
            "commands": [commands],
            "queries": [queries],
            "write_model": [writes],
            "read_model": [reads],
            "domain": [domain],
        },
    )
    graph = graph_of(edges)
    found = {(v.importer, v.imported) for v in rule.result(graph).violations}

    def members(package: str) -> set[str]:
        return {m for m in MODULES if in_package(m, package)}

    def forbidden(source: str, target: str, through: Iterable[str]) -> bool:
        avoided = set().union(*(members(t) for t in through))
        kept = {(a, b) for a, b in edges if b not in avoided or a in avoided}
        return reaches(kept, members(source), members(target))

    expected = {
        (source, target)
        for source, target, through in [
            # (through the other side, or its model, it is that one's breach: issue 21)
            (queries, commands, [writes, domain]),
            (queries, writes, [commands, domain]),
            (commands, queries, [reads, domain]),
            (commands, reads, [queries, domain]),
            # (the domain's chain through one side to another is that side's breach)
            *((domain, side, [other for other in sides if other != side]) for side in sides),
        ]
        if forbidden(source, target, through)
    }
    assert found == expected


NAMES = st.sampled_from(
    [*CONTEXTS, KERNEL, "pkg.*", "pkg.a.api", "pkg.zz", "", "pkg..a", "os", "pkg.a.m1", "api"]
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | NAMES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=2),
    max_leaves=5,
)
RELATION = st.dictionaries(
    st.sampled_from(["upstream", "downstream", "acl", "acls"]), NAMES | VALUES, max_size=3
)
OPTIONS: dict[type[Rule], dict[str, Any]] = {
    BoundedContextsRule: {
        "contexts": st.lists(NAMES, max_size=3) | VALUES,
        "published": st.lists(NAMES, max_size=2) | VALUES,
        "shared_kernel": st.lists(NAMES, max_size=2),
        "exclude": st.lists(NAMES, max_size=1),
        "context_map": st.lists(RELATION, max_size=2) | VALUES,
    },
    CqrsRule: {
        key: st.lists(NAMES, max_size=2) | VALUES
        for key in ("commands", "queries", "read_model", "write_model", "domain")
    },
}


@settings(parent=PROFILE)
@given(data=st.data(), edges=EDGES)
def test_any_options_give_a_result_or_a_clear_error(
    data: st.DataObject, edges: set[tuple[str, str]]
) -> None:
    cls = data.draw(st.sampled_from(sorted(OPTIONS, key=lambda c: c.type_name)))
    keys = data.draw(st.lists(st.sampled_from(sorted(OPTIONS[cls])), unique=True))
    options = {key: data.draw(OPTIONS[cls][key]) for key in keys}
    try:
        rule = build_rule(cls, {"name": "r", **options})
        rule.result(graph_of(edges))
    except (ConfigError, RuleError) as error:
        assert str(error)
        assert "Traceback" not in str(error)


def test_the_reference_sees_every_kind_of_breach() -> None:
    """The references are not vacuous: each principle can be broken."""
    edges = set(itertools.pairwise(["pkg.a.m0", "pkg.b.m0", "pkg.k.m0", "pkg.c.api"]))
    assert expected_contexts(edges, None) == {("pkg.a", "pkg.b")}
    assert expected_kernel(edges) == {("pkg.k", "pkg.c")}
