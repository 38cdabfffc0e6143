"""The corpus of bad inputs: each case is a small project and the exact outcome expected.

A case describes a project (``pyproject.toml`` text and source files, plus an
optional ``prepare`` step for what text cannot say: symbolic links, a directory
where a file belongs) and what ``fitness check`` and pytest must make of it.
``{root}`` in an expected text stands for the project directory.

Kinds of outcome:

- ``config``: the configuration is wrong. ``fitness check`` exits 2 with one
  ``fitness: error: ...`` line on stderr; pytest reports a collection error
  with the same message.
- ``graph``: the code cannot be analysed (a root package is missing, a file
  cannot be parsed). Exit 2 with one error line; every pytest item fails with it.
- ``rule``: one rule cannot be checked (it names a module that does not exist).
  Exit 2, the rule is listed as ERROR with the message; its pytest item fails.
- ``kept`` / ``broken``: the input is unusual but valid: exit 0 or 1, and the
  pytest items pass or fail accordingly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fitness.adapters.plugin_loading import load_rule_types

SHOP: dict[str, str | bytes] = {
    "shop/__init__.py": "",
    "shop/domain/__init__.py": "",
    "shop/domain/model.py": "import shop.domain.money\n",
    "shop/domain/money.py": "",
    "shop/application/__init__.py": "",
    "shop/application/services.py": "from shop.domain import model\n",
}

LAYERS = """\
[tool.fitness]
root_packages = ["shop"]

[[tool.fitness.rules]]
name = "layered"
type = "layers"
layers = ["shop.application", "shop.domain"]
"""


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # config, graph, rule, kept, broken
    #: The message (config, graph, rule) or a line of the report (kept, broken).
    message: str
    config: str = LAYERS
    #: Files on top of SHOP; ``None`` removes one.
    files: Mapping[str, str | bytes | None] = field(default_factory=dict)
    prepare: Callable[[Path], None] | None = None
    #: config/graph: the line of pyproject.toml the message points at (None: no line).
    line: int | None = None
    #: Whether pytest reads this pyproject.toml itself (malformed TOML stops pytest first).
    pytest_ok: bool = True
    #: Arguments for pytest (pytest itself never ends walking some symlink loops).
    pytest_args: tuple[str, ...] = ()
    #: pytest stops with this usage error instead (``{root}`` as above).
    pytest_usage_error: str | None = None
    #: grimp's Rust core panics on this input and prints a note to stderr itself,
    #: before fitness's message.
    panics: bool = False

    @property
    def code(self) -> int:
        return {"kept": 0, "broken": 1}.get(self.kind, 2)


#: ``python -c`` code that runs the ``fitness`` command (as the installed script does).
FITNESS = [sys.executable, "-c", "import sys; from fitness.cli import main; sys.exit(main())"]


def write_case(root: Path, case: Case) -> Path:
    files: dict[str, str | bytes | None] = {**SHOP, **case.files, "pyproject.toml": case.config}
    for relative, content in files.items():
        if content is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if case.prepare is not None:
        case.prepare(root)
    return root


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every user file under ``root`` with its bytes (a symlink: its target), so that a
    run can be shown to leave them untouched. The cache directory is fitness's own."""
    found: dict[str, bytes | str] = {}
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        dirnames[:] = [d for d in dirnames if d not in (".fitness_cache", ".pytest_cache")]
        for name in [*filenames, *dirnames]:
            path = here / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[relative] = "-> " + os.readlink(path)
            elif path.is_file():
                found[relative] = path.read_bytes()
            else:
                found[relative] = "<dir>"
    return found


def rule(text: str) -> str:
    """A configuration: [tool.fitness] for shop, then ``text``."""
    return '[tool.fitness]\nroot_packages = ["shop"]\n\n' + text


def _symlink_loop(root: Path) -> None:
    os.symlink(root / "shop", root / "shop/domain/loop")  # shop/domain/loop/domain/loop/...
    os.symlink("itself", root / "shop/application/itself")  # a link to itself
    os.symlink("../domain", root / "shop/application/domain_again")  # a second way in


def _special_files(root: Path) -> None:
    os.mkfifo(root / "shop/domain/pipe.py")  # reading it would block (grimp panicked)
    os.symlink("nowhere.py", root / "shop/domain/broken.py")
    (root / "shop/domain/folder.py").mkdir()


