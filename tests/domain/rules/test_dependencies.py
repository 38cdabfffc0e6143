"""``dependencies``: third-party distributions declared, used, development-only and
allowed, checked on graphs and metadata written in memory."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from fitness.domain.dependencies import (
    Declaration,
    Declarations,
    DependencyRequest,
    Environment,
    InstalledDistribution,
    Requirement,
)
from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import DynamicImport, ProjectGraph
from fitness.domain.options import build_rule
from fitness.domain.rules import DependenciesRule
from tests.helpers import fake_graph


class FakeMetadata:
    """The project's metadata, in memory (``DependencyMetadata``)."""

    def __init__(
        self,
        declared: Iterable[Declaration],
        installed: Iterable[InstalledDistribution] = (),
        *,
        optional: Mapping[str, frozenset[int]] | None = None,
        local: Iterable[str] = (),
        notes: tuple[str, ...] = (),
    ) -> None:
        self.declared = Declarations(tuple(declared), "shop", ("pyproject.toml [project]",), notes)
        self.installed = Environment(installed)
        self.optional = dict(optional or {})
        self.local = frozenset(local)
        self.requests: list[DependencyRequest] = []

    def declarations(self, request: DependencyRequest) -> Declarations:
        self.requests.append(request)
        return self.declared

    def environment(self, request: DependencyRequest) -> Environment:
        return self.installed

    def local_modules(self) -> frozenset[str]:
        return self.local

    def optional_import_lines(self, modules: Iterable[str]) -> Mapping[str, frozenset[int]]:
        return {m: self.optional.get(m, frozenset()) for m in modules}


def dependency(
    name: str, kind: str = "dependencies", group: str = "", line: int = 5
) -> Declaration:
    section = {
        "dependencies": "[project] dependencies",
        "extra": f"[project.optional-dependencies] {group}",
        "group": f"[dependency-groups] {group}",
    }.get(kind, kind)
    return Declaration(name, kind, group, "pyproject.toml", line, f'"{name}",', (), section)


def installed(name: str, *tops: str, requires: Iterable[str] = ()) -> InstalledDistribution:
    return InstalledDistribution(
        name, tuple(tops) or (name.lower(),), tuple(Requirement(r) for r in requires)
    )


ENVIRONMENT = (
    installed("requests", requires=["urllib3"]),
    installed("urllib3"),
    installed("SQLAlchemy"),
    installed("PyYAML", "yaml", "_yaml"),
    installed("pytest", "pytest", "_pytest"),
    installed("gunicorn"),
    InstalledDistribution("types-requests"),  # stubs only: nothing to import
)

DECLARED = [
    dependency("requests"),
    dependency("SQLAlchemy", line=6),
    dependency("pytest", "group", "dev", line=9),
]

SHOP = """
    shop.domain.model -> shop.util
    shop.domain.model -> decimal
    shop.util -> requests
    shop.adapters.db -> sqlalchemy
    shop.adapters.db -> shop.domain.model
    shop.main -> shop.adapters.db
    shop.tests.checks -> pytest
"""


def graph_of(text: str, metadata: FakeMetadata | None) -> ProjectGraph:
    graph = fake_graph(SHOP + text, roots=("shop",), external=True)
    if metadata is not None:
        graph.attach_dependency_metadata(metadata)
    return graph


def result(
    text: str = "",
    declared: Iterable[Declaration] = DECLARED,
    installed: Iterable[InstalledDistribution] = ENVIRONMENT,
    metadata: FakeMetadata | None = None,
    **options: Any,
) -> Any:
    metadata = metadata or FakeMetadata(declared, installed)
    rule = build_rule(DependenciesRule, {"name": "deps", **options})
    return rule.result(graph_of(text, metadata))


def summaries(text: str = "", **options: Any) -> list[str]:
    return [v.summary for v in result(text, **options).violations]


def test_a_project_that_declares_and_imports_the_same_distributions_passes() -> None:
    found = result()
    assert (found.passed, found.warnings) == (True, ())
    assert found.details == {
        "declared_in": ["pyproject.toml [project]"],
        "imports": {"pytest": ["pytest"], "requests": ["requests"], "sqlalchemy": ["SQLAlchemy"]},
    }


def test_an_undeclared_import_is_reported_with_its_file_and_line() -> None:
    (violation,) = result("shop.util -> yaml").violations
    assert violation.summary == "PyYAML (imported as yaml) is imported by shop but not declared"
    assert (violation.importer, violation.imported) == ("shop", "yaml")
    (chain,) = violation.chains
    (link,) = chain.links
    assert (link.location, link.code) == ("shop/util.py:2", "import yaml")


