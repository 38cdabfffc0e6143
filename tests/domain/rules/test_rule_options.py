"""The foundation rule types on in-memory graphs, and against import-linter itself."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest

from fitness import ForbiddenRule, IndependenceRule, LayersRule
from fitness.application.checking import check_rule
from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.options import build_rule
from fitness.domain.rules.base import Rule
from tests.helpers import fake_graph, write_files

GRAPH = """
    app.api.views -> app.services.orders
    app.services.orders -> app.domain.model
    app.domain.model -> app.domain.money
    app.domain.pricing -> app.services.orders
    app.api.views -> app.api.forms
    app.adapters.web.handlers -> app.adapters.db.repo
    app.adapters.db.repo -> sqlalchemy
    app.adapters.mail.sender -> smtplib
"""


def pairs(result) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(v.importer, v.imported) for v in result.violations}


def test_layers_kept_and_broken() -> None:
    graph = fake_graph(GRAPH)
    rule = LayersRule(name="l", layers=("app.api", "app.services", "app.domain"))
    result = check_rule(rule, graph)
    assert pairs(result) == {("app.domain", "app.services")}
    (violation,) = result.violations
    (chain,) = violation.chains
    assert chain.modules == ("app.domain.pricing", "app.services.orders")
    assert chain.links[0].location == "app/domain/pricing.py:1"


def test_layers_indirect_chain_is_reported_with_every_link() -> None:
    graph = fake_graph(GRAPH)
    # app.services is not a layer, so the chain through it counts.
    rule = LayersRule(name="l", layers=("app.domain", "app.api"))
    result = check_rule(rule, graph)
    assert pairs(result) == {("app.api", "app.domain")}
    indirect = next(v for v in result.violations if v.imported == "app.domain")
    assert [str(c) for c in indirect.chains] == [
        "app.api.views -> app.services.orders -> app.domain.model"
    ]


def test_ignore_imports_with_wildcards() -> None:
    graph = fake_graph(GRAPH)
    rule = LayersRule(
        name="l",
        layers=("app.api", "app.services", "app.domain"),
        ignore_imports=("app.domain.* -> app.services.**",),
    )
    assert check_rule(rule, graph).passed


def test_ignore_that_matches_nothing_is_an_error_with_did_you_mean() -> None:
    graph = fake_graph(GRAPH)
    rule = LayersRule(
        name="l",
        layers=("app.api", "app.services", "app.domain"),
        ignore_imports=("app.domain.pricng -> app.services.orders",),
    )
    result = check_rule(rule, graph)
    assert not result.passed
    assert "did you mean 'app.domain.pricing'?" in result.errors[0]


def test_optional_layers_may_be_missing_required_ones_may_not() -> None:
    graph = fake_graph(GRAPH)
    optional = LayersRule(name="l", layers=("app.api", "(app.cli)", "app.domain"))
    assert check_rule(optional, graph).passed
    required = LayersRule(name="l", layers=("app.api", "app.cli", "app.domain"))
    assert "module 'app.cli' is not in the graph" in check_rule(required, graph).errors[0]


def test_independent_and_non_independent_siblings() -> None:
    graph = fake_graph("a.x.m -> a.y.m\na.z.m -> a.x.m")
    independent = LayersRule(name="l", layers=("a.z", "a.x | a.y"))
    assert pairs(check_rule(independent, graph)) == {("a.x", "a.y")}
    siblings = LayersRule(name="l", layers=("a.z", "a.x : a.y"))
    assert check_rule(siblings, graph).passed


def test_containers_repeat_the_layers() -> None:
    graph = fake_graph(
        """
        proj.one.views -> proj.one.models
        proj.two.models -> proj.two.views
        """
    )
    rule = LayersRule(name="l", layers=("views", "models"), containers=("proj.one", "proj.two"))
    assert pairs(check_rule(rule, graph)) == {("proj.two.models", "proj.two.views")}


def test_exhaustive_reports_undeclared_children() -> None:
    graph = fake_graph("proj.c.views -> proj.c.models\nproj.c.utils -> proj.c.models")
    rule = LayersRule(name="l", layers=("views", "models"), containers=("proj.c",), exhaustive=True)
    result = check_rule(rule, graph)
    assert [v.summary for v in result.violations] == [
        "proj.c.utils is not declared as a layer (the rule is exhaustive)"
    ]
    ignoring = LayersRule(
        name="l",
        layers=("views", "models"),
        containers=("proj.c",),
        exhaustive=True,
        exhaustive_ignores=("utils",),
    )
    assert check_rule(ignoring, graph).passed


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"layers": ["a", "b | a"]}, "a module cannot be in more than one layer: a"),
        ({"layers": ["a", "b", "a"]}, "option 'layers': 'a' is listed twice (items 1 and 3)"),
        ({"layers": ["a", "a.b"]}, "layers cannot contain other layers: 'a' contains 'a.b'"),
        ({"layers": ["a | b : c"]}, "mixes independent ('|') and non-independent (':')"),
        ({"layers": ["a"], "exhaustive": True}, "option 'exhaustive' needs 'containers'"),
        ({"layers": []}, "must name at least one layer"),
        ({"layers": ["a"], "unmatched_ignore_imports_alerting": "warning"}, "did you mean 'warn'?"),
    ],
)
def test_invalid_layers_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(
        ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("|", r"\|")
    ):
        build_rule(LayersRule, {"name": "l", **options})


def test_forbidden_internal_and_external() -> None:
    graph = fake_graph(GRAPH, roots=("app",), external=True)
    rule = ForbiddenRule(
        name="f", source_modules=("app.adapters.web",), forbidden_modules=("sqlalchemy",)
    )
    result = check_rule(rule, graph)
    assert pairs(result) == {("app.adapters.web", "sqlalchemy")}
    assert str(result.violations[0].chains[0]) == (
        "app.adapters.web.handlers -> app.adapters.db.repo -> sqlalchemy"
    )
    direct_only = ForbiddenRule(
        name="f",
        source_modules=("app.adapters.web",),
        forbidden_modules=("sqlalchemy",),
        allow_indirect_imports=True,
    )
    assert check_rule(direct_only, graph).passed


def test_forbidden_external_needs_externals_in_the_graph() -> None:
    graph = fake_graph(GRAPH, roots=("app",), external=False)
    rule = ForbiddenRule(name="f", source_modules=("app.domain",), forbidden_modules=("django",))
    assert "set include_external_packages = true" in check_rule(rule, graph).errors[0]


def test_forbidden_subpackage_of_external_is_rejected() -> None:
    graph = fake_graph(GRAPH, roots=("app",), external=True)
    rule = ForbiddenRule(
        name="f", source_modules=("app.domain",), forbidden_modules=("sqlalchemy.orm",)
    )
    assert "can only be forbidden whole ('sqlalchemy')" in check_rule(rule, graph).errors[0]


def test_forbidden_skips_overlapping_modules() -> None:
    graph = fake_graph(GRAPH)
    rule = ForbiddenRule(name="f", source_modules=("app.services",), forbidden_modules=("app.*",))
    assert pairs(check_rule(rule, graph)) == {("app.services", "app.domain")}


def test_independence() -> None:
    graph = fake_graph(GRAPH)
    rule = IndependenceRule(name="i", modules=("app.adapters.*",))
    assert pairs(check_rule(rule, graph)) == {("app.adapters.web", "app.adapters.db")}


def test_independence_of_modules_nested_in_one_another_is_a_rule_error() -> None:
    """Found by the property test: ``app.**`` names packages and what is inside them."""
    graph = fake_graph(GRAPH)
    rule = IndependenceRule(name="i", modules=("app.adapters.**",))
    with pytest.raises(RuleError) as error:
        rule.evaluate(graph)
    assert str(error.value) == (
        "modules: 'app.adapters.db.repo' is inside 'app.adapters.db', and a package counts "
        "with everything under it; name modules that do not contain each other (for example "
        "'app.adapters.db.*' for the modules directly inside 'app.adapters.db')"
    )


def test_descriptions_read_as_sentences() -> None:
    assert LayersRule(name="l", layers=("a.x | a.y", "a.z"), because="why").description == (
        "Layers (a.x | a.y) > a.z: each layer may import only the layers below it, because why"
    )
    assert ForbiddenRule(
        name="f", source_modules=("a", "b"), forbidden_modules=("c", "d")
    ).description == ("Modules in a and b must not import c or d")
    assert IndependenceRule(name="i", modules=("a", "b", "c")).description == (
        "Modules a, b and c must be independent of each other"
    )


# --- the same verdicts as import-linter, on a real package tree ------------------

PACKAGE = {
    "proj/__init__.py": "",
    "proj/api/__init__.py": "",
    "proj/api/views.py": "from proj.services import orders\nimport requests\n",
    "proj/services/__init__.py": "",
    "proj/services/orders.py": "from proj.domain import model\nimport proj.domain.money\n",
    "proj/domain/__init__.py": "",
    "proj/domain/model.py": "from proj.domain import money\nfrom proj.api import views\n",
    "proj/domain/money.py": "import decimal\nimport requests\n",
    "proj/plugins/__init__.py": "",
    "proj/plugins/alpha/__init__.py": "from proj.plugins.beta import thing\n",
    "proj/plugins/beta/__init__.py": "",
    "proj/plugins/beta/thing.py": "from proj.plugins import gamma\n",
    "proj/plugins/gamma.py": "",
}

CONTRACTS: list[tuple[str, dict[str, object]]] = [
    ("layers", {"layers": ["proj.api", "proj.services", "proj.domain"]}),
    ("layers", {"layers": ["proj.api", "proj.services | proj.plugins", "proj.domain"]}),
    ("layers", {"layers": ["api", "(cli)", "services", "domain"], "containers": ["proj"]}),
    (
        "layers",
        {
            "layers": ["proj.api", "proj.services", "proj.domain"],
            "ignore_imports": ["proj.domain.* -> proj.api.**"],
        },
    ),
    ("forbidden", {"source_modules": ["proj.domain"], "forbidden_modules": ["requests"]}),
    (
        "forbidden",
        {
            "source_modules": ["proj.services", "proj.api"],
            "forbidden_modules": ["requests", "proj.plugins"],
            "allow_indirect_imports": "true",
        },
    ),
    ("forbidden", {"source_modules": ["proj.*"], "forbidden_modules": ["proj.domain.money"]}),
    ("independence", {"modules": ["proj.plugins.*"]}),
    ("independence", {"modules": ["proj.api", "proj.domain", "proj.plugins"]}),
]


@pytest.mark.parametrize(("type_name", "options"), CONTRACTS)
def test_same_verdict_and_pairs_as_import_linter(
    type_name: str, options: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importlinter.configuration import configure
    from importlinter.contracts.forbidden import ForbiddenContract
    from importlinter.contracts.independence import IndependenceContract
    from importlinter.contracts.layers import LayersContract
    from importlinter.domain.contract import Contract

    from fitness.adapters.packages import GrimpGraphBuilder
    from fitness.domain.config import GraphSettings

    write_files(tmp_path, PACKAGE)
    settings = GraphSettings(root_packages=("proj",), include_external_packages=True)
    ours = GrimpGraphBuilder(tmp_path, sys_path=[]).build(settings)

    monkeypatch.syspath_prepend(str(tmp_path))
    theirs_graph = grimp.build_graph("proj", include_external_packages=True, cache_dir=None)
    contract_class: type[Contract] = {  # type: ignore[type-abstract]
        "layers": LayersContract,
        "forbidden": ForbiddenContract,
        "independence": IndependenceContract,
    }[type_name]
    contract = contract_class(
        name="c",
        session_options={"root_packages": ["proj"], "include_external_packages": "True"},
        contract_options=options,
    )
    configure()
    check = contract.check(theirs_graph, verbose=False)
    if type_name == "layers":
        expected = {(d["importer"], d["imported"]) for d in check.metadata["invalid_dependencies"]}
    else:
        expected = {
            (d["downstream_module"], d["upstream_module"]) for d in check.metadata["invalid_chains"]
        }

    rule_types: dict[str, type[Rule]] = {
        "layers": LayersRule,
        "forbidden": ForbiddenRule,
        "independence": IndependenceRule,
    }
    rule = build_rule(rule_types[type_name], {"name": "c", **options})
    result = check_rule(rule, ours)
    assert not result.errors
    assert result.passed == check.kept
    assert pairs(result) == expected


def test_option_types_are_described_in_plain_english() -> None:
    from collections.abc import Mapping

    from fitness.domain.options import describe_type

    assert describe_type(tuple[str, ...]) == "a list of strings"
    assert describe_type(Mapping[str, tuple[str, ...]]) == "a table of lists of strings"
    assert describe_type(Mapping[str, float]) == "a table of numbers"
