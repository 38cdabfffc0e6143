"""Property-based tests for deep nesting and pathological patterns (issue 11 A, E).

1. Whatever the nesting of an expression in a source file (operator, attribute,
   call and subscript chains, brackets, unary operators, any depth up to 60,000),
   ``fitness check`` analyses the file or refuses it with one line naming it:
   never a crash (grimp's Rust parser overflowed its stack on deep chains), never
   a traceback.
2. Nested TOML arrays and tables of any depth: exit 2 with one line, or read.
3. Packages nested hundreds deep are listed and analysed.
4. The linear package-pattern matcher of the metrics rule agrees with the regular
   expression it replaces (which backtracks for minutes on some patterns).
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from fitness.cli import main
from fitness.domain.rules.metrics.thresholds import package_pattern
from tests.robustness.corpus import LAYERS, SHOP

PROFILE = settings.get_profile("fitness-robustness")

#: How each kind of nesting writes ``depth`` levels around the name ``os``.
NESTINGS: dict[str, Callable[[int], str]] = {
    "operators": lambda depth: "+".join(["os"] * (depth + 1)),
    "attributes": lambda depth: "os" + ".path" * depth,
    "calls": lambda depth: "os" + "()" * depth,
    "subscripts": lambda depth: "os" + "[0]" * depth,
    "parentheses": lambda depth: "(" * depth + "os" + ")" * depth,
    "lists": lambda depth: "[" * depth + "os" + "]" * depth,
    "sets": lambda depth: "{" * depth + "os" + "}" * depth,
    "unary": lambda depth: "-" * depth + "os",
    "power": lambda depth: "**".join(["os"] * (depth + 1)),
    "conditionals": lambda depth: "os if os else " * depth + "os",
}

DEPTHS = st.one_of(st.integers(0, 300), st.integers(300, 5_000), st.integers(5_000, 60_000))


def write(root: Path, files: Mapping[str, str | bytes]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")


def check(root: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--config", str(root / "pyproject.toml")])
    return code, out.getvalue(), err.getvalue()


@settings(parent=PROFILE, max_examples=40)
@given(kind=st.sampled_from(sorted(NESTINGS)), depth=DEPTHS, in_class=st.booleans())
def test_a_deeply_nested_expression_is_analysed_or_named(
    kind: str, depth: int, in_class: bool
) -> None:
    expression = NESTINGS[kind](depth)
    source = (
        f"import os\n\nclass Deep:\n    x = {expression}\n"
        if in_class
        else f"import os\nx = {expression}\n"
    )
    config = LAYERS + '\n[[tool.fitness.rules]]\nname = "lcom"\ntype = "metrics"\nmax_lcom4 = 9\n'
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root, {**SHOP, "shop/domain/deep.py": source, "pyproject.toml": config})
        code, out, err = check(root)
    assert "Traceback" not in out + err
    if code == 2:
        assert out == "" or "ERROR" in out
        (line,) = err.splitlines()
        assert line.startswith("fitness: error: "), line
        assert "shop/domain/deep.py" in line, line
        event(f"{kind}: refused")
    else:
        assert code == 0, out + err
        event(f"{kind}: analysed")


@settings(parent=PROFILE, max_examples=30)
@given(
    depth=st.one_of(st.integers(1, 50), st.integers(50, 3_000)),
    brackets=st.sampled_from([("[", "]"), ("{ a = ", " }"), ("[{ a = ", " }]")]),
)
def test_toml_nested_to_any_depth_is_read_or_one_error(
    depth: int, brackets: tuple[str, str]
) -> None:
    opening, closing = brackets
    value = opening * depth + "1" + closing * depth
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root, {**SHOP, "pyproject.toml": LAYERS + f"extra = {value}\n"})
        code, out, err = check(root)
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"fitness: error: {root}/pyproject.toml"), line
    event("nested too deeply" if "nested too deeply" in line else "read, then refused")


@settings(parent=PROFILE, max_examples=10)
@given(depth=st.integers(1, 400))
def test_packages_nested_hundreds_deep_are_analysed(depth: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        package = "shop/domain/" + "p/" * depth
        files = {
            **SHOP,
            "pyproject.toml": LAYERS,
            **{"shop/domain/" + "p/" * i + "__init__.py": "" for i in range(1, depth + 1)},
            package + "leaf.py": "import shop.application\n",
        }
        write(root, files)
        code, out, err = check(root)
        assert (code, err) == (1, "")
        assert "  shop.domain" + ".p" * depth + ".leaf -> shop.application" in out.splitlines()


def reference_pattern(expression: str) -> re.Pattern[str]:
    """The regular expression the metrics rule used to match packages with."""
    parts = []
    for part in expression.split("."):
        if part == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        else:
            parts.append(r"[^.]*".join(re.escape(p) for p in part.split("*")))
    return re.compile(r"\.".join(parts) + r"\Z")


SEGMENTS = st.one_of(st.just("**"), st.text(alphabet="ab*", max_size=4))
NAMES = st.lists(st.text(alphabet="ab", min_size=1, max_size=4), min_size=1, max_size=6).map(
    ".".join
)


@pytest.mark.slow
@settings(parent=PROFILE, max_examples=1000)
@given(segments=st.lists(SEGMENTS, min_size=1, max_size=5), name=NAMES)
def test_the_package_pattern_matcher_agrees_with_the_regular_expression(
    segments: list[str], name: str
) -> None:
    expression = ".".join(segments)
    expected = reference_pattern(expression).match(name) is not None
    assert package_pattern(expression).match(name) == expected


def test_a_pathological_package_pattern_is_matched_at_once() -> None:
    """``*a*a*...*b`` against a long name backtracks for minutes as a regular expression;
    ``**`` repeated likewise. The matcher takes one pass per piece."""
    names = ["shop." + "a" * 5_000, "shop." + "a." * 2_000 + "c"]
    assert not package_pattern("shop." + "*a" * 2_000 + "*b").match(names[0])
    assert package_pattern("shop." + "*a" * 2_000).match(names[0])
    assert not package_pattern("shop." + "**." * 1_000 + "b").match(names[1])
    assert package_pattern("shop." + "**." * 1_000 + "c").match(names[1])
