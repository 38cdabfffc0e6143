"""What the core does with the analysed files' blind spots and long lines: every rule
warns about the files that were not read, and a quoted line is capped wherever it goes."""

from __future__ import annotations

from fitness.domain.options import build_rule
from fitness.domain.rules import LayersRule, ModularMonolithRule
from fitness.domain.source_facts import MAX_QUOTE, UnreadFile
from fitness.domain.violations import Link
from tests.helpers import fake_graph

UNREAD = (
    UnreadFile("app.b.env", "app/b/env.py", "a symbolic link to a file outside the project"),
    UnreadFile("app.b.pipe", "app/b/pipe.py", "a named pipe, not a file"),
)


def layers() -> LayersRule:
    return build_rule(LayersRule, {"name": "layers", "layers": ["app.a", "app.b"]})


def test_every_rule_warns_about_the_files_that_were_not_read() -> None:
    graph = fake_graph("app.a.x -> app.b.y", roots=("app",))
    assert layers().result(graph).warnings == ()
    graph = fake_graph("app.a.x -> app.b.y", roots=("app",))
    graph.unread_files = UNREAD
    result = layers().result(graph)
    assert result.passed
    assert result.warnings == (
        "cannot see the imports of 2 files that were not read: app/b/env.py (a symbolic link "
        "to a file outside the project), app/b/pipe.py (a named pipe, not a file)",
    )
    assert graph.copy().unread_files == UNREAD  # (a rule's view without silenced imports)


def test_a_link_keeps_at_most_the_quoted_part_of_its_line() -> None:
    line = "import app.b.y  # " + "x" * 10_000
    link = Link("app.a.x", "app.b.y", (1,), "app/a/x.py", line)
    assert link.code == line[: MAX_QUOTE - 1] + "…"
    assert Link("app.a.x", "app.b.y", code="import app.b.y").code == "import app.b.y"


def test_a_deprecated_dependency_quotes_its_line_capped_and_escaped() -> None:
    graph = fake_graph("app.a.x -> app.b.y", roots=("app",))
    graph.grimp.remove_import(importer="app.a.x", imported="app.b.y")
    long_line = "import app.b.y  # \x1b[2J" + "x" * 10_000
    graph.grimp.add_import(
        importer="app.a.x", imported="app.b.y", line_number=1, line_contents=long_line
    )
    rule = build_rule(
        ModularMonolithRule,
        {
            "name": "modules",
            "modules": {"app.a": {"depends_on": [], "deprecated": ["app.b"]}, "app.b": {}},
        },
    )
    (warning,) = rule.result(graph).warnings
    assert "\x1b" not in warning
    assert "(import app.b.y  # \\x1b[2J" + "x" * 177 + "…)" in warning
