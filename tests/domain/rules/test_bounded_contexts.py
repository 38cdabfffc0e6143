"""``bounded_contexts``: contexts that know each other only through their published language,
a shared kernel, and a context map with anticorruption layers."""

from __future__ import annotations

import pytest

from fitness.domain.baseline import Baseline, apply_baseline
from fitness.domain.config import parse_config
from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.options import build_rule
from fitness.domain.rules import BoundedContextsRule, builtin_rule_types
from tests.helpers import fake_graph

CLEAN = """
    ddd.catalog.api -> ddd.catalog.model
    ddd.catalog.events -> ddd.shared.money
    ddd.catalog.model -> ddd.shared.money
    ddd.ordering.acl -> ddd.catalog.api
    ddd.ordering.acl -> ddd.catalog.events
    ddd.ordering.checkout -> ddd.ordering.acl
    ddd.ordering.checkout -> ddd.shared.money
    ddd.ordering.events -> ddd.shared.money
    ddd.shipping.dispatch -> ddd.ordering.events
    ddd.main -> ddd.shipping.dispatch
    ddd.main -> ddd.catalog.model
"""

CONTEXTS = ["ddd.catalog", "ddd.ordering", "ddd.shipping"]
MAP = [
    {"upstream": "ddd.catalog", "downstream": "ddd.ordering", "acl": "ddd.ordering.acl"},
    {"upstream": "ddd.ordering", "downstream": "ddd.shipping"},
]


def rule(**options: object) -> BoundedContextsRule:
    base: dict[str, object] = {"contexts": CONTEXTS, "shared_kernel": ["ddd.shared"]}
    return build_rule(BoundedContextsRule, {"name": "contexts", **base, **options})


def summaries(extra: str = "", **options: object) -> list[str]:
    graph = fake_graph(CLEAN + extra, roots=("ddd",))
    return [v.summary for v in rule(**options).result(graph).violations]


def test_contexts_that_use_only_published_language_and_the_kernel_pass() -> None:
    assert summaries() == []
    assert summaries(context_map=MAP) == []


def test_a_context_may_not_reach_into_another_s_internals() -> None:
    assert summaries("ddd.shipping.dispatch -> ddd.ordering.checkout") == [
        "ddd.shipping reaches into the internals of ddd.ordering (ddd.ordering.checkout): "
        "go through the context's published language (ddd.ordering.events)"
    ]


def test_the_published_language_is_each_context_s_published_submodules() -> None:
    # Without the context map, any context may use any other's published language.
    assert summaries("ddd.catalog.model -> ddd.ordering.events") == []
    assert summaries("ddd.catalog.model -> ddd.ordering.events", published=["api"]) == [
        "ddd.catalog reaches into the internals of ddd.ordering (ddd.ordering.events): "
        "go through the context's published language, which ddd.ordering does not have "
        "yet (publish ddd.ordering.api)",
        "ddd.ordering reaches into the internals of ddd.catalog (ddd.catalog.events): "
        "go through the context's published language (ddd.catalog.api)",
        "ddd.shipping reaches into the internals of ddd.ordering (ddd.ordering.events): "
        "go through the context's published language, which ddd.ordering does not have "
        "yet (publish ddd.ordering.api)",
    ]


def test_without_a_published_language_contexts_are_independent() -> None:
    assert rule(published=[]).describe() == (
        "Bounded contexts ddd.catalog, ddd.ordering and ddd.shipping are independent, and all "
        "may use the shared kernel ddd.shared"
    )
    assert summaries(published=[])[0] == (
        "ddd.ordering reaches into the internals of ddd.catalog (ddd.catalog.api): go through "
        "a published language: name the submodules of ddd.catalog that other contexts may "
        "import in 'published' (such as 'api' and 'events')"
    )


def test_a_module_in_published_is_published_by_its_context_alone() -> None:
    extra = """
        ddd.shipping.dispatch -> ddd.catalog.pricing
        ddd.catalog.model -> ddd.ordering.pricing
    """
    assert summaries(extra, published=["api", "events", "ddd.catalog.pricing"]) == [
        "ddd.catalog reaches into the internals of ddd.ordering (ddd.ordering.pricing): go "
        "through the context's published language (ddd.ordering.events)"
    ]


