"""The history's data: which commits ``--every`` keeps, which commit introduced each
violation, and a row's plain data."""

from __future__ import annotations

import pytest

from fitness import LayersRule
from fitness.domain.history import (
    GRAPH_ERROR,
    Commit,
    CoveragePoint,
    HistoryRow,
    PackagePoint,
    RuleCount,
    introductions,
    measured_row,
    progress_figures,
    rule_names,
    thinned,
)
from fitness.domain.metrics.report import measure
from fitness.domain.rules.base import found_by
from tests.helpers import fake_graph

DAY = 86400


def commit(number: int, day: float = 0) -> Commit:
    return Commit(f"{number:040x}", int(day * DAY), f"2026-01-{1 + int(day):02d}", f"c{number}")


def row(number: int, rules: dict[str, tuple[str, ...] | None], status: str = "ok") -> HistoryRow:
    counts = tuple(
        RuleCount(name, None if keys is None else len(keys), keys or ())
        for name, keys in rules.items()
    )
    return HistoryRow(commit(number), status, "" if status == "ok" else "why", counts)


def test_every_keeps_one_commit_per_interval_and_the_newest_stands_for_the_last() -> None:
    commits = [commit(n, day) for n, day in enumerate([0, 0.5, 1, 1.2, 3, 3.1, 3.2])]
    assert [c.subject for c in thinned(commits, DAY)] == ["c0", "c2", "c6"]


def test_every_keeps_the_newest_when_it_starts_an_interval_of_its_own() -> None:
    commits = [commit(n, day) for n, day in enumerate([0, 1, 2])]
    assert [c.subject for c in thinned(commits, DAY)] == ["c0", "c1", "c2"]


def test_every_keeps_the_newest_even_when_it_is_close_to_the_only_one_kept() -> None:
    commits = [commit(0, 0), commit(1, 0.1)]
    assert [c.subject for c in thinned(commits, 7 * DAY)] == ["c0", "c1"]


def test_every_on_no_commits_keeps_none() -> None:
    assert thinned([], DAY) == []


def test_a_new_violation_is_attributed_to_the_commit_where_it_appears() -> None:
    rows = [
        row(0, {"layers": ()}),
        row(1, {"layers": ("a -> b",)}),
        row(2, {"layers": ("a -> b",)}),
    ]
    [item] = introductions(rows)
    assert (item.rule, item.violation, item.commit, item.at_start) == (
        "layers",
        "a -> b",
        commit(1),
        False,
    )
    assert item.fixed_in is None


def test_a_violation_there_at_the_first_commit_is_marked_as_older() -> None:
    [item] = introductions([row(0, {"layers": ("a -> b",)}), row(1, {"layers": ("a -> b",)})])
    assert item.at_start
    assert item.commit == commit(0)


def test_a_fixed_violation_names_the_fix_and_a_returning_one_appears_again() -> None:
    rows = [
        row(0, {"layers": ()}),
        row(1, {"layers": ("a -> b",)}),
        row(2, {"layers": ()}),
        row(3, {"layers": ("a -> b",)}),
    ]
    first, second = introductions(rows)
    assert (first.commit, first.fixed_in) == (commit(1), commit(2))
    assert (second.commit, second.fixed_in) == (commit(3), None)


def test_commits_that_were_not_measured_neither_fix_nor_introduce() -> None:
    rows = [
        row(0, {"layers": ("a -> b",)}),
        row(1, {}, status=GRAPH_ERROR),
        row(2, {"layers": None}),  # the rule could not be checked
        row(3, {"layers": ("a -> b",)}),
    ]
    [item] = introductions(rows)
    assert (item.commit, item.at_start, item.fixed_in) == (commit(0), True, None)


def test_a_removed_rule_fixes_its_violations() -> None:
    rows = [row(0, {"layers": ()}), row(1, {"layers": ("a -> b",)}), row(2, {"other": ()})]
    [item] = introductions(rows)
    assert item.fixed_in == commit(2)


def test_rule_names_are_in_order_of_first_appearance() -> None:
    rows = [row(0, {"b": (), "a": ()}), row(1, {"c": (), "a": ()})]
    assert rule_names(rows) == ["b", "a", "c"]


