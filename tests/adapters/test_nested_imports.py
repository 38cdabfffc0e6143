"""Where an import statement is made (issue 21): inside a function, under
``if TYPE_CHECKING:``, or at the module's level; read from the text, with :mod:`ast`
where the text alone cannot tell."""

from __future__ import annotations

import textwrap

import pytest

from fitness.adapters import nested_imports
from fitness.adapters.nested_imports import INDENTED_IMPORT, import_contexts
from fitness.domain.source_facts import FUNCTION, TYPE_CHECKING_ONLY

SOURCE = """
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app import types
else:
    import json

class Model:
    import decimal

    def save(
        self,
        force: bool = False,
    ) -> None:
        from app import db

async def handler():
    try:
        import ujson
    except ImportError:  # an optional dependency
        import json

def outer():
    def inner():
        if TYPE_CHECKING:
            import typing_extensions

try:
    import yaml
except ImportError:
    yaml = None
"""


def contexts(text: str) -> list[tuple[int, str]]:
    return [(c.line, c.context) for c in import_contexts("app.m", textwrap.dedent(text))]


def test_the_imports_inside_functions_and_under_type_checking_are_found() -> None:
    assert contexts(SOURCE) == [
        (6, TYPE_CHECKING_ONLY),
        (17, FUNCTION),  # a method, its signature over several lines
        (21, FUNCTION),
        (23, FUNCTION),
        (28, FUNCTION),  # a function wins over TYPE_CHECKING
    ]


def test_the_text_and_the_syntax_tree_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nested_imports, "_enclosing", _always_unreadable)
    assert contexts(SOURCE) == [
        (6, TYPE_CHECKING_ONLY),
        (17, FUNCTION),
        (21, FUNCTION),
        (23, FUNCTION),
        (28, FUNCTION),
    ]


def _always_unreadable(*_: object) -> str:
    raise nested_imports._Unreadable


def test_a_string_less_indented_than_the_code_sends_the_file_to_the_parser() -> None:
    text = '''
    def f():
        text = """
    class NotCode:
    """
        import json
    '''
    assert contexts(text) == [(6, FUNCTION)]


def test_an_import_in_a_docstring_is_not_an_import_of_the_module() -> None:
    text = '''
    def f():
        """Use it as:

            from app import f
        """
    '''
    # The line is read as an import (the text cannot tell): harmless, since grimp
    # records no import there, and nothing is ever looked up on that line.
    assert contexts(text) in ([], [(5, FUNCTION)])


def test_only_files_with_an_indented_import_are_read() -> None:
    assert INDENTED_IMPORT.search(b"import os\nfrom a import b\n") is None
    assert INDENTED_IMPORT.search(b"def f():\n    from a import b\n") is not None
    assert INDENTED_IMPORT.search(b'"""\n    from the start of time\n"""\n') is None


def test_a_file_that_does_not_parse_has_no_contexts() -> None:
    text = "def f():\n    x = (\n1)\n    import os\n    def (\n"
    assert contexts(text) == []


#: An example in a docstring, less indented than the code around it (SQLAlchemy's).
DOCSTRING_EXAMPLE = (
    "class Engine:\n"
    "    def connect(self):\n"
    '        """Connect.\n'
    "\n"
    "E.g.::\n"
    "\n"
    "    import sqlalchemy\n"
    '        """\n'
    "        import ssl\n"
    "    if TYPE_CHECKING:\n"
    "        import typing\n"
)


def test_imports_in_a_docstrings_example_do_not_send_the_file_to_the_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A docstring's example, less indented than the code around it, is passed over (the
    lines of multi-line strings): the file is not parsed, and the contexts are right."""
    text = DOCSTRING_EXAMPLE

    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(nested_imports, "_parsed", parse)
    assert contexts(text) == [(9, FUNCTION), (11, TYPE_CHECKING_ONLY)]


def test_a_files_contexts_asked_line_by_line_agree_with_the_whole_files() -> None:
    """What a message asks (one line at a time, walked from that line only) is what
    reading the whole file finds, docstrings' examples and a file the walk cannot read
    included."""
    texts = [
        textwrap.dedent(SOURCE),
        DOCSTRING_EXAMPLE,
        "def f():\n    x = (\n1)\n    import os\nif TYPE_CHECKING:\n    import json\n",
    ]
    for text in texts:
        whole = {c.line: c.context for c in import_contexts("app.m", text)}
        asked = nested_imports.FileContexts(text)
        lines = range(1, text.count("\n") + 2)
        assert {line: asked.get(line) for line in lines if asked.get(line)} == whole
        assert dict(nested_imports.FileContexts(text)) == whole


def test_one_line_asked_walks_up_from_that_line_only(monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[int] = []
    original = nested_imports._enclosing

    def enclosing(lines: list[str], number: int, *args: object) -> str:
        walked.append(number)
        return original(lines, number, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(nested_imports, "_enclosing", enclosing)
    text = "def f():\n    import a\n\ndef g():\n    import b\n    import c\n"
    contexts = nested_imports.FileContexts(text)
    assert contexts.get(5) == FUNCTION
    assert contexts.get(5) == FUNCTION  # (once)
    assert walked == [4]
