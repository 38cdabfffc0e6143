"""``strangler_fig``: the legacy code's reach may only shrink, and the replacement never
imports it (no baseline forgives that)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.domain.baseline import Baseline, apply_baseline
from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.options import build_rule
from fitness.domain.progress import MigrationProgress, progress_of
from fitness.domain.rules import StranglerFigRule
from fitness.domain.violations import RuleResult
from tests.helpers import fake_graph

TODAY = """
    app.legacy.tax -> app.legacy.db
    app.legacy.pdf -> app.billing.documents
    app.web.invoices -> app.billing.tax
    app.web.customers -> app.legacy.pdf
    app.reports.monthly -> app.legacy.tax
    app.reports.monthly -> app.legacy.db
    app.billing.tax
"""


def rule(**options: object) -> StranglerFigRule:
    return build_rule(
        StranglerFigRule,
        {"name": "Strangler fig", "legacy": "app.legacy", "replacement": "app.billing", **options},
    )


def check(text: str, baseline: Baseline | None = None, **options: object) -> RuleResult:
    result = rule(**options).result(fake_graph(text))
    return result if baseline is None else apply_baseline(result, baseline).result


def test_each_module_outside_the_legacy_package_that_imports_it_is_a_violation() -> None:
    result = check(TODAY)
    assert [(v.importer, v.imported) for v in result.violations] == [
        ("app.reports.monthly", "app.legacy"),
        ("app.web.customers", "app.legacy"),
    ]
    monthly = result.violations[0]
    assert monthly.summary == (
        "app.reports.monthly imports the legacy code app.legacy; new code must use "
        "app.billing instead"
    )
    assert [str(c) for c in monthly.chains] == [
        "app.reports.monthly -> app.legacy.db",
        "app.reports.monthly -> app.legacy.tax",
    ]


def test_imports_within_the_legacy_package_and_from_it_into_the_replacement_are_allowed() -> None:
    result = check("app.legacy.tax -> app.legacy.db\napp.legacy.pdf -> app.billing.documents")
    assert result.passed
    progress = progress_of(result)
    assert progress == MigrationProgress("app.legacy", "app.billing", 0, 0)
    assert progress.summary() == "no importer of app.legacy left: it can be removed (no baseline)"


def test_once_the_last_importer_is_migrated_the_legacy_code_can_be_removed() -> None:
    baseline = Baseline.from_results([check(TODAY)])
    done = check("app.legacy.tax -> app.legacy.db\napp.web.customers -> app.billing.tax", baseline)
    progress = progress_of(done)
    assert progress is not None and progress.done == 1.0
    assert progress.summary() == (
        "no importer of app.legacy left: it can be removed (2 importers, 3 imports fixed since "
        "the baseline)"
    )


def test_the_rule_measures_the_importers_and_imports_left() -> None:
    result = check(TODAY)
    assert progress_of(result) == MigrationProgress(
        "app.legacy", "app.billing", importers=2, imports=3
    )
    assert result.details["legacy_importers"] == {
        "app.reports.monthly": ["app.legacy.db", "app.legacy.tax"],
        "app.web.customers": ["app.legacy.pdf"],
    }


def test_the_baseline_forgives_todays_importers_import_by_import() -> None:
    baseline = Baseline.from_results([check(TODAY)])
    result = check(TODAY, baseline)
    assert result.passed
    assert progress_of(result) == MigrationProgress(
        "app.legacy", "app.billing", 2, 3, recorded_importers=2, recorded_imports=3
    )


def test_a_new_importer_of_the_legacy_code_fails() -> None:
    baseline = Baseline.from_results([check(TODAY)])
    result = check(TODAY + "\napp.web.refunds -> app.legacy.tax", baseline)
    [violation] = result.violations
    assert violation.importer == "app.web.refunds"
    progress = progress_of(result)
    assert progress == MigrationProgress(
        "app.legacy", "app.billing", 3, 4, 2, 3, new_importers=1, new_imports=1
    )
    assert progress.summary() == (
        "3 importers, 4 imports of app.legacy left (none fixed since the baseline; "
        "1 new importer, 1 new import)"
    )


def test_a_new_import_by_a_known_importer_fails_with_that_import_only() -> None:
    baseline = Baseline.from_results([check(TODAY)])
    result = check(TODAY + "\napp.web.customers -> app.legacy.tax", baseline)
    [violation] = result.violations
    assert [str(c) for c in violation.chains] == ["app.web.customers -> app.legacy.tax"]
    assert result.baseline is not None and result.baseline.known_chains == 1
    progress = progress_of(result)
    assert progress is not None and (progress.new_importers, progress.new_imports) == (0, 1)


def test_a_removed_import_and_a_migrated_importer_count_as_fixed() -> None:
    baseline = Baseline.from_results([check(TODAY)])
    migrated = TODAY.replace("app.web.customers -> app.legacy.pdf", "app.web.customers")
    result = check(migrated, baseline)
    assert result.passed
    assert [str(e) for e in result.baseline.fixed] == [  # type: ignore[union-attr]
        "app.web.customers -> app.legacy.pdf (app.web.customers -> app.legacy)"
    ]
    progress = progress_of(result)
    assert progress == MigrationProgress(
        "app.legacy", "app.billing", 1, 2, 2, 3, fixed_importers=1, fixed_imports=1
    )
    assert progress.summary() == (
        "1 importer, 2 imports of app.legacy left (1 importer, 1 import fixed since the baseline)"
    )
    assert progress.done == pytest.approx(1 / 3)


def test_an_importer_that_drops_one_of_its_imports_is_not_yet_fixed() -> None:
    baseline = Baseline.from_results([check(TODAY)])
    result = check(TODAY.replace("app.reports.monthly -> app.legacy.db", ""), baseline)
    progress = progress_of(result)
    assert progress is not None
    assert (progress.fixed_importers, progress.fixed_imports) == (0, 1)
    assert progress.summary() == (
        "2 importers, 2 imports of app.legacy left (1 import fixed since the baseline)"
    )


def test_the_replacement_importing_the_legacy_code_fails_and_no_baseline_forgives_it() -> None:
    graph = TODAY + "\napp.billing.tax -> app.legacy.tax"
    found = check(graph)
    replacement = [v for v in found.violations if v.importer == "app.billing.tax"]
    assert [v.summary for v in replacement] == [
        "the replacement app.billing.tax imports the legacy code app.legacy; "
        "app.billing must never depend on what it replaces"
    ]
    baseline = Baseline.from_results([found])
    assert {e.importer for e in baseline.entries} == {"app.reports.monthly", "app.web.customers"}
    result = check(graph, baseline)
    assert [v.importer for v in result.violations] == ["app.billing.tax"]
    assert result.guidance.startswith(
        "app.billing must never import app.legacy, baseline or not: move what it needs from "
        "app.legacy into app.billing (and let app.legacy call it), or, for a deliberate "
        "exception, list the import in ignore_imports. New code must use app.billing"
    )
    # Not counted as the migration's backlog either.
    assert progress_of(result) == MigrationProgress("app.legacy", "app.billing", 2, 3, 2, 3)


def test_a_hand_written_baseline_entry_does_not_forgive_the_replacement() -> None:
    graph = TODAY + "\napp.billing.tax -> app.legacy.tax"
    data = {
        "version": 2,
        "rules": {
            "Strangler fig": {
                "violations": [
                    {
                        "importer": "app.billing.tax",
                        "imported": "app.legacy",
                        "chains": [
                            {"first": "app.billing.tax", "last": "app.legacy.tax", "direct": True}
                        ],
                    }
                ]
            }
        },
    }
    result = check(graph, Baseline.from_data(json.loads(json.dumps(data))))
    assert "app.billing.tax" in {v.importer for v in result.violations}
    assert result.baseline is not None and result.baseline.fixed == ()


def test_ignore_imports_is_the_explicit_way_to_allow_a_replacement_import() -> None:
    graph = TODAY + "\napp.billing.tax -> app.legacy.tax"
    result = check(graph, ignore_imports=["app.billing.tax -> app.legacy.tax"])
    assert {v.importer for v in result.violations} == {"app.reports.monthly", "app.web.customers"}


def test_the_failure_speaks_of_the_strangler_fig() -> None:
    result = check(TODAY)
    assert result.description == (
        "Strangler fig: app.billing replaces the legacy app.legacy; no new module may import "
        "app.legacy, and app.billing never imports it"
    )
    assert result.guidance.startswith(
        "New code must use app.billing instead of app.legacy: the strangler fig only shrinks "
        "the legacy code's reach."
    )


def test_broken_contract_guidance_replaces_the_styles_remedy() -> None:
    result = check(TODAY, broken_contract_guidance="Ask the billing team.")
    assert result.guidance == "Ask the billing team."


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"legacy": "app.*"}, "option 'legacy' must be one module name"),
        ({"replacement": ""}, "option 'replacement' must be one module name"),
        (
            {"replacement": "app.legacy.new"},
            "option 'replacement' (app.legacy.new) and option 'legacy' (app.legacy) must be "
            "separate packages, neither inside the other",
        ),
    ],
)
def test_bad_options_are_configuration_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rule(**options)


def test_a_legacy_package_missing_from_the_graph_cannot_be_checked() -> None:
    with pytest.raises(RuleError, match="legacy"):
        rule(legacy="app.legasy").result(fake_graph(TODAY))


def test_progress_survives_json_and_rejects_anything_else() -> None:
    progress = MigrationProgress("a.old", "a.new", 2, 3, 4, 5, 2, 2, 0, 0)
    assert MigrationProgress.from_data(json.loads(json.dumps(progress.to_data()))) == progress
    assert MigrationProgress.from_data({"legacy": "a.old"}) is None
    assert MigrationProgress.from_data([1, 2]) is None
    assert MigrationProgress.from_data({**progress.to_data(), "imports": True}) is None
    assert progress.summary() == (
        "2 importers, 3 imports of a.old left (2 importers, 2 imports fixed since the baseline)"
    )
    assert MigrationProgress("a.old", "a.new", 1, 1).summary() == (
        "1 importer, 1 import of a.old left (no baseline)"
    )


MODULES = ["app.legacy.a", "app.legacy.b", "app.billing.x", "app.web.p", "app.web.q", "app.jobs.r"]
PAIRS = [(a, b) for a in MODULES for b in MODULES if a != b]


@settings(max_examples=60, deadline=None)
@given(
    before=st.sets(st.sampled_from(PAIRS), max_size=12),
    removed=st.sets(st.sampled_from(PAIRS)),
    added=st.sets(st.sampled_from(PAIRS), max_size=4),
)
def test_the_baseline_forgives_only_todays_importers_and_counts_the_difference(
    before: set[tuple[str, str]], removed: set[tuple[str, str]], added: set[tuple[str, str]]
) -> None:
    def graph(pairs: set[tuple[str, str]]) -> str:
        return "\n".join([*MODULES, *(f"{a} -> {b}" for a, b in sorted(pairs))])

    def legacy_imports(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        return {
            (a, b)
            for a, b in pairs
            if b.startswith("app.legacy.") and not a.startswith(("app.legacy.", "app.billing."))
        }

    baseline = Baseline.from_results([check(graph(before))])
    today = check(graph(before), baseline)
    assert {v.importer for v in today.violations} <= {"app.billing.x"}
    after = (before - removed) | added
    result = check(graph(after), baseline)
    then, now = legacy_imports(before), legacy_imports(after)
    progress = progress_of(result)
    assert progress is not None
    assert (progress.imports, progress.recorded_imports) == (len(now), len(then))
    assert (progress.fixed_imports, progress.new_imports) == (len(then - now), len(now - then))
    failing = {
        (c.links[0].importer, c.links[0].imported) for v in result.violations for c in v.chains
    }
    assert failing - {p for p in after if p[0] == "app.billing.x"} == now - then


def test_the_legacy_code_and_its_replacement_may_be_root_packages_of_their_own() -> None:
    graph = fake_graph("app.web -> oldapp.x\nnewapp.y -> oldapp\noldapp.x -> newapp.y")
    result = rule(legacy="oldapp", replacement="newapp").result(graph)
    assert [(v.importer, [str(c) for c in v.chains]) for v in result.violations] == [
        ("app.web", ["app.web -> oldapp.x"]),
        ("newapp.y", ["newapp.y -> oldapp"]),
    ]
    assert result.details["not_baselined"] == [["newapp.y", "oldapp"]]


# An external package being replaced (requests by httpx) ---------------------------------

HTTP = """
    app.web.client -> requests
    app.jobs.sync -> requests
    app.jobs.sync -> httpx
    app.http.session -> httpx