def test_the_context_package_itself_is_published_only_when_named() -> None:
    extra = "ddd.shipping.dispatch -> ddd.ordering"
    assert summaries(extra) == [
        "ddd.shipping reaches into the internals of ddd.ordering (ddd.ordering): "
        "go through the context's published language (ddd.ordering.events)"
    ]
    assert summaries(extra, published=["__init__", "api", "events"]) == []


def test_what_code_outside_every_context_imports_is_not_the_contexts_business() -> None:
    # A framework (or a composition root) that knows a context's internals: the
    # contexts that use it do not depend on those internals through it.
    outside = """
        ddd.shipping.dispatch -> ddd.utils
        ddd.utils -> ddd.catalog.model
        ddd.shipping.dispatch -> ddd.shared.money
        ddd.shared.money -> ddd.ordering.checkout
    """
    assert summaries(outside) == [
        "the shared kernel ddd.shared depends on the context ddd.ordering: every context may "
        "use the kernel, so it may know none of them; move this code into ddd.ordering"
    ]


def test_the_shared_kernel_may_know_no_context() -> None:
    assert summaries("ddd.shared.money -> ddd.catalog.api") == [
        "the shared kernel ddd.shared depends on the context ddd.catalog: every context may "
        "use the kernel, so it may know none of them; move this code into ddd.catalog"
    ]


def test_a_wildcard_names_the_contexts_and_leaves_the_kernel_and_the_excluded_out() -> None:
    assert summaries(contexts=["ddd.*"], exclude=["ddd.main"]) == []
    assert summaries(contexts=["ddd.*"]) == [
        "ddd.main reaches into the internals of ddd.catalog (ddd.catalog.model): go through "
        "the context's published language (ddd.catalog.api or ddd.catalog.events)",
        "ddd.main reaches into the internals of ddd.shipping (ddd.shipping.dispatch): go "
        "through the context's published language, which ddd.shipping does not have yet "
        "(publish ddd.shipping.api or ddd.shipping.events)",
    ]
    assert rule(contexts=["ddd.*"]).describe() == (
        "Bounded contexts ddd.* depend on each other only through their published language "
        "(api and events), and all may use the shared kernel ddd.shared"
    )


def test_a_downstream_context_may_use_only_its_upstreams() -> None:
    assert summaries("ddd.shipping.dispatch -> ddd.catalog.api", context_map=MAP) == [
        "ddd.shipping depends on ddd.catalog, which the context map does not make its "
        'upstream: declare the relation (upstream = "ddd.catalog", downstream = '
        '"ddd.shipping"), best with an anticorruption layer in ddd.shipping.acl'
    ]


def test_an_upstream_context_may_not_know_its_downstream() -> None:
    assert summaries("ddd.catalog.model -> ddd.ordering.events", context_map=MAP) == [
        "the upstream context ddd.catalog depends on its downstream ddd.ordering: an upstream "
        "must not know its downstreams; publish an event in ddd.catalog.events for "
        "ddd.ordering to handle"
    ]


def test_only_the_anticorruption_layer_may_import_the_upstream() -> None:
    assert summaries("ddd.ordering.checkout -> ddd.catalog.api", context_map=MAP) == [
        "ddd.ordering uses its upstream ddd.catalog outside its anticorruption layer: only "
        "ddd.ordering.acl may import ddd.catalog; translate there"
    ]
    assert summaries("ddd.ordering.checkout -> ddd.catalog.model", context_map=MAP) == [
        "ddd.ordering reaches into the internals of ddd.catalog (ddd.catalog.model) outside "
        "its anticorruption layer: go through the context's published language "
        "(ddd.catalog.api or ddd.catalog.events) from ddd.ordering.acl"
    ]
    assert summaries("ddd.ordering.acl -> ddd.catalog.model", context_map=MAP) == [
        "ddd.ordering reaches into the internals of ddd.catalog (ddd.catalog.model): "
        "go through the context's published language (ddd.catalog.api or ddd.catalog.events)"
    ]