def test_an_undeclared_distribution_installed_for_a_declared_one_says_so() -> None:
    assert summaries("shop.adapters.db -> urllib3") == [
        "urllib3 is imported by shop but not declared "
        "(transitive: installed because requests requires it)"
    ]


def test_a_longer_chain_of_requirements_is_named_whole() -> None:
    chain_of_three = (
        installed("httpx", requires=["httpcore"]),
        installed("httpcore", requires=["h11"]),
        installed("h11"),
    )
    assert summaries(
        "shop.util -> h11",
        declared=[*DECLARED, dependency("httpx")],
        installed=chain_of_three + ENVIRONMENT,
        findings=["undeclared"],
    ) == [
        "h11 is imported by shop but not declared (transitive: installed because httpx "
        "requires httpcore, which requires it)"
    ]


def test_a_name_no_installed_distribution_provides_is_guessed_and_said() -> None:
    assert summaries("shop.util -> left_pad") == [
        "left_pad is imported by shop but not declared (no installed distribution provides it)"
    ]


def test_a_guessed_name_matches_a_declaration_by_pep_503_normalisation() -> None:
    declared = [*DECLARED, dependency("Left.Pad")]
    assert result("shop.util -> left_pad", declared=declared, installed=()).violations == ()


def test_a_guess_that_matches_a_declaration_is_named_as_declared() -> None:
    declared = [*DECLARED, dependency("textual-dev", "group", "dev")]
    assert summaries("shop.util -> textual_dev", declared=declared, installed=()) == [
        "textual-dev is declared for development only "
        "([dependency-groups] dev) but imported by production code of shop"
    ]


def test_the_configured_table_names_the_distribution_of_an_import_name() -> None:
    declared = [*DECLARED, dependency("beautifulsoup4")]
    assert (
        summaries(
            "shop.util -> bs4", declared=declared, module_distributions={"bs4": "beautifulsoup4"}
        )
        == []
    )


def test_the_standard_library_and_the_projects_own_modules_are_never_third_party() -> None:
    metadata = FakeMetadata(DECLARED, ENVIRONMENT)
    metadata.local = frozenset({"scripts"})
    text = "shop.util -> os\nshop.util -> scripts\nshop.util -> _typeshed\nshop.util -> __main__"
    graph = graph_of(text, metadata)
    rule = build_rule(DependenciesRule, {"name": "deps", "findings": ["undeclared"]})
    assert rule.result(graph).violations == ()


def test_an_unused_declaration_is_reported_on_its_line() -> None:
    (violation,) = result(declared=[*DECLARED, dependency("gunicorn", line=7)]).violations
    assert violation.summary == (
        "gunicorn is declared ([project] dependencies) but never imported by shop"
    )
    assert (violation.importer, violation.imported) == ("pyproject.toml", "gunicorn")
    (link,) = violation.chains[0].links
    assert (str(violation.chains[0]), link.location, link.code) == (
        "pyproject.toml declares gunicorn",
        "pyproject.toml:7",
        '"gunicorn",',
    )


def test_a_declaration_that_installs_nothing_importable_says_so() -> None:
    assert summaries(declared=[*DECLARED, dependency("types-requests")]) == [
        "types-requests is declared ([project] dependencies) but never imported by shop "
        "(it installs no module that can be imported)"
    ]


def test_a_dynamic_import_of_a_written_name_uses_its_distribution() -> None:
    metadata = FakeMetadata([*DECLARED, dependency("gunicorn")], ENVIRONMENT)
    graph = graph_of("", metadata)
    rule = build_rule(DependenciesRule, {"name": "deps"})
    assert [v.imported for v in rule.result(graph).violations] == ["gunicorn"]
    graph.dynamic_imports = (
        DynamicImport(
            "shop.main", "shop/main.py", 3, 'import_module("gunicorn.app")', "gunicorn.app"
        ),
    )
    assert rule.result(graph).violations == ()


def test_an_unused_declaration_a_dynamic_import_may_use_says_where() -> None:
    metadata = FakeMetadata([*DECLARED, dependency("tree-sitter-python")], ENVIRONMENT)
    graph = graph_of("", metadata)
    graph.dynamic_imports = (
        DynamicImport("shop.main", "shop/main.py", 7, 'import_module(f"tree_sitter_{name}")'),
    )
    rule = build_rule(DependenciesRule, {"name": "deps"})
    assert [v.summary for v in rule.result(graph).violations] == [
        "tree-sitter-python is declared ([project] dependencies) but never imported by shop "
        "(unless the dynamic import at shop/main.py:7 imports it)"
    ]