"""


def test_a_migration_off_an_external_package_counts_its_importers() -> None:
    graph = fake_graph(HTTP, roots=("app",), external=True)
    result = rule(legacy="requests", replacement="httpx").result(graph)
    assert [(v.importer, v.imported) for v in result.violations] == [
        ("app.jobs.sync", "requests"),
        ("app.web.client", "requests"),
    ]
    assert progress_of(result) == MigrationProgress("requests", "httpx", 2, 2)


def test_a_wrapper_of_our_own_replacing_an_external_package_never_imports_it() -> None:
    graph = fake_graph(HTTP + "app.http.session -> requests", roots=("app",), external=True)
    result = rule(legacy="requests", replacement="app.http").result(graph)
    assert result.details["not_baselined"] == [["app.http.session", "requests"]]


def test_an_external_package_nothing_imports_any_more_is_a_migration_done() -> None:
    graph = fake_graph("app.web.client -> httpx", roots=("app",), external=True)
    result = rule(legacy="requests", replacement="httpx").result(graph)
    assert result.passed
    assert result.warnings == ("legacy: nothing imports the external package 'requests'",)
    progress = progress_of(result)
    assert progress is not None and progress.imports == 0


@pytest.mark.parametrize(
    ("legacy", "external", "message"),
    [
        (
            "requests",
            False,
            "legacy: 'requests' is outside the root packages (app); to follow a migration off "
            "or onto an external package, set include_external_packages = true",
        ),
        (
            "requests.adapters",
            True,
            "legacy: 'requests.adapters' is inside the external package 'requests', which the "
            "graph holds as one module; name it whole",
        ),
    ],
)
def test_an_external_package_needs_the_external_packages_and_is_named_whole(
    legacy: str, external: bool, message: str
) -> None:
    graph = fake_graph(HTTP, roots=("app",), external=external)
    with pytest.raises(RuleError) as raised:
        rule(legacy=legacy, replacement="app.http").result(graph)
    assert str(raised.value) == message


def test_the_remedy_for_an_external_legacy_package_does_not_ask_it_to_call_us() -> None:
    """Found on httpie (legacy = "requests"): "move what it needs from requests into
    app.http (and let requests call it)" cannot be done to a third-party package."""
    graph = fake_graph(HTTP + "app.http.session -> requests", roots=("app",), external=True)
    result = rule(legacy="requests", replacement="app.http").result(graph)
    assert result.guidance == (
        "app.http must never import requests, baseline or not: it replaces requests, so it "
        "does its work without it; for a deliberate exception, list the import in "
        "ignore_imports. New code must use app.http instead of requests: the strangler fig "
        "only shrinks the external package's reach. Import what you need from app.http; if "
        "it is not there yet, add it there first. The importers recorded by `fitness "
        "baseline` are the migration's backlog: they may stay until they are migrated, a new "
        "one may not."
    )
    assert "call" not in rule(legacy="requests", replacement="httpx").result(graph).guidance
