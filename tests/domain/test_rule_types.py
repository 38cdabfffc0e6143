"""The built-in rule types are listed once (fitness.domain.rule_types); all else follows.

Adding a built-in rule type means its module, one line in ``BUILTIN_RULE_TYPES`` and its
page (then ``scripts/gen_docs.py`` regenerates what is derived): these tests say what
the line gives, and that no other list of the rule types is kept by hand.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import fitness
from fitness._lazy import resolve
from fitness.application.plugins import make_plugin_manager, rule_type_registry
from fitness.domain.rule_types import BUILTIN_RULE_TYPES, BuiltinRuleType
from fitness.domain.rules import BUILTIN_RULE_REFS, builtin_rule_types
from fitness.domain.rules.base import Rule

ROOT = Path(__file__).resolve().parents[2]
TYPE_NAMES = {rule_type.type_name for rule_type in BUILTIN_RULE_TYPES}
CLASS_NAMES = {rule_type.class_name for rule_type in BUILTIN_RULE_TYPES}
#: Type names that are words of other lists too (``fitness.classes``, ``fitness metrics``).
WORDS = {"classes", "functions", "modules", "metrics", "dependencies"}
#: Lists that name some rule types for a reason of their own, not to list them all:
#: the import-linter contract types, each with the rule type it becomes.
NOT_LISTS_OF_RULE_TYPES = {"importlinter_contracts.py"}


@pytest.mark.parametrize("rule_type", BUILTIN_RULE_TYPES, ids=lambda t: t.type_name)
def test_each_line_names_a_rule_class_of_that_type(rule_type: BuiltinRuleType) -> None:
    rule_class = resolve(rule_type.target)
    assert isinstance(rule_class, type) and issubclass(rule_class, Rule)
    assert rule_class.type_name == rule_type.type_name
    assert rule_class.__name__ == rule_type.class_name
    assert not inspect.isabstract(rule_class)


@pytest.mark.parametrize("rule_type", BUILTIN_RULE_TYPES, ids=lambda t: t.type_name)
def test_each_rule_type_has_its_page_and_is_exported(rule_type: BuiltinRuleType) -> None:
    page = ROOT / "docs" / rule_type.docs
    assert page.is_file(), page
    title = page.read_text(encoding="utf-8").splitlines()[0]
    assert title.startswith("# ") and f"`{rule_type.type_name}`" in title
    assert rule_type.class_name in fitness.__all__
    assert getattr(fitness, rule_type.class_name) is resolve(rule_type.target)
    assert rule_type.summary and "|" not in rule_type.summary  # a cell of the docs' table


def test_the_plugin_manager_the_exports_and_the_lists_come_from_the_one_table() -> None:
    registry = rule_type_registry(make_plugin_manager())

    assert {info.type_name for info in registry} == TYPE_NAMES
    assert [ref.type_name for ref in BUILTIN_RULE_REFS] == [t.type_name for t in BUILTIN_RULE_TYPES]
    assert [cls.type_name for cls in builtin_rule_types()] == [
        t.type_name for t in BUILTIN_RULE_TYPES
    ]
    assert len(TYPE_NAMES) == len(CLASS_NAMES) == len(BUILTIN_RULE_TYPES)
    assert set(dir(fitness)) >= CLASS_NAMES


def _generated_lines(text: str) -> set[int]:
    """The lines between ``# generated:`` and ``# end`` (checked by tests/docs)."""
    lines, inside = set(), False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("# generated:"):
            inside = True
        elif line.strip() == "# end":
            inside = False
        elif inside:
            lines.add(number)
    return lines


def hand_kept_lists(path: Path) -> list[str]:
    """Where a file lists three or more built-in rule types by hand: a list, tuple, set or
    dict of their names or class names, or imports of their classes."""
    text = path.read_text(encoding="utf-8")
    generated = _generated_lines(text)
    found = []
    for node in ast.walk(ast.parse(text)):
        if getattr(node, "lineno", 0) in generated:
            continue
        if isinstance(node, ast.List | ast.Tuple | ast.Set | ast.Dict):
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            names = {
                item.value
                for item in items
                if isinstance(item, ast.Constant)
                and item.value in (TYPE_NAMES - WORDS) | CLASS_NAMES
            }
        elif isinstance(node, ast.ImportFrom):
            names = {alias.name for alias in node.names if alias.name in CLASS_NAMES}
        else:
            continue
        if len(names) >= 3:
            found.append(f"{path.name}:{node.lineno}: {sorted(names)}")
    return found


def test_no_other_list_of_the_rule_types_is_kept_by_hand() -> None:
    sources = [*sorted((ROOT / "fitness").rglob("*.py")), ROOT / "scripts" / "gen_docs.py"]
    the_table = ROOT / "fitness" / "domain" / "rule_types.py"

    found = [
        line
        for path in sources
        if path != the_table and path.name not in NOT_LISTS_OF_RULE_TYPES
        for line in hand_kept_lists(path)
    ]

    assert found == []


def test_a_hand_kept_list_is_found(tmp_path: Path) -> None:
    module = tmp_path / "somewhere.py"
    module.write_text(
        'TYPES = ("layers", "forbidden", "acyclic")\n'
        "from fitness.domain.rules import ForbiddenRule, LayersRule, OnionRule\n"
        'NOT_ONE = ("classes", "functions", "modules")\n',
        encoding="utf-8",
    )

    assert sorted(hand_kept_lists(module)) == [
        "somewhere.py:1: ['acyclic', 'forbidden', 'layers']",
        "somewhere.py:2: ['ForbiddenRule', 'LayersRule', 'OnionRule']",
    ]