def test_development_only_declarations_are_never_unused() -> None:
    declared = [
        *DECLARED,
        dependency("mypy", "group", "typing"),
        dependency("ruff", "extra", "lint"),
    ]
    assert summaries(declared=declared) == []


def test_an_import_left_out_by_ignore_imports_still_uses_its_distribution() -> None:
    assert summaries(ignore_imports=["shop.util -> requests"]) == []


def test_production_code_may_not_import_a_development_only_distribution() -> None:
    (violation,) = result("shop.util -> pytest").violations
    assert violation.summary == (
        "pytest is declared for development only ([dependency-groups] dev) but imported by "
        "production code of shop"
    )
    assert [str(c) for c in violation.chains] == ["shop.util -> pytest"]


def test_a_development_only_distribution_a_production_one_requires_says_so() -> None:
    declared = [*DECLARED, dependency("urllib3", "group", "dev")]
    assert summaries("shop.adapters.db -> urllib3", declared=declared) == [
        "urllib3 is declared for development only ([dependency-groups] dev) but imported by "
        "production code of shop (in production, installed because requests requires it)"
    ]


def test_test_modules_may_import_development_only_distributions() -> None:
    text = "shop.checks_test -> pytest"
    assert summaries(text) == [
        "pytest is declared for development only ([dependency-groups] dev) but imported by "
        "production code of shop"
    ]
    assert summaries(text, test_modules=["shop.checks_test", "**.tests"]) == []


@pytest.mark.parametrize(
    ("declaration", "options", "development_only"),
    [
        (dependency("pytest", "extra", "test"), {}, True),
        (dependency("pytest", "extra", "testing"), {}, False),
        (dependency("pytest", "extra", "testing"), {"development_extras": ["testing"]}, True),
        (dependency("pytest", "group", "server"), {}, True),
        (dependency("pytest", "group", "server"), {"production_groups": ["server"]}, False),
        (dependency("pytest", "requirements"), {}, False),
        (dependency("pytest", "development requirements"), {}, True),
    ],
)
def test_extras_and_groups_named_for_development_are_development_only(
    declaration: Declaration, options: dict[str, Any], development_only: bool
) -> None:
    declared = [*DECLARED[:2], declaration]
    found = summaries("shop.util -> pytest", declared=declared, **options)
    assert any("for development only" in s for s in found) is development_only


def test_optional_imports_are_marked_or_left_out() -> None:
    metadata = FakeMetadata(DECLARED, ENVIRONMENT, optional={"shop.util": frozenset({2})})
    text = "shop.util -> yaml"
    assert summaries(text, metadata=metadata) == [
        "PyYAML (imported as yaml) is imported by shop but not declared; only in optional "
        "imports (try/except ImportError)"
    ]
    assert summaries(text, metadata=metadata, optional_imports="ignore") == []


def test_each_kind_can_be_ignored_by_name_and_stale_names_are_reported() -> None:
    text = "shop.util -> yaml\nshop.util -> pytest"
    declared = [*DECLARED, dependency("gunicorn")]
    options: dict[str, Any] = {
        "ignore_undeclared": ["pyyaml"],
        "ignore_development_only": ["pytest"],
        "ignore_unused": ["gunicorn"],
    }
    assert summaries(text, declared=declared, **options) == []
    with pytest.raises(RuleError, match="ignore_unused: 'gunicorn' ignores nothing; remove it"):
        result(text, **options)
    found = result(text, unmatched_ignore_imports_alerting="warn", **options)
    assert found.warnings == ("ignore_unused: 'gunicorn' ignores nothing; remove it",)


def test_an_ignore_list_of_a_finding_not_reported_is_not_stale() -> None:
    assert summaries(findings=["unused"], ignore_undeclared=["yaml"]) == []


def test_findings_chooses_what_is_reported() -> None:
    text = "shop.util -> yaml\nshop.util -> pytest"
    declared = [*DECLARED, dependency("gunicorn")]
    assert len(summaries(text, declared=declared)) == 3
    assert summaries(text, declared=declared, findings=["unused"]) == [
        "gunicorn is declared ([project] dependencies) but never imported by shop"
    ]


USAGE = {"shop.domain": [], "shop.adapters.db": ["SQLAlchemy"]}


def test_a_package_may_use_only_the_distributions_usage_allows_with_the_chain() -> None:
    (violation,) = result(usage=USAGE).violations
    assert violation.summary == (
        "shop.domain uses requests; it may use no third-party distribution"
    )
    assert (violation.importer, violation.imported) == ("shop.domain", "requests")
    assert [str(c) for c in violation.chains] == ["shop.domain.model -> shop.util -> requests"]


