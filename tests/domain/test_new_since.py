"""``--new-since REV``: what existed at a revision is known, with the baseline's identity
(rule, dependency, chain ends, direct or not), and only the rest fails."""

from __future__ import annotations

import itertools

from fitness.adapters.reporters.text import baseline_note, summary_line
from fitness.application.check import verdict
from fitness.domain.baseline import Baseline
from fitness.domain.new_since import KnownAt, apply_known_at, revision_notes
from fitness.domain.violations import Chain, Link, RuleResult, Violation


def chain(*modules: str, line: int = 1) -> Chain:
    return Chain(
        tuple(
            Link(a, b, (line,), a.replace(".", "/") + ".py", f"import {b}")
            for a, b in itertools.pairwise(modules)
        )
    )


def layers(*chains: Chain, rule: str = "layers") -> RuleResult:
    """A layers rule's result: one violation (low -> high) made by these chains."""
    violation = Violation(
        "app.low", "app.high", "app.low is not allowed to import app.high", chains
    )
    return RuleResult(rule, "layered", (violation,) if chains else ())


def at_main(*results: RuleResult) -> KnownAt:
    return KnownAt("main", "c0ffee" * 6 + "abcd", Baseline.from_results(results))


def chains_of(result: RuleResult) -> list[str]:
    return [str(c) for v in result.violations for c in v.chains]


def test_a_violation_that_existed_at_the_revision_passes_and_is_counted() -> None:
    known = at_main(layers(chain("app.low.a", "app.high.x")))

    result = apply_known_at(layers(chain("app.low.a", "app.high.x", line=40)), known)

    assert result.passed
    assert result.since is not None
    assert (result.since.revision, result.since.existed, result.since.existed_chains) == (
        "main",
        1,
        0,
    )
    assert baseline_note(result) == "1 violation existed at main"


def test_a_new_import_between_the_same_modules_packages_fails_with_its_chain_only() -> None:
    known = at_main(layers(chain("app.low.a", "app.high.x")))

    result = apply_known_at(
        layers(chain("app.low.a", "app.high.x"), chain("app.low.b", "app.high.y")), known
    )

    assert chains_of(result) == ["app.low.b -> app.high.y"]
    assert result.since is not None
    assert (result.since.existed, result.since.existed_chains) == (0, 1)
    assert baseline_note(result) == "1 chain existed at main"


def test_a_rerouted_chain_between_known_ends_passes() -> None:
    known = at_main(layers(chain("app.low.a", "app.util", "app.high.x")))

    result = apply_known_at(layers(chain("app.low.a", "app.other", "app.high.x")), known)

    assert result.passed


def test_a_new_shortcut_where_only_an_indirect_chain_existed_fails() -> None:
    known = at_main(layers(chain("app.low.a", "app.util", "app.high.x")))

    result = apply_known_at(layers(chain("app.low.a", "app.high.x")), known)

    assert chains_of(result) == ["app.low.a -> app.high.x"]


def test_what_another_rule_broke_at_the_revision_is_not_known_to_this_one() -> None:
    known = at_main(layers(chain("app.low.a", "app.high.x"), rule="other"))

    result = apply_known_at(layers(chain("app.low.a", "app.high.x")), known)

    assert chains_of(result) == ["app.low.a -> app.high.x"]


def test_a_baseline_still_applies_first_and_keeps_its_own_count() -> None:
    baseline = Baseline.from_results([layers(chain("app.low.a", "app.high.x"))])
    known = at_main(layers(chain("app.low.b", "app.high.y")))
    found = layers(
        chain("app.low.a", "app.high.x"),
        chain("app.low.b", "app.high.y"),
        chain("app.low.c", "app.high.z"),
    )

    result = verdict(found, baseline, known_at=known)

    assert chains_of(result) == ["app.low.c -> app.high.z"]
    assert baseline_note(result) == "1 known chain in the baseline, 1 chain existed at main"


def test_nothing_known_at_the_revision_makes_every_violation_new_and_says_why() -> None:
    known = KnownAt("main", "ab" * 20, problem="root package 'app' not found")

    result = apply_known_at(layers(chain("app.low.a", "app.high.x")), known)

    assert chains_of(result) == ["app.low.a -> app.high.x"]
    assert summary_line([result]) == (
        "0 kept, 1 broken (1 new violation since main; nothing is known there)"
    )
    assert revision_notes(known) == [
        "main (ababababab) could not be measured: root package 'app' not found; every "
        "violation is new"
    ]


def test_the_summary_line_counts_new_violations_and_what_existed() -> None:
    known = at_main(layers(chain("app.low.a", "app.high.x")), layers(chain("b.x", "b.y"), rule="b"))
    results = [
        apply_known_at(layers(chain("app.low.a", "app.high.x")), known),
        apply_known_at(layers(chain("b.x", "b.y"), chain("b.z", "b.y"), rule="b"), known),
        apply_known_at(RuleResult("kept", "nothing wrong"), known),
    ]

    assert summary_line(results) == (
        "2 kept, 1 broken (1 new violation since main; 1 existed there, and 1 chain of them)"
    )


def test_rules_that_could_not_be_checked_at_the_revision_are_named() -> None:
    known = KnownAt("v1", "12" * 20, errors=("Layers", "Forbidden"))

    assert revision_notes(known) == [
        "at v1 (1212121212) these rules could not be checked (their violations are all new): "
        "'Layers', 'Forbidden'"
    ]
