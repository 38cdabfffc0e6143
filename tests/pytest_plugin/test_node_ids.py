"""Each rule's item has a node id pytest can select and ``--lf`` finds again, whatever the
rule's name (issue 19, item 12): ``::`` and ``[`` mean something in a node id, control
characters must not reach the terminal (item 8), and a rule named ``configuration`` is
not the item that stands for an unusable configuration."""

from __future__ import annotations

import json
import re

import pytest

from fitness.adapters.pytest_runs import node_name
from tests.helpers import write_project

#: Rule name -> whether it holds (``app.a`` imports ``app.b``, nothing else).
RULES = {
    "Layers::strict": False,
    "no cycles [strict]": True,
    "configuration": True,
    "red\x1b[31m\u202e": True,
    "ADR-7: Coverage 90%": True,
}

RULE = """
[[tool.fitness.rules]]
name = {name}
type = "forbidden"
source_modules = ["{source}"]
forbidden_modules = ["{target}"]
"""


def project(pytester: pytest.Pytester, rules: dict[str, bool] = RULES) -> None:
    config = '[tool.fitness]\nroot_packages = ["app"]\n' + "".join(
        RULE.format(
            name=json.dumps(name),
            source="app.a" if holds is False else "app.b",
            target="app.b" if holds is False else "app.a",
        )
        for name, holds in rules.items()
    )
    write_project(
        pytester.path,
        config,
        {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": ""},
    )


@pytest.mark.parametrize(
    ("name", "node"),
    [
        ("Layered architecture", "Layered architecture"),
        ("ADR-7: Coverage 90%", "ADR-7: Coverage 90%"),
        ("Layers::strict", "Layers%3A:strict"),
        ("a:::b", "a%3A%3A:b"),
        ("no cycles [strict]", "no cycles %5Bstrict]"),
        ("red\x1b[31m\u202e", "red%1B%5B31m%u202E"),
        ("tab\tnew\nline", "tab%09new%0Aline"),
        ("configuration", "%63onfiguration"),
        ("%63onfiguration", "%2563onfiguration"),
        ("%5B", "%255B"),
        ("%u202e", "%25u202e"),
        ("100%", "100%"),
    ],
)
def test_a_rule_name_becomes_an_item_name(name: str, node: str) -> None:
    assert node_name(name) == node


def test_rules_whose_names_differ_have_items_whose_names_differ() -> None:
    names = [
        "a::b", "a%3A:b", "a%3A%3Ab", "a:%3Ab", "[", "%5B", "%255B", "configuration",
        "%63onfiguration", "\x1b", "%1B", "%", "%%", "%u", "%u00", "\u2028", "%u2028",
    ]  # fmt: skip
    assert len({node_name(name) for name in names}) == len(names)


def test_each_item_is_selected_by_its_node_id(pytester: pytest.Pytester) -> None:
    project(pytester)
    collected = pytester.runpytest("--collect-only", "-q")
    ids = [line for line in collected.stdout.lines if line.startswith("pyproject.toml::")]
    assert ids == [f"pyproject.toml::{node_name(name)}" for name in RULES]
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", collected.stdout.str())
    for name, holds in RULES.items():
        result = pytester.runpytest(f"pyproject.toml::{node_name(name)}", "-p", "no:cacheprovider")
        result.assert_outcomes(passed=1) if holds else result.assert_outcomes(failed=1)


def test_the_last_failed_rule_alone_is_run_again(pytester: pytest.Pytester) -> None:
    project(pytester)
    pytester.runpytest().assert_outcomes(failed=1, passed=4)
    again = pytester.runpytest("--lf", "-v")
    again.assert_outcomes(failed=1)  # and nothing else ran
    again.stdout.fnmatch_lines(["pyproject.toml::Layers%3A:strict FAILED*"])


def test_a_rule_named_configuration_is_not_the_unusable_configuration(
    pytester: pytest.Pytester,
) -> None:
    """The configuration is broken (an unknown rule type), then fixed: the rule named
    `configuration` is not taken for the item that failed."""
    project(pytester, {"configuration": True})
    pyproject = pytester.path / "pyproject.toml"
    good = pyproject.read_text()
    pyproject.write_text(good.replace('"forbidden"', '"forbiden"'))
    broken = pytester.runpytest("-v")
    broken.assert_outcomes(failed=1)
    broken.stdout.fnmatch_lines(["pyproject.toml::configuration FAILED*"])
    pyproject.write_text(good)
    fixed = pytester.runpytest("-v", "pyproject.toml::configuration")
    assert fixed.ret == pytest.ExitCode.USAGE_ERROR  # not found: no such item now
    selected = pytester.runpytest("-v", "pyproject.toml::%63onfiguration")
    selected.assert_outcomes(passed=1)


HOSTILE = "x\x1b[2J\u202e"


@pytest.mark.parametrize(
    ("config", "shown"),
    [
        pytest.param(
            f'root_packages = ["{json.dumps(HOSTILE)[1:-1]}"]\n' + RULE,
            "root package 'x\\x1b[2J\\u202e' must be a package name",
            id="a configuration error",
        ),
        pytest.param(
            'root_packages = ["app"]\n'
            + RULE.replace("name = {name}", f"name = {json.dumps(HOSTILE)}")
            + 'ignore_imports = ["app.b -> app.a"]\nunmatched_ignore_imports_alerting = "warn"\n',
            "FitnessWarning: x\\x1b[2J\\u202e: ignore_imports: 'app.b -> app.a' matches no import",
            id="a warning",
        ),
    ],
)
def test_what_pytest_prints_for_us_is_escaped(
    pytester: pytest.Pytester, config: str, shown: str
) -> None:
    write_project(
        pytester.path,
        "[tool.fitness]\n" + config.format(name='"r"', source="app.b", target="app.a"),
        {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": ""},
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    output = result.stdout.str()
    assert shown in output
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", output)
