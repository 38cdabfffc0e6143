"""The documentation site: its generated parts are current, the README stays short.

The command line and configuration references and the output of the examples shown in
the pages are produced by ``scripts/gen_docs.py``; these tests produce them again, in
memory, and compare.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from fitness.domain.rule_types import BUILTIN_RULE_TYPES

ROOT = Path(__file__).resolve().parents[2]
FIX = "the generated documentation is out of date: run python scripts/gen_docs.py"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_docs", module)
    spec.loader.exec_module(module)
    return module


gen_docs = load_generator()


def drift(only: set[str] | None) -> str:
    """What differs between the pages and their regenerated text, as a diff."""
    diffs = []
    for path, (now, expected) in gen_docs.expected_pages(ROOT, only).items():
        if now != expected:
            name = str(path.relative_to(ROOT))
            diff = difflib.unified_diff(
                now.splitlines(), expected.splitlines(), name, f"{name} (regenerated)", lineterm=""
            )
            diffs.append("\n".join(list(diff)[:40]))
    return "\n\n".join(diffs)


def generated_names() -> set[str]:
    names: set[str] = set()
    for path in gen_docs.page_files(ROOT):
        text = path.read_text(encoding="utf-8")
        names.update(gen_docs.markers(path, text))
    return names


def test_the_command_line_and_configuration_references_match_the_code() -> None:
    differences = drift({"cli", "configuration"})
    assert not differences, f"{FIX}\n\n{differences}"


@pytest.mark.slow  # runs `fitness` seven times, each in a process of its own
def test_the_output_shown_in_the_docs_is_what_the_examples_print_now() -> None:
    differences = drift(set(gen_docs.EXAMPLES))
    assert not differences, f"{FIX}\n\n{differences}"


def test_every_subcommand_and_every_rule_type_has_its_generated_section() -> None:
    from fitness.cli import COMMANDS

    cli = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    configuration = (ROOT / "docs" / "reference" / "configuration.md").read_text("utf-8")
    assert [c for c in COMMANDS if f"## `fitness {c}`" not in cli] == []
    types = [rule_type.type_name for rule_type in BUILTIN_RULE_TYPES]
    assert [t for t in types if f"## `{t}`\n" not in configuration] == []
    assert "| `--fitness-update-baseline` |" in cli


def test_each_example_and_each_reference_is_shown_somewhere() -> None:
    assert generated_names() == set(gen_docs.GENERATORS)


def test_an_unknown_generated_part_names_the_page_and_the_known_parts() -> None:
    text = "<!-- generated: shop-chek -->\n<!-- end -->\n"
    with pytest.raises(SystemExit) as raised:
        gen_docs.regenerate(text, {}, "docs/x.md")
    assert str(raised.value).startswith("docs/x.md: unknown generated part 'shop-chek' (known: ")


def test_the_readme_is_at_most_15_kb_and_keeps_the_set_up_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode()) <= 15 * 1024
    assert (
        "```bash\npython3 -m venv .venv && .venv/bin/pip install -q . && "
        "(cd examples/shop && ../../.venv/bin/fitness check)\n"
        ".venv/bin/pip install -q '.[test]' && .venv/bin/pytest -n 2\n```\n"
    ) in readme


def test_the_readme_links_to_pages_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(((?!https?:)[^)#]+)(?:#[^)]*)?\)", readme)
    assert len(targets) > 15
    assert [t for t in targets if not (ROOT / t).is_file()] == []


def test_every_page_is_in_the_site_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = sorted(str(p.relative_to(ROOT / "docs")) for p in (ROOT / "docs").rglob("*.md"))
    assert [p for p in pages if f" {p}\n" not in nav] == []
