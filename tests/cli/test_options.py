"""The options of every subcommand: one spelling, one metavar, one meaning everywhere."""

from __future__ import annotations

import argparse
from collections import defaultdict

import pytest

from fitness.cli import COMMANDS, build_parser, main


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def options_of(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if a.option_strings and a.dest != "help"]


def test_every_command_is_walked() -> None:
    assert sorted(subparsers()) == sorted(COMMANDS)


def test_an_option_spelt_the_same_way_has_the_same_metavar_and_kind_everywhere() -> None:
    seen: dict[str, set[tuple[object, bool]]] = defaultdict(set)
    for parser in subparsers().values():
        for action in options_of(parser):
            takes_value = action.nargs != 0
            for spelling in action.option_strings:
                seen[spelling].add((action.metavar, takes_value))
    differing = {spelling: kinds for spelling, kinds in seen.items() if len(kinds) > 1}
    assert differing == {}
    # and the names users meet most have the metavar the README uses
    assert seen["--config"] == {("PATH", True)}
    assert seen["--depth"] == {("N", True)}
    assert seen["-o"] == {("FILE", True)}
    assert seen["--output"] == {("FILE", True)}


def test_a_short_option_is_always_the_short_form_of_the_same_long_one() -> None:
    pairs: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for parser in subparsers().values():
        for action in options_of(parser):
            shorts = [s for s in action.option_strings if not s.startswith("--")]
            for short in shorts:
                longs = tuple(s for s in action.option_strings if s.startswith("--"))
                pairs[short].add(longs[:1])
    assert {short: longs for short, longs in pairs.items() if len(longs) > 1} == {}
    assert pairs["-q"] == {("--quiet",)}
    assert pairs["-v"] == {("--verbose",)}
    assert pairs["-o"] == {("--output",)}


def test_every_option_and_every_format_has_help_text() -> None:
    missing = [
        f"{name} {action.option_strings[0]}"
        for name, parser in subparsers().items()
        for action in options_of(parser)
        if not action.help
    ]
    assert missing == []
    formats = {
        name: action.help
        for name, parser in subparsers().items()
        for action in options_of(parser)
        if "--format" in action.option_strings
    }
    assert sorted(formats) == [
        "affected",
        "check",
        "coverage",
        "graph",
        "history",
        "metrics",
        "rules",
    ]
    for name, text in formats.items():
        assert text and "default" in text, name


@pytest.mark.parametrize(
    "command", ["check", "graph", "metrics", "coverage", "report", "baseline", "history"]
)
def test_every_command_that_writes_a_file_takes_dash_o(command: str) -> None:
    spellings = {s for a in options_of(subparsers()[command]) for s in a.option_strings}
    assert {"-o", "--output"} <= spellings


@pytest.mark.parametrize("command", ["check", "report", "baseline"])
def test_quiet_and_verbose_exclude_each_other(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main([command, "-q", "-v", "-o", "x"])
    assert excinfo.value.code == 2
    assert "argument -v/--verbose: not allowed with argument -q/--quiet" in capsys.readouterr().err