def test_one_dependency_between_two_contexts_says_each_principle_it_breaks() -> None:
    graph = fake_graph(
        CLEAN
        + """
        ddd.ordering.checkout -> ddd.catalog.api
        ddd.ordering.acl -> ddd.catalog.model
        """,
        roots=("ddd",),
    )
    violations = rule(context_map=MAP).result(graph).violations
    assert [(v.importer, v.imported, [str(c) for c in v.chains]) for v in violations] == [
        (
            "ddd.ordering",
            "ddd.catalog",
            ["ddd.ordering.acl -> ddd.catalog.model"],
        ),
        (
            "ddd.ordering",
            "ddd.catalog",
            ["ddd.ordering.checkout -> ddd.catalog.api"],
        ),
    ]


def test_the_details_say_what_each_context_publishes() -> None:
    result = rule(context_map=MAP[1:], published=["api", "events", "__init__"]).result(
        fake_graph(CLEAN, roots=("ddd",))
    )
    assert result.details == {
        "published": {
            "ddd.catalog": ["ddd.catalog.api", "ddd.catalog.events", "ddd.catalog"],
            "ddd.ordering": ["ddd.ordering.events", "ddd.ordering"],
            "ddd.shipping": ["ddd.shipping"],
        },
        "shared_kernel": ["ddd.shared"],
        "context_map": [{"upstream": "ddd.ordering", "downstream": "ddd.shipping", "acl": ""}],
    }


def test_chains_carry_file_and_line() -> None:
    graph = fake_graph(CLEAN + "ddd.shipping.dispatch -> ddd.ordering.checkout", roots=("ddd",))
    [violation] = rule().result(graph).violations
    assert violation.chains[0].links[0].location == "ddd/shipping/dispatch.py:2"


def test_the_baseline_forgives_a_known_breach_and_not_a_new_one() -> None:
    known = fake_graph(CLEAN + "ddd.shipping.dispatch -> ddd.ordering.checkout", roots=("ddd",))
    recorded = Baseline.from_results([rule().result(known)])
    assert [str(e) for e in recorded.entries] == [
        "ddd.shipping.dispatch -> ddd.ordering.checkout (ddd.shipping -> ddd.ordering)"
    ]
    assert apply_baseline(rule().result(known), recorded).result.passed
    worse = fake_graph(
        CLEAN
        + "ddd.shipping.dispatch -> ddd.ordering.checkout\n"
        + "ddd.shipping.dispatch -> ddd.catalog.model",
        roots=("ddd",),
    )
    outcome = apply_baseline(rule().result(worse), recorded)
    assert [v.imported for v in outcome.result.violations] == ["ddd.catalog"]


def test_the_description_states_the_context_map() -> None:
    assert rule(context_map=MAP, because="each team owns its model").description == (
        "Bounded contexts ddd.catalog, ddd.ordering and ddd.shipping depend on each other only "
        "through their published language (api and events), and all may use the shared kernel "
        "ddd.shared; in the context map, ddd.ordering is downstream of ddd.catalog through its "
        "anticorruption layer ddd.ordering.acl and ddd.shipping is downstream of ddd.ordering, "
        "because each team owns its model"
    )


def test_a_published_name_no_context_has_is_a_warning() -> None:
    graph = fake_graph(CLEAN, roots=("ddd",))
    result = rule(published=["api", "evnts"]).result(graph)
    assert result.warnings == (
        "published: no context has a submodule 'evnts'; did you mean 'events'?",
    )