def _pyproject_is_a_directory(root: Path) -> None:
    (root / "pyproject.toml").unlink()
    (root / "pyproject.toml").mkdir()


#: The rule types a "did you mean" lists (plugins installed in the environment add theirs).
AVAILABLE = ", ".join(sorted(load_rule_types([], Path.cwd()).classes))

CASES: list[Case] = [
    # ---- malformed and wrongly typed configuration -------------------------------------
    Case(
        "malformed TOML",
        "config",
        "invalid TOML: Unclosed array",
        config='[tool.fitness]\nroot_packages = ["shop"\n\n[[tool.fitness.rules]]\n',
        line=4,
        pytest_ok=False,
    ),
    Case(
        "duplicate key",
        "config",
        "invalid TOML: Cannot overwrite a value",
        config=LAYERS + 'name = "again"\n',
        line=8,
        pytest_ok=False,
    ),
    Case(
        "string where a list is expected",  # accepted: one module is a list of one
        "kept",
        "KEPT   layered",
        config=LAYERS.replace('root_packages = ["shop"]', 'root_packages = "shop"'),
    ),
    Case(
        "list where a boolean is expected",
        "config",
        "[tool.fitness]: option 'include_external_packages' must be true or false, "
        "not a list (['yes'])",
        config=LAYERS.replace(
            "[tool.fitness]\n", '[tool.fitness]\ninclude_external_packages = ["yes"]\n'
        ),
        line=2,
    ),
    Case(
        "number where a string is expected",
        "config",
        "[tool.fitness]: option 'cache_dir' must be a string, not an integer (3)",
        config=LAYERS.replace("[tool.fitness]\n", "[tool.fitness]\ncache_dir = 3\n"),
        line=2,
    ),
    Case(
        "number as a rule name",
        "config",
        "[[tool.fitness.rules]] #1: option 'name' must be a string, not an integer (7)",
        config=LAYERS.replace('name = "layered"', "name = 7"),
        line=5,
    ),
    Case(
        "table where a list is expected",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'layers' must be a list of strings, "
        "not a table ({'top': 'shop.application'})",
        config=LAYERS.replace(
            'layers = ["shop.application", "shop.domain"]', 'layers = { top = "shop.application" }'
        ),
        line=7,
    ),
    Case(
        "number inside a list of strings",
        "config",
        "[tool.fitness]: option 'root_packages' must be a list of strings; item 2 is an "
        "integer (1)",
        config=LAYERS.replace('["shop"]', '["shop", 1]'),
        line=2,
    ),
    Case(
        "float where an integer is expected",
        "config",
        "[[tool.fitness.rules]] #1 ('metrics'): option 'depth' must be an integer, "
        "not a number (2.5)",
        config=rule('[[tool.fitness.rules]]\nname = "metrics"\ntype = "metrics"\ndepth = 2.5\n'),
        line=7,
    ),
    Case(
        "value outside a choice",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'unmatched_ignore_imports_alerting' "
        "must be one of 'none', 'warn', 'error', not 'warning'; did you mean 'warn'?",
        config=LAYERS + 'unmatched_ignore_imports_alerting = "warning"\n',
        line=8,
    ),
    Case(
        "rules as a single table",
        "config",
        "[tool.fitness]: 'rules' must be an array of tables ([[tool.fitness.rules]])",
        config=LAYERS.replace("[[tool.fitness.rules]]", "[tool.fitness.rules]"),
        line=4,
    ),
    Case(
        "rules as an inline table",
        "config",
        "[tool.fitness]: 'rules' must be an array of tables ([[tool.fitness.rules]])",
        config='[tool.fitness]\nroot_packages = ["shop"]\nrules = { name = "x" }\n',
        line=3,
    ),
    Case(
        "a rule that is not a table",
        "config",
        "[tool.fitness]: rule #2 in 'rules' must be a table, not a string ('layers')",
        config='[tool.fitness]\nroot_packages = ["shop"]\nrules = [\n'
        '  { name = "x", type = "independence", modules = ["shop.domain"] },\n'
        '  "layers",\n]\n',
        line=3,
    ),
    # ---- unknown keys and rule types ---------------------------------------------------
    Case(
        "unknown key",
        "config",
        "[tool.fitness]: unknown key 'include_external_package'; "
        "did you mean 'include_external_packages'?",
        config=LAYERS.replace(
            "[tool.fitness]\n", "[tool.fitness]\ninclude_external_package = true\n"
        ),
        line=2,
    ),
    Case(
        "unknown option",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): unknown option 'layerz'; did you mean 'layers'?",
        config=LAYERS.replace("layers = [", "layerz = ["),
        line=7,
    ),
    Case(
        "unknown rule type",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): unknown rule type 'layer'; did you mean "
        f"'layers'? (available: {AVAILABLE})",
        config=LAYERS.replace('type = "layers"', 'type = "layer"'),
        line=6,
    ),
    Case(
        "rule type that is a number",
        "config",
        f"[[tool.fitness.rules]] #1 ('layered'): unknown rule type '3' (available: {AVAILABLE})",
        config=LAYERS.replace('type = "layers"', "type = 3"),
        line=6,
    ),
    Case(
        "rule without a type",
        "config",
        f"[[tool.fitness.rules]] #1 ('layered'): missing 'type' (one of {AVAILABLE})",
        config=LAYERS.replace('type = "layers"\n', ""),
        line=4,
    ),
    Case(
        "missing required option",
        "config",
        "[[tool.fitness.rules]] #1 ('x'): missing required option 'forbidden_modules'",
        config=rule(
            '[[tool.fitness.rules]]\nname = "x"\ntype = "forbidden"\nsource_modules = ["shop"]\n'
        ),
        line=4,
    ),
    # ---- empty rule lists --------------------------------------------------------------
    Case(
        "no rules",
        "config",
        "[tool.fitness]: no rules declared; add at least one [[tool.fitness.rules]] table",
        config='[tool.fitness]\nroot_packages = ["shop"]\n',
        line=1,
    ),
    Case(
        "empty rules",
        "config",
        "[tool.fitness]: 'rules' is empty; declare at least one rule",
        config='[tool.fitness]\nroot_packages = ["shop"]\nrules = []\n',
        line=3,
    ),
    Case(
        "empty layers",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'layers' must name at least one layer",
        config=LAYERS.replace('["shop.application", "shop.domain"]', "[]"),
        line=7,
    ),
    # ---- root packages -----------------------------------------------------------------
    Case(
        "no root packages",
        "config",
        "[tool.fitness]: missing 'root_packages' (the packages to analyse, for example "
        'root_packages = ["mypackage"])',
        config=LAYERS.replace('root_packages = ["shop"]', "root_packages = []"),
        line=1,
    ),
    Case(
        "dotted root package",
        "config",
        "[tool.fitness]: root package 'shop.domain' must be a top-level package name "
        "(no dots, no paths)",
        config=LAYERS.replace('["shop"]', '["shop.domain"]'),
        line=2,
    ),
    Case(
        "missing root package",
        "graph",
        "root package 'shopp' not found in {root}/src, {root} or on sys.path; did you mean 'shop'?",
        config=LAYERS.replace('["shop"]', '["shopp"]'),
        line=2,
    ),
    Case(
        "root package that is a module",
        "graph",
        "root package 'tool' is a single module ({root}/tool.py), not a package",
        config=LAYERS.replace('["shop"]', '["tool"]'),
        files={"tool.py": "import os\n"},
        line=2,
    ),
    # ---- modules that do not exist ------------------------------------------------------
    Case(
        "misspelt layer",
        "rule",
        "layers: module 'shop.aplication' is not in the graph; did you mean 'shop.application'?",
        config=LAYERS.replace('"shop.application",', '"shop.aplication",'),
    ),
    Case(
        "misspelt forbidden module",
        "rule",
        "forbidden_modules: module 'shop.domian' is not in the graph; did you mean 'shop.domain'?",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "forbidden"\n'
            'source_modules = ["shop.application"]\nforbidden_modules = ["shop.domian"]\n'
        ),
    ),
    Case(
        "wildcard matching nothing",
        "rule",
        "modules: the expression 'shop.adapters.*' matches no module",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "independence"\n'
            'modules = ["shop.adapters.*"]\n'
        ),
    ),
    # ---- source files ------------------------------------------------------------------
    Case(
        "syntax error",
        "graph",
        "cannot parse shop/domain/money.py, line 2: def broken(:",
        files={"shop/domain/money.py": "x = 1\ndef broken(:\n"},
    ),
    Case(
        "invalid UTF-8",
        "graph",
        "cannot read shop/domain/money.py: not valid UTF-8 (byte 22)",
        files={"shop/domain/money.py": b"EURO = '\xe2\x82\xac'\nPOUND = '\xa3'\n"},
    ),
    Case(
        "null byte",
        "graph",
        "cannot parse shop/domain/money.py, line 1: x = 1\\x00",
        files={"shop/domain/money.py": b"x = 1\x00\n"},
    ),
    Case(
        "relative import beyond the top-level package",
        "graph",
        "cannot analyse shop/__init__.py, line 2: relative import beyond the top-level "
        "package (from ... import nothing)",
        files={"shop/__init__.py": "import shop.domain\nfrom ... import nothing\n"},
        panics=True,
    ),
    Case(
        "empty source file",  # a module like any other, with no imports
        "kept",
        "KEPT   layered",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "independence"\n'
            'modules = ["shop.domain.empty", "shop.application"]\n'
        ),
        files={"shop/domain/empty.py": ""},
    ),
    Case(
        "byte order mark",
        "broken",
        "  shop.domain.money -> shop.application",
        files={"shop/domain/money.py": b"\xef\xbb\xbfimport shop.application\n"},
    ),
    Case(
        "declared latin-1 encoding",
        "broken",
        "  shop.domain.money -> shop.application",
        files={
            "shop/domain/money.py": b"# -*- coding: latin-1 -*-\nPOUND = '\xa3'\n"
            b"import shop.application\n"
        },
    ),
    Case(
        "symlink loops",
        "kept",
        "KEPT   layered",
        prepare=_symlink_loop,
        pytest_args=("pyproject.toml",),
    ),
    Case(
        "a named pipe, a broken link, a directory named like a module",  # not modules
        "kept",
        "KEPT   layered",
        prepare=_special_files,
    ),
    Case(
        "namespace root package",
        "broken",
        "  shop.domain.model -> shop.application.services",
        files={
            "shop/__init__.py": None,
            "shop/domain/model.py": "import shop.application.services\n",
        },
    ),
    Case(
        "namespace subpackage",  # like grimp and import-linter: not part of the graph
        "rule",
        "layers: module 'shop.domain' is not in the graph",
        files={"shop/domain/__init__.py": None},
    ),
    Case(
        "package that imports itself",
        "kept",
        "KEPT   layered",
        files={
            "shop/__init__.py": "import shop\nfrom shop import domain\n",
            "shop/domain/__init__.py": "import shop.domain\nfrom . import model\n",
            "shop/domain/money.py": "import shop.domain.money\nfrom shop.domain import money\n",
        },
    ),
    Case(
        "module that imports itself, under acyclic",  # a self-import is not a cycle
        "kept",
        "KEPT   no cycles",
        config=rule(
            '[[tool.fitness.rules]]\nname = "no cycles"\ntype = "acyclic"\nmodules = ["shop"]\n'
        ),
        files={
            "shop/domain/__init__.py": "import shop.domain\n",
            "shop/domain/money.py": "import shop.domain.money\nfrom . import money\n",
        },
    ),
    Case(
        "unreadable pyproject.toml",
        "config",
        "is a directory, not a file",
        prepare=_pyproject_is_a_directory,
        pytest_usage_error="ERROR: pytest-fitness: {root}/pyproject.toml: is a directory, "
        "not a file",
    ),
]


