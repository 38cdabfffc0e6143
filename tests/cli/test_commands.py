"""The subcommands are listed once (fitness.cli.COMMANDS): the parser follows from it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fitness.cli import COMMANDS, _command_of, build_parser, command_module


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_is_a_module_with_register_and_run(name: str) -> None:
    module = command_module(name)

    assert module.__name__ == COMMANDS[name].module
    assert callable(module.register) and callable(module.run)
    parser = build_parser(name)
    subparsers = next(a for a in parser._actions if a.dest == "command")
    choices = subparsers.choices
    assert isinstance(choices, dict)
    assert list(choices) == [name]  # (argparse's own record of them)
    assert choices[name].get_default("run") is module.run


def test_the_help_lists_each_command_with_its_line_of_the_table() -> None:
    text = build_parser().format_help()

    assert [name for name in COMMANDS if name not in text] == []
    assert "export the import graph (DOT or Mermaid)" in text


def test_the_command_is_the_first_word_that_names_one() -> None:
    assert _command_of(["check", "--format", "json"]) == "check"
    assert _command_of(["--version"]) is None
    assert _command_of(["chek"]) is None  # every command's parser: argparse lists them


def test_a_run_of_one_command_imports_that_command_alone() -> None:
    code = (
        "import sys; from fitness.cli import main\n"
        "try: main(['rules', '--format', 'json', 'layers'])\n"
        "except SystemExit: pass\n"
        "from fitness.cli import COMMANDS\n"
        "print(sorted(m for m in sys.modules if m in {c.module for c in COMMANDS.values()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert out.splitlines()[-1] == "['fitness.cli.rules']"


def test_the_version_and_the_help_import_no_command_no_reporter_and_no_rule() -> None:
    code = (
        "import sys; from fitness.cli import main\n"
        "for words in (['--version'], ['--help']):\n"
        "    try: main(words)\n"
        "    except SystemExit: pass\n"
        "loaded = [m for m in sys.modules if m.startswith(('fitness.cli.', 'fitness.adapters.',"
        " 'fitness.domain.rules', 'pluggy'))]\n"
        "print(sorted(loaded))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert "usage: fitness" in out
    assert out.splitlines()[-1] == "[]"