def test_progress_figures_are_the_whole_numbers_a_rule_reports_without_a_baseline() -> None:
    details = {
        "progress": {
            "legacy": "app.old",
            "importers": 3,
            "imports": 5,
            "recorded_importers": None,
            "fixed_imports": 0,
            "ratio": 0.5,
        },
        "importers": {"app.x": ["app.old"]},
    }
    assert progress_figures(details) == (("importers", 3), ("imports", 5))
    assert progress_figures({}) == ()
    assert progress_figures({"progress": [1, 2]}) == ()


def test_a_row_survives_its_plain_data() -> None:
    original = HistoryRow(
        commit(7, 2),
        "ok",
        "",
        (
            RuleCount("layers", 2, ("a -> b", "c -> d")),
            RuleCount("broken", None, error="modules: module 'app.x' is not in the graph"),
            RuleCount("strangler", 1, ("x",), (("importers", 1), ("imports", 4))),
        ),
        {
            "modules": 3,
            "propagation_cost": 0.25,
            "nccd": None,
            "largest_cycle_group": 0,
            "modularity": -0.5,
        },
        (PackagePoint("app.x", 0.5, None),),
        CoveragePoint(modules=3, governed=2),
    )
    assert HistoryRow.from_data(original.to_data()) == original
    assert original.to_data()["coverage"] == {"modules": 3, "governed": 2, "share": 0.666667}
    unmeasured = HistoryRow(commit(8, 3), GRAPH_ERROR, "cannot parse app/x.py")
    assert unmeasured.to_data()["coverage"] is None
    assert HistoryRow.from_data(unmeasured.to_data()) == unmeasured


def test_a_row_whose_coverage_is_not_counts_is_not_a_row() -> None:
    data = HistoryRow(commit(7, 2), coverage=CoveragePoint(modules=3, governed=2)).to_data()
    for wrong in ({"modules": "3", "governed": 2}, {"modules": 3, "governed": -1}, {}):
        with pytest.raises((KeyError, TypeError)):
            HistoryRow.from_data({**data, "coverage": wrong})
    with pytest.raises(KeyError):  # (a row of format 5 had none)
        HistoryRow.from_data({k: v for k, v in data.items() if k != "coverage"})


def test_a_rule_checked_for_the_first_time_finds_older_violations_not_new_ones() -> None:
    """A rule added to the configuration (or one that could not be checked until its
    modules existed) finds what the code had already: no commit introduced that."""
    rows = [
        row(0, {"layers": ()}),
        row(1, {"layers": (), "contexts": None}),  # declared, but not checkable yet
        row(2, {"layers": (), "contexts": ("a -> b",)}),
        row(3, {"layers": (), "contexts": ("a -> b", "c -> d"), "cqrs": ("q -> c",)}),
    ]
    assert [(i.rule, i.violation, i.commit, i.at_start) for i in introductions(rows)] == [
        ("contexts", "a -> b", commit(2), True),
        ("contexts", "c -> d", commit(3), False),
        ("cqrs", "q -> c", commit(3), True),
    ]


def test_a_rule_naming_a_module_the_graph_lacks_is_not_applicable_and_says_which() -> None:
    graph = fake_graph("app.api -> app.domain")
    rules = [
        LayersRule(name="Layers", layers=("app.api", "app.kernel", "app.domain")),
        LayersRule(name="Wild", layers=("app.api", "app.plugins.*")),
        LayersRule(name="Elsewhere", layers=("api", "domain"), containers=("json",)),
    ]
    results = [found_by(rule, graph) for rule in rules]
    counted = measured_row(commit(1), results, measure(graph, {}, depth=2)).rules
    assert [(r.violations, r.missing, r.applicable, r.reason) for r in counted] == [
        (None, "app.kernel", False, "module 'app.kernel' is not in this commit"),
        (None, "app.plugins.*", False, "'app.plugins.*' matches no module of this commit"),
        (None, "", True, results[2].errors[0]),
    ]
    data = HistoryRow(commit(1), rules=counted).to_data()
    assert data["rules"][0]["missing_module"] == "app.kernel"
    assert "missing_module" not in data["rules"][2]
    assert HistoryRow.from_data(data).rules == counted