def test_a_module_follows_the_most_specific_package_of_usage() -> None:
    usage = {"shop": ["requests"], "shop.adapters.db": ["SQLAlchemy"], "shop.tests": ["pytest"]}
    assert summaries(usage=usage) == []
    # shop.main reaches sqlalchemy only through the adapter allowed to use it: not a breach
    found = summaries("shop.main -> sqlalchemy", usage=usage)
    assert found == ["shop uses SQLAlchemy; it may use only requests"]


def test_a_wildcard_in_usage_gives_each_package_it_matches_the_same_list() -> None:
    text = "shop.adapters.web -> requests\nshop.adapters.web -> sqlalchemy"
    found = result(text, usage={"shop.adapters.*": ["SQLAlchemy"]}).violations
    assert [(v.summary, [str(c) for c in v.chains]) for v in found] == [
        (
            "shop.adapters.db uses requests; it may use only SQLAlchemy",
            ["shop.adapters.db -> shop.domain.model -> shop.util -> requests"],
        ),
        (
            "shop.adapters.web uses requests; it may use only SQLAlchemy",
            ["shop.adapters.web -> requests"],
        ),
    ]
    with pytest.raises(RuleError, match="usage: 'requests' is not inside the root packages"):
        result(usage={"requests": []})


def test_usage_names_distributions_or_import_names_and_refuses_unknown_ones() -> None:
    assert summaries(usage={"shop.adapters.db": ["sqlalchemy"], "shop.domain": ["requests"]}) == []
    with pytest.raises(
        RuleError,
        match="usage: 'shop.domain' allows 'reqests', which is neither "
        "declared, installed nor imported; did you mean 'requests'",
    ):
        result(usage={"shop.domain": ["reqests"]})
    with pytest.raises(RuleError, match="usage: 'shop.dom': module 'shop.dom' is not in the graph"):
        result(usage={"shop.dom": []})


def test_the_description_says_the_rule() -> None:
    rule = build_rule(DependenciesRule, {"name": "deps", "usage": USAGE})
    assert rule.describe() == (
        "Third-party distributions must be declared when imported, imported when declared and "
        "declared for production when production code imports them; shop.domain may use no "
        "third-party distribution, shop.adapters.db only SQLAlchemy"
    )
    only_usage = build_rule(
        DependenciesRule, {"name": "deps", "usage": USAGE, "findings": ["usage"]}
    )
    assert only_usage.describe() == (
        "shop.domain may use no third-party distribution, shop.adapters.db only SQLAlchemy"
    )


def test_the_guidance_speaks_of_what_was_found() -> None:
    assert result("shop.util -> yaml").guidance == (
        "Declare each undeclared distribution (in a dependency group or a test extra if only "
        "tests import it)."
    )


def test_what_the_metadata_cannot_see_is_said() -> None:
    declared = [*DECLARED, dependency("flask")]
    found = result("shop.util -> flask", declared=declared)
    assert found.passed  # guessed by its name
    assert found.warnings == (
        "1 declared distribution is not installed where fitness runs (flask): its import names "
        "are guessed from the names; install the project's dependencies to check them exactly",
    )
    metadata = FakeMetadata(DECLARED, ENVIRONMENT, notes=("setup.py is never run",))
    assert result(metadata=metadata).warnings == ("setup.py is never run",)


def test_the_request_carries_the_configured_files_and_environment() -> None:
    metadata = FakeMetadata(DECLARED, ENVIRONMENT)
    result(
        metadata=metadata,
        requirements_files=["requirements.txt"],
        development_requirements_files=["dev.txt"],
        environment=[".venv"],
    )
    assert metadata.requests == [DependencyRequest(("requirements.txt",), ("dev.txt",), (".venv",))]


def test_a_graph_without_metadata_or_external_packages_cannot_be_checked() -> None:
    rule = build_rule(DependenciesRule, {"name": "deps"})
    with pytest.raises(RuleError, match="this graph carries no dependency metadata"):
        rule.result(graph_of("", None))
    graph = fake_graph(SHOP, roots=("shop",))
    graph.attach_dependency_metadata(FakeMetadata(DECLARED, ENVIRONMENT))
    with pytest.raises(RuleError, match="include_external_packages = true"):
        rule.result(graph)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"findings": []}, "option 'findings' must name at least one"),
        ({"findings": ["unsed"]}, "item 1 is a string \\('unsed'\\)"),
        ({"module_distributions": {"py-yaml": "PyYAML"}}, "'py-yaml' is not an import name"),
        ({"optional_imports": "skip"}, "must be one of 'report', 'ignore'"),
    ],
)
def test_bad_options_are_configuration_errors(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_rule(DependenciesRule, {"name": "deps", **options})