def test_ignored_imports_are_not_violations() -> None:
    extra = "ddd.shipping.dispatch -> ddd.ordering.checkout"
    assert summaries(extra, ignore_imports=["ddd.shipping.dispatch -> ddd.ordering.checkout"]) == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"contexts": []}, "option 'contexts' must name at least one context"),
        ({"published": ["api..v1"]}, "option 'published': 'api..v1' is neither a submodule"),
        ({"published": ["ddd.*.api"]}, "option 'published': 'ddd.*.api' is neither"),
        ({"shared_kernel": ["ddd.catalog.shared"]}, "'ddd.catalog.shared' overlaps the context"),
        (
            {"context_map": [{"upstream": "ddd.catalog", "downstrem": "ddd.ordering"}]},
            "relation 1: unknown key 'downstrem'; did you mean 'downstream'?",
        ),
        (
            {"context_map": [{"upstream": "ddd.catalog"}]},
            "relation 1: missing 'downstream'",
        ),
        (
            {"context_map": [{"upstream": "ddd.catalog", "downstream": "ddd.ordrring"}]},
            "relation 1: 'ddd.ordrring' is not one of the contexts; did you mean 'ddd.ordering'?",
        ),
        (
            {"context_map": [{"upstream": "ddd.catalog", "downstream": "ddd.catalog"}]},
            "relation 1: 'ddd.catalog' cannot be its own upstream",
        ),
        (
            {"context_map": [MAP[1], {**MAP[1], "acl": "ddd.shipping.acl"}]},
            "relation 2: ddd.shipping is already downstream of ddd.ordering",
        ),
        (
            {"context_map": [MAP[1], MAP[1]]},
            "option 'context_map': {upstream = 'ddd.ordering', downstream = 'ddd.shipping'} "
            "is listed twice (items 1 and 2)",
        ),
        (
            {"contexts": ["ddd.catalog", "ddd.ordering", "ddd.catalog"]},
            "option 'contexts': 'ddd.catalog' is listed twice (items 1 and 3)",
        ),
        (
            {"context_map": [{**MAP[0], "acl": "ddd.catalog.acl"}]},
            "relation 1: the anticorruption layer 'ddd.catalog.acl' must be a module of the "
            "downstream context ddd.ordering",
        ),
        ({"context_map": ["ddd.catalog -> ddd.ordering"]}, "option 'context_map' must be"),
    ],
)
def test_bad_options_are_configuration_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        rule(**options)
    assert message in str(raised.value)


def test_the_context_map_reads_from_toml_as_an_array_of_tables() -> None:
    import tomllib

    data = tomllib.loads(
        """
        root_packages = ["ddd"]
        [[rules]]
        name = "Bounded contexts"
        type = "bounded_contexts"
        contexts = ["ddd.catalog", "ddd.ordering"]
        [[rules.context_map]]
        upstream = "ddd.catalog"
        downstream = "ddd.ordering"
        acl = "ddd.ordering.acl"
        """
    )
    config = parse_config(data, {t.type_name: t for t in builtin_rule_types()})
    [loaded] = config.rules
    assert isinstance(loaded, BoundedContextsRule)
    assert [tuple(r) for r in loaded.relations] == [
        ("ddd.catalog", "ddd.ordering", "ddd.ordering.acl")
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"published": ["ddd.catalog.aip"]}, "published: module 'ddd.catalog.aip' is not in"),
        ({"published": ["ddd.shared.money"]}, "published: 'ddd.shared.money' is in no context"),
        ({"contexts": ["ddd.catalg", "ddd.ordering"]}, "did you mean 'ddd.catalog'?"),
        ({"contexts": ["ddd.catalog", "ddd.catalog.api"]}, "'ddd.catalog.api' is inside the"),
        ({"contexts": ["ddd.*"], "context_map": [{**MAP[0], "acl": "ddd.ordering.acls"}]}, "acl"),
        (
            {"contexts": ["ddd.*"], "context_map": [{**MAP[1], "downstream": "ddd.shiping"}]},
            "context_map: 'ddd.shiping' is not one of the contexts; did you mean 'ddd.shipping'?",
        ),
    ],
)
def test_contexts_that_cannot_be_checked_are_rule_errors(
    options: dict[str, object], message: str
) -> None:
    graph = fake_graph(CLEAN, roots=("ddd",))
    with pytest.raises(RuleError) as raised:
        rule(**options).result(graph)
    assert message in str(raised.value)


def test_the_event_to_publish_is_in_the_published_language_or_the_remedy_says_to_add_it() -> None:
    """Found on Django's contrib apps (published = ["models", "__init__"]): "publish an
    event in django.contrib.auth.events" named a module no downstream may import."""
    extra = "ddd.catalog.model -> ddd.ordering.events"
    assert summaries(extra, context_map=MAP, published=["api", "events", "__init__"])[0].endswith(
        "publish an event in ddd.catalog.events for ddd.ordering to handle"
    )
    assert summaries(extra, context_map=MAP, published=["api", "domain_events"])[0].endswith(
        "publish an event in ddd.catalog.domain_events for ddd.ordering to handle"
    )
    [summary] = [
        s
        for s in summaries(extra, context_map=MAP, published=["api"])
        if s.startswith("the upstream")
    ]
    assert summary == (
        "the upstream context ddd.catalog depends on its downstream ddd.ordering: an upstream "
        "must not know its downstreams; publish an event in ddd.catalog.events for "
        'ddd.ordering to handle, and add "events" to published'
    )