#: Rules over an empty list of modules would check nothing: they are configuration
#: errors (a rule that checks nothing must not pass).
CHECKS_NOTHING: list[Case] = [
    Case(
        "independence of no modules",
        "config",
        "[[tool.fitness.rules]] #1 ('x'): option 'modules' must name at least one module",
        config=rule('[[tool.fitness.rules]]\nname = "x"\ntype = "independence"\nmodules = []\n'),
        line=7,
    ),
    Case(
        "forbidden with no sources",
        "config",
        "[[tool.fitness.rules]] #1 ('x'): option 'source_modules' must name at least one module",
        config=rule(
            '[[tool.fitness.rules]]\nname = "x"\ntype = "forbidden"\nsource_modules = []\n'
            'forbidden_modules = ["shop.domain"]\n'
        ),
        line=7,
    ),
]


# ----------------------------------------------------------------------------
# Cases: crashes, parser limits, cache, files, plugins, discovery (issue 11 A-F).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------


CASES += [
    Case(
        # grimp's Rust parser overflowed its stack here (a segmentation fault)
        "an expression of 50,000 terms",
        "graph",
        "cannot parse shop/domain/money.py, line 2: too deeply nested (Python's parser gives up)",
        files={"shop/domain/money.py": "import os\nx = " + "+".join(["1"] * 50_000) + "\n"},
    ),
    Case(
        "a chain of 50,000 attributes",
        "graph",
        "cannot parse shop/domain/money.py, line 1: too deeply nested (Python's parser gives up)",
        files={"shop/domain/money.py": "x = os" + ".path" * 50_000 + "\n"},
    ),
    Case(
        "a plugin inside the root packages",  # importing it would run the analysed code
        "config",
        "plugins: 'shop.domain.model' is part of the analysed package 'shop' (root_packages): "
        "fitness never imports the code it analyses; put the rule types in a module outside "
        "it (for example arch_rules.py beside pyproject.toml)",
        config=LAYERS.replace(
            "[tool.fitness]\n", '[tool.fitness]\nplugins = ["shop.domain.model"]\n'
        ),
        files={"shop/domain/model.py": "raise SystemExit('the analysed code ran')\n"},
        line=2,
    ),
    Case(
        "a plugin that provides no rule types",  # `this` prints the Zen of Python on import
        "config",
        "plugins: 'this' provides no rule types (no fitness_rule_types hook); a plugin is a "
        "module with a fitness_rule_types() function that returns its rule classes (it was "
        "not imported)",
        config=LAYERS.replace("[tool.fitness]\n", '[tool.fitness]\nplugins = ["this"]\n'),
        line=2,
    ),
    Case(
        "a plugin that opens a browser",  # never imported
        "config",
        "plugins: 'antigravity' provides no rule types (no fitness_rule_types hook); a plugin "
        "is a module with a fitness_rule_types() function that returns its rule classes (it "
        "was not imported)",
        config=LAYERS.replace("[tool.fitness]\n", '[tool.fitness]\nplugins = ["antigravity"]\n'),
        line=2,
    ),
    Case(
        "a plugin module without a hook",  # mentions fitness, but defines nothing for it
        "config",
        "plugins: 'arch_rules' provides no rule types (no fitness_rule_types hook); a plugin "
        "is a module with a fitness_rule_types() function that returns its rule classes",
        config=LAYERS.replace("[tool.fitness]\n", '[tool.fitness]\nplugins = ["arch_rules"]\n'),
        files={"arch_rules.py": "import fitness\n"},
        line=2,
    ),
    Case(
        # grimp's parser took 10 GB of memory and 18 s to refuse it (200,000: killed)
        "100,000 nested braces",
        "graph",
        "cannot parse shop/domain/money.py, line 1: too deeply nested (Python's parser gives up)",
        files={"shop/domain/money.py": "x = " + "{" * 100_000 + "1" + "}" * 100_000 + "\n"},
    ),
    Case(
        # grimp took 10 GB of memory and 21 s (quadratic); Python cannot compile it
        "100,000 elif branches",
        "graph",
        "cannot parse shop/domain/money.py, line ?: too deeply nested (Python's parser gives up)",
        files={"shop/domain/money.py": "if x:\n    pass\n" + "elif x:\n    pass\n" * 100_000},
    ),
    Case(
        "many operators in ordinary statements",  # not deep: analysed as usual
        "broken",
        "  shop.domain.money -> shop.application",
        files={
            "shop/domain/money.py": "import shop.application\n"
            + "x = (1 + 2) * (3 - 4) / a.b.c[0]\n" * 3_000
        },
    ),
]


# ----------------------------------------------------------------------------
# Cases: configuration usability (issue 11 G).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
CASES += []


# ----------------------------------------------------------------------------
# Cases: import-linter's edge cases (issue 11 H).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
CASES += []


# ----------------------------------------------------------------------------
# Cases: fitness init (issues 10 and 11).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
CASES += []


# ----------------------------------------------------------------------------
# Cases: invalid module and import expressions (issue 11 A).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
CASES += []


BY_ID = {case.id: case for case in CASES}
