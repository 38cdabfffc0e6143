"""Property-based tests: generated package trees and configurations.

1. Verdicts agree with a reference checker written here from the definitions:
   a breadth-first search over the generated import edges.
2. Whatever the configuration (misspelt keys, wrong types, modules that do not
   exist) and whatever the source files (random bytes), ``fitness check`` exits
   0, 1 or 2 with no traceback, and an error is one ``fitness: error:`` line.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
import tempfile
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from fitness.adapters.packages import GrimpGraphBuilder
from fitness.adapters.reporters import ReportContext, render
from fitness.adapters.reporters.diagram import Diagram, Edge
from fitness.adapters.reporters.dot import render_dot
from fitness.adapters.reporters.html import HtmlReport, render_html
from fitness.adapters.reporters.markdown import code as markdown_code
from fitness.adapters.reporters.markdown import text as markdown_text
from fitness.adapters.reporters.mermaid import render_mermaid
from fitness.adapters.reporters.sarif import rule_ids as sarif_rule_ids
from fitness.application.checking import check_rule
from fitness.cli import main
from fitness.domain.config import GraphSettings
from fitness.domain.graph import ProjectGraph
from fitness.domain.rendering import (
    MAX_QUOTE,
    printable_line,
    quote_source,
    render_failure,
    shorten,
)
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from fitness.domain.rules.imports.independence import IndependenceRule
from fitness.domain.rules.imports.layers import LayersRule
from fitness.domain.violations import Chain, Link, RuleResult, Violation

PROFILE = settings.get_profile("fitness-robustness")
ROOT = "pkg"
SUBPACKAGES = ("alpha", "beta", "gamma")


# ---- generated projects ------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """Modules (``pkg.alpha.m0``; packages are modules too) and their import statements."""

    subpackages: tuple[str, ...]
    modules: tuple[str, ...]
    #: (importer, imported module, the statement that makes the import)
    imports: tuple[tuple[str, str, str], ...]

    def files(self) -> dict[str, str]:
        texts: dict[str, list[str]] = {m: [] for m in self.modules}
        for importer, _, statement in self.imports:
            texts[importer].append(statement)
        return {path_of(m, self.is_package(m)): "\n".join(t) + "\n" for m, t in texts.items()}

    def is_package(self, module: str) -> bool:
        return module.count(".") <= 1

    @property
    def edges(self) -> set[tuple[str, str]]:
        return {(a, b) for a, b, _ in self.imports if a != b}

    def members(self, package: str) -> set[str]:
        return {m for m in self.modules if m == package or m.startswith(package + ".")}


def path_of(module: str, is_package: bool) -> str:
    parts = module.split(".")
    return "/".join(parts) + "/__init__.py" if is_package else "/".join(parts) + ".py"


def statement(importer: str, imported: str, form: int, importer_is_package: bool) -> str:
    """One of the ways to write an import of ``imported`` that grimp resolves to it."""
    parent, _, name = imported.rpartition(".")
    here = importer if importer_is_package else importer.rpartition(".")[0]
    if form == 1 and parent:
        return f"from {parent} import {name}"
    if form == 2:
        return f"from {imported} import something as _x"
    if form == 3 and parent and parent == here:
        return f"from . import {name}"
    if form == 4:
        return f"import {imported} as _alias"
    return f"import {imported}"


@st.composite
def projects(draw: st.DrawFn) -> Project:
    count = draw(st.integers(2, 3))
    subpackages = SUBPACKAGES[:count]
    modules = [ROOT]
    for sub in subpackages:
        modules.append(f"{ROOT}.{sub}")
        modules += [f"{ROOT}.{sub}.m{i}" for i in range(draw(st.integers(1, 3)))]
    pairs = st.tuples(st.sampled_from(modules), st.sampled_from(modules), st.integers(0, 4))
    imports = []
    for importer, imported, form in draw(st.lists(pairs, min_size=2, max_size=16)):
        is_package = importer.count(".") <= 1
        imports.append((importer, imported, statement(importer, imported, form, is_package)))
    if draw(st.booleans()):
        imports.append((ROOT, "os", "import os"))  # external: not in the graph
    return Project(tuple(subpackages), tuple(modules), tuple(imports))


def write(root: Path, files: Mapping[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def build(project: Project, root: Path) -> ProjectGraph:
    write(root, project.files())
    return GrimpGraphBuilder(root).build(GraphSettings(root_packages=(ROOT,)))


# ---- the reference checker ---------------------------------------------------------


def reaches(
    edges: set[tuple[str, str]], sources: set[str], targets: set[str], removed: set[str]
) -> bool:
    """Whether an import chain leads from ``sources`` to ``targets`` avoiding ``removed``."""
    following: dict[str, list[str]] = {}
    for a, b in edges:
        if a not in removed and b not in removed:
            following.setdefault(a, []).append(b)
    queue, seen = deque(sources - removed), set(sources - removed)
    while queue:
        module = queue.popleft()
        for nxt in following.get(module, ()):
            if nxt in targets:
                return True
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def expected_forbidden(
    project: Project, sources: Iterable[str], forbidden: Iterable[str], direct: bool
) -> set[tuple[str, str]]:
    found = set()
    for s, f in itertools.product(sources, forbidden):
        a, b = project.members(s), project.members(f)
        if direct:
            hit = any(x in a and y in b for x, y in project.edges)
        else:
            hit = reaches(project.edges, a, b, removed=set())
        if hit:
            found.add((s, f))
    return found


def expected_layers(project: Project, layers: list[list[str]]) -> set[tuple[str, str]]:
    """Lower layers may not import higher ones, nor independent siblings each other; a
    chain is charged to a pair only if it avoids the modules of every other layer
    (those make dependencies of their own), as in import-linter."""
    packages = [p for layer in layers for p in layer]
    pairs = []
    for i, layer in enumerate(layers):
        for higher in layer:
            pairs += [(lower, higher) for below in layers[i + 1 :] for lower in below]
            pairs += [(sibling, higher) for sibling in layer if sibling != higher]
    found = set()
    for importer, imported in pairs:
        others = set().union(
            *(project.members(p) for p in packages if p not in (importer, imported))
        )
        if reaches(project.edges, project.members(importer), project.members(imported), others):
            found.add((importer, imported))
    return found


def reported(rule: Any, graph: ProjectGraph) -> set[tuple[str, str]]:
    result = check_rule(rule, graph)
    assert not result.errors, result.errors
    return {(v.importer, v.imported) for v in result.violations}


# ---- 1. verdicts agree with the reference ------------------------------------------


@settings(parent=PROFILE)
@given(project=projects(), data=st.data())
def test_forbidden_agrees_with_the_reference(project: Project, data: st.DataObject) -> None:
    subs = [f"{ROOT}.{s}" for s in project.subpackages]
    sources = data.draw(st.lists(st.sampled_from(subs), min_size=1, unique=True))
    rest = [s for s in subs if s not in sources]
    if not rest:
        sources, rest = sources[:-1], sources[-1:]
    forbidden = data.draw(st.lists(st.sampled_from(rest), min_size=1, unique=True))
    direct = data.draw(st.booleans())
    rule = ForbiddenRule(
        name="f",
        source_modules=tuple(sources),
        forbidden_modules=tuple(forbidden),
        allow_indirect_imports=direct,
    )
    with tempfile.TemporaryDirectory() as tmp:
        graph = build(project, Path(tmp))
        assert reported(rule, graph) == expected_forbidden(project, sources, forbidden, direct)


@settings(parent=PROFILE)
@given(project=projects(), data=st.data())
def test_independence_agrees_with_the_reference(project: Project, data: st.DataObject) -> None:
    subs = [f"{ROOT}.{s}" for s in project.subpackages]
    modules = data.draw(st.lists(st.sampled_from(subs), min_size=2, unique=True))
    rule = IndependenceRule(name="i", modules=tuple(modules))
    with tempfile.TemporaryDirectory() as tmp:
        graph = build(project, Path(tmp))
        assert reported(rule, graph) == expected_layers(project, [modules])


@settings(parent=PROFILE)
@given(project=projects(), data=st.data())
def test_layers_agree_with_the_reference(project: Project, data: st.DataObject) -> None:
    subs = [f"{ROOT}.{s}" for s in project.subpackages]
    order = data.draw(st.permutations(subs))
    # Cut the order into layers; a layer of several packages holds independent siblings.
    cuts = sorted(data.draw(st.sets(st.integers(1, len(order) - 1))))
    layers = [list(order[a:b]) for a, b in itertools.pairwise([0, *cuts, len(order)])]
    rule = LayersRule(name="l", layers=tuple(" | ".join(layer) for layer in layers))
    with tempfile.TemporaryDirectory() as tmp:
        graph = build(project, Path(tmp))
        assert reported(rule, graph) == expected_layers(project, layers)


# ---- 2. never a traceback ------------------------------------------------------------

GOOD_NAMES = st.sampled_from(
    ["pkg.alpha", "pkg.beta", "pkg.gamma", "pkg.alpha.m0", "pkg.beta.m1", "pkg.*"]
)
BAD_NAMES = st.sampled_from(
    ["pkg", "pkg.**", "pkg.alpah", "nothere", "os", "", "pkg..alpha", "pkg.alpha -> pkg.beta"]
)
#: Module names, five times in six one that exists.
NAMES = st.one_of(*[GOOD_NAMES] * 5, BAD_NAMES)
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False, allow_infinity=False)
    | NAMES
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=2),
    max_leaves=4,
)
RULE_OPTIONS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "layers": {
        "layers": st.lists(NAMES, min_size=1, max_size=3, unique=True),
        "containers": st.lists(NAMES, max_size=1),
    },
    "forbidden": {
        "source_modules": st.lists(NAMES, min_size=1, max_size=2),
        "forbidden_modules": st.lists(NAMES, min_size=1, max_size=2),
        "allow_indirect_imports": st.booleans(),
    },
    "independence": {
        "modules": st.lists(NAMES, min_size=1, max_size=3, unique=True),
        "ignore_imports": st.lists(NAMES, max_size=1),
    },
    "acyclic": {"modules": st.lists(NAMES, min_size=1, max_size=2)},
    "metrics": {"max_instability": st.floats(0, 1), "depth": st.integers(1, 3)},
}


#: How many of the options above (the first ones) each rule type requires.
REQUIRED = {"layers": 1, "forbidden": 2, "independence": 1, "acyclic": 1, "metrics": 1}

#: Source text known to trouble parsers (grimp's included).
NASTY = [
    "from ... import x\n",
    "from .... import y\n",
    "from .. import z\n",
    "import pkg.alpha\x00\n",
    b"# -*- coding: latin-1 -*-\nx = '\xe9'\n",
    b"# -*- coding: nonsense -*-\nimport pkg\n",
    b"\xef\xbb\xbfimport pkg.beta\n",
    b"\xff\xfe\x00i\x00m\x00",
    "def broken(:\n",
    "import\n",
    "from . import\n",
    "type X = int\n",
    "\tif True:\n  import pkg\n",
    "import pkg.alpha.m0.nothere\nfrom pkg.nothere import x\n",
]


def misspell(word: str, index: int) -> str:
    i = index % max(len(word), 1)
    return word[:i] + word[i + 1 :] if len(word) > 1 else word + "x"


@st.composite
def configurations(draw: st.DrawFn) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    for number in range(draw(st.sampled_from([0, *[1, 2, 3] * 3]))):
        type_name = draw(st.sampled_from(sorted(RULE_OPTIONS)))
        table: dict[str, Any] = {"name": f"rule {number}", "type": type_name}
        for position, (key, strategy) in enumerate(RULE_OPTIONS[type_name].items()):
            if position < REQUIRED[type_name] or draw(st.booleans()):
                table[key] = draw(strategy)
        for _ in range(draw(st.sampled_from([0, 0, 0, 0, 0, 1, 2]))):  # mistakes, now and then
            mistake = draw(st.sampled_from(["misspell", "retype", "drop", "type"]))
            key = draw(st.sampled_from(sorted(table)))
            if mistake == "misspell":
                table[misspell(key, draw(st.integers(0, 20)))] = table.pop(key)
            elif mistake == "retype":
                table[key] = draw(VALUES)
            elif mistake == "drop":
                table.pop(key)
            else:
                table["type"] = draw(st.sampled_from(["layer", "forbiden", "nope", ""]))
        rules.append(table)
    config: dict[str, Any] = {"root_packages": [ROOT]}
    if draw(st.booleans()) or rules:
        config["rules"] = rules
    if draw(st.integers(0, 7)) == 0:
        config[
            draw(
                st.sampled_from(
                    [
                        "root_packages",
                        "cache_dir",
                        "include_external_packages",
                        "rootpackages",
                        "baseline",
                    ]
                )
            )
        ] = draw(VALUES)
    return config


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        items = (f"{toml_value(k)} = {toml_value(v)}" for k, v in value.items() if v is not None)
        return "{" + ", ".join(items) + "}"
    return '""'


def toml(config: Mapping[str, Any]) -> str:
    lines = ["[tool.fitness]"]
    rules = config.get("rules")
    for key, value in config.items():
        if key == "rules" and isinstance(value, list) and value:
            continue
        if value is not None:
            lines.append(f"{toml_value(key)} = {toml_value(value)}")
    if isinstance(rules, list):
        for table in rules:
            lines.append("\n[[tool.fitness.rules]]")
            lines += [
                f"{toml_value(k)} = {toml_value(v)}" for k, v in table.items() if v is not None
            ]
    return "\n".join(lines) + "\n"


@settings(parent=PROFILE)
@given(
    project=projects(),
    config=configurations(),
    noise=st.one_of(
        *[st.none()] * 4, st.sampled_from(NASTY), st.binary(max_size=60), st.text(max_size=60)
    ),
    noisy=st.sampled_from(["pkg/noise.py", "pkg/alpha/__init__.py", "pkg/__init__.py"]),
    fmt=st.sampled_from(["text", "json"]),
)
def test_never_a_traceback(
    project: Project,
    config: dict[str, Any],
    noise: bytes | str | None,
    noisy: str,
    fmt: str,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root, project.files())
        if noise is not None:
            write(root, {noisy: noise})
        (root / "pyproject.toml").write_text(toml(config), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--config", str(root / "pyproject.toml"), "--format", fmt])
        assert code in (0, 1, 2)
        source = any(w in err.getvalue() for w in ("cannot parse", "cannot read", "analyse"))
        kind = "rule errors" if out.getvalue() else "source" if source else "configuration"
        event(f"exit {code}" + (f" ({kind})" if code == 2 else ""))
        assert "Traceback" not in out.getvalue() + err.getvalue()
        for line in err.getvalue().splitlines():
            assert line.startswith("fitness: "), line
        if code == 2 and not out.getvalue():
            assert err.getvalue().startswith("fitness: error: ")


@settings(parent=PROFILE)
@given(project=projects(), data=st.data())
def test_one_misspelt_option_is_named_with_its_line(project: Project, data: st.DataObject) -> None:
    """In an otherwise valid configuration, a misspelt option is the error, at its line."""
    valid = [
        {"name": f"rule {i}", "type": "independence", "modules": ["pkg.alpha", "pkg.beta"]}
        for i in range(data.draw(st.integers(1, 3)))
    ]
    index = data.draw(st.integers(0, len(valid) - 1))
    wrong = misspell("modules", data.draw(st.integers(0, 6)))
    valid[index][wrong] = valid[index].pop("modules")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root, project.files())
        text = toml({"root_packages": [ROOT], "rules": valid})
        (root / "pyproject.toml").write_text(text, encoding="utf-8")
        line = text.splitlines().index(f'"{wrong}" = ["pkg.alpha", "pkg.beta"]') + 1
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--full", "--config", str(root / "pyproject.toml")])
        assert code == 2
        assert err.getvalue() == (
            f"fitness: error: {root}/pyproject.toml:{line}: [[tool.fitness.rules]] "
            f"#{index + 1} ('rule {index}'): unknown option '{wrong}'; did you mean 'modules'?\n"
        )


# ---- 3. output escaping: untrusted text stays text ---------------------------------

#: Text as a source line or a file name may carry it: control characters, markup, backticks.
UNTRUSTED = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=0x9F),
        st.sampled_from("`![]()<>&|*_#\\\u202e\u2066\u200f\u061c"),
        st.characters(min_codepoint=0xA0, max_codepoint=0x2FFF),
    ),
    max_size=300,
)
#: What no human-readable report may contain raw (newline and tab are layout).
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def untrusted_result(name: str, summary: str, code: str, warning: str) -> RuleResult:
    link = Link("pkg.low", "pkg.high", (1,), f"pkg/{name}.py", code)
    chain = Chain((link,), extra_firsts=(Link(f"pkg.{name}", "pkg.high", (2,), None, code),))
    return RuleResult(
        rule_name=name or "r",
        description=summary,
        violations=(Violation("pkg.low", "pkg.high", summary, (chain,)),),
        errors=(warning,) if len(warning) % 2 else (),
        warnings=(warning,),
        guidance=summary,
    )


@settings(parent=PROFILE)
@given(name=UNTRUSTED, summary=UNTRUSTED, code=UNTRUSTED, warning=UNTRUSTED)
def test_no_control_character_reaches_a_human_readable_report(
    name: str, summary: str, code: str, warning: str
) -> None:
    result = untrusted_result(name, summary, code, warning)
    context = ReportContext()
    for fmt in ("text", "github", "markdown"):
        assert not RAW_CONTROL.search(render(fmt, [result], context)), fmt
    assert not RAW_CONTROL.search(render_failure(result))
    diagram = Diagram(
        depth=None,
        nodes=(f"pkg.{name}", f"pkg.{code}"),
        edges=(Edge(f"pkg.{name}", f"pkg.{code}", 1, True),),
        clusters=(),
    )
    html_text = render_html(HtmlReport(title=name, results=[result], diagram=diagram))
    assert not RAW_CONTROL.search(html_text)
    for text in (render_dot(diagram), render_mermaid(diagram)):
        assert not RAW_CONTROL.search(text)
        assert all(line.count('"') % 2 == 0 for line in text.splitlines())


@settings(parent=PROFILE)
@given(name=UNTRUSTED, summary=UNTRUSTED, code=UNTRUSTED, warning=UNTRUSTED)
def test_github_annotations_are_one_line_each(
    name: str, summary: str, code: str, warning: str
) -> None:
    text = render("github", [untrusted_result(name, summary, code, warning)], ReportContext())
    lines = text.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert "\r" not in text


@settings(parent=PROFILE)
@given(value=UNTRUSTED)
def test_nothing_closes_a_markdown_code_span_early(value: str) -> None:
    span = markdown_code(value)
    fence = len(span) - len(span.lstrip("`"))
    inner = span[fence:-fence]
    assert span.endswith("`" * fence) and not inner.startswith("`") and not inner.endswith("`")
    runs = [len(run) for run in re.findall(r"`+", inner)]
    assert fence not in runs  # CommonMark closes a code span only at a run of equal length
    assert "\n" not in span


@settings(parent=PROFILE)
@given(value=UNTRUSTED)
def test_markdown_text_has_no_markup(value: str) -> None:
    escaped = markdown_text(value)
    unescaped = re.sub(r"\\[\\`*_{}\[\]()#+!|~]|&(lt|gt|amp);", "", escaped)
    assert not re.search(r"[`*_{}\[\]()#+!|~<>]", unescaped)
    assert "\n" not in escaped


@settings(parent=PROFILE)
@given(code=UNTRUSTED, length=st.integers(0, 5_000))
def test_a_quoted_source_line_is_capped(code: str, length: int) -> None:
    quoted = quote_source(code + "x" * length)
    assert len(printable_line(quoted)) == len(quoted)  # printable already
    assert len(shorten(code.strip() + "x" * length, MAX_QUOTE)) <= MAX_QUOTE
    assert len(quoted) <= 6 * MAX_QUOTE  # each character at most one \uXXXX escape


@settings(parent=PROFILE)
@given(names=st.lists(UNTRUSTED.filter(bool), min_size=1, max_size=6, unique=True))
def test_sarif_rule_ids_are_unique_and_stable(names: list[str]) -> None:
    ids = sarif_rule_ids(names)
    assert len(set(ids.values())) == len(names)
    assert sarif_rule_ids(list(reversed(names))) == ids
    log = json.loads(render("sarif", [RuleResult(n, "d") for n in names], ReportContext()))
    assert [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]] == [
        ids[n] for n in names
    ]


# ---- 4. invalid module and import expressions (issue 11 A) ---------------------------

#: Name parts, some of which make an expression grimp refuses ("alp*", "*.**", "", " ").
PARTS = st.sampled_from(["pkg", "alpha", "beta", "m0", "*", "**", "alp*", "*x", "_x*", "", " a"])
EXPRESSIONS = st.lists(PARTS, min_size=1, max_size=4).map(".".join)
IMPORT_EXPRESSIONS = st.tuples(
    EXPRESSIONS, st.sampled_from(["->", " -> ", "  ->  "]), EXPRESSIONS
).map("".join)
WHERE_EXPRESSIONS_GO = {
    "independence": "modules",
    "acyclic": "modules",
    "acyclic_siblings": "ancestors",
    "forbidden": "forbidden_modules",
    "protected": "allowed_importers",
    "modules": "select",
}


def grimp_refuses(expression: str) -> bool:
    import grimp

    try:
        grimp.ImportGraph().find_matching_modules(expression)
    except Exception:  # grimp's own exceptions are not ValueError
        return True
    return False


def rule_table(type_name: str, expression: str) -> str:
    key = WHERE_EXPRESSIONS_GO[type_name]
    extra = {
        "independence": 'modules = ["pkg.beta", ',
        "forbidden": 'source_modules = ["pkg.alpha"]\nforbidden_modules = [',
        "protected": 'protected_modules = ["pkg.beta"]\nallowed_importers = [',
        "modules": "should_be_acyclic = true\nselect = [",
    }.get(type_name, f"{key} = [")
    return (
        f'[[tool.fitness.rules]]\nname = "under test"\ntype = "{type_name}"\n'
        f"{extra}{toml_value(expression)}]\n"
    )


VALID_RULE = (
    '[[tool.fitness.rules]]\nname = "valid"\ntype = "independence"\n'
    'modules = ["pkg.alpha", "pkg.beta"]\n'
)


@settings(parent=PROFILE)
@given(
    project=projects(),
    type_name=st.sampled_from(sorted(WHERE_EXPRESSIONS_GO)),
    expression=EXPRESSIONS,
    ignored=st.one_of(st.none(), IMPORT_EXPRESSIONS),
)
def test_an_invalid_expression_is_a_rule_error_and_the_other_rules_are_checked(
    project: Project, type_name: str, expression: str, ignored: str | None
) -> None:
    # (a list naming pkg.beta twice is a configuration mistake: no rule is checked then)
    assume(not (type_name == "independence" and expression == "pkg.beta"))
    config = f'[tool.fitness]\nroot_packages = ["{ROOT}"]\n\n' + rule_table(type_name, expression)
    if ignored is not None and type_name in ("independence", "acyclic", "forbidden"):
        config += f"ignore_imports = [{toml_value(ignored)}]\n"
        config += 'unmatched_ignore_imports_alerting = "none"\n'
    config += "\n" + VALID_RULE
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write(root, project.files())
        (root / "pyproject.toml").write_text(config, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--full", "--config", str(root / "pyproject.toml")])
    text = out.getvalue() + err.getvalue()
    assert "Traceback" not in text
    assert code in (0, 1, 2), text
    lines = out.getvalue().splitlines()
    # The valid rule is checked whatever happens to the other one.
    assert any(line.split()[1:] == ["valid"] for line in lines if line.split()), text
    if grimp_refuses(expression):
        event(f"invalid {type_name} expression")
        assert code == 2
        assert "ERROR  under test" in lines
        if "*" in expression:  # a plain name is a name: one that is not in the graph
            # (an invalid ignored import, read first, may be the error instead)
            messages = [f"'{expression}' is not a valid module expression: "]
            if ignored is not None:  # not valid, or not even 'importer -> imported'
                messages.append(f"ignore_imports: '{ignored}' is not a valid import expression: ")
                messages.append(f"ignore_imports: '{ignored}' is not an import expression; ")
            assert any(m in line for line in lines for m in messages), text


@settings(parent=PROFILE)
@given(
    patterns=st.lists(EXPRESSIONS, min_size=1, max_size=2),
    excluded=st.lists(EXPRESSIONS, max_size=1),
    targets=st.lists(EXPRESSIONS, min_size=1, max_size=2),
    condition=st.sampled_from(
        ["should_not_import", "should_only_import", "should_be_acyclic", "should_be_independent"]
    ),
)
def test_an_invalid_pattern_in_the_fluent_api_is_a_rule_error(
    patterns: list[str], excluded: list[str], targets: list[str], condition: str
) -> None:
    from fitness.domain.fluent import modules
    from tests.helpers import fake_graph

    graph = fake_graph(
        """
        pkg.alpha.m0 -> pkg.beta.m0
        pkg.beta.m0 -> pkg.alpha
        pkg.beta.m1
        """
    )
    selection = modules(*[p or "pkg" for p in patterns]).excluding(*excluded)
    method = getattr(selection, condition)
    builder = method(*targets) if condition.endswith("import") else method()
    result = builder.evaluate(graph)  # never raises
    invalid = [p for p in [*patterns, *excluded] if "*" in p and grimp_refuses(p)]
    if invalid:
        event("invalid fluent pattern")
        assert result.errors  # each mistake of the rule, the invalid pattern among them
        assert any("is not a valid module expression: " in error for error in result.errors)
