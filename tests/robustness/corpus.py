"""The corpus of bad inputs: each case is a small project and the exact outcome expected.

A case describes a project (``pyproject.toml`` text and source files, plus an
optional ``prepare`` step for what text cannot say: symbolic links, a directory
where a file belongs) and what ``fitness check`` and pytest must make of it.
``{root}`` in an expected text stands for the project directory.

Kinds of outcome:

- ``config``: the configuration is wrong. ``fitness check`` exits 2 with one
  ``fitness: error: ...`` line on stderr; pytest reports one failing item with
  the same message (and runs the other tests).
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

from fitness.adapters.config.plugins import load_rule_types
from tests.helpers import settled

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
        settled(path)
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
    # ---- empty rule lists (no rules at all is valid: see block G) -------------------
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
        "namespace subpackage",  # Python imports it (PEP 420): part of the graph
        "kept",
        "KEPT   layered",
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
CASES += [
    Case(
        "a string where a list of layers is expected",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'layers' must be a list of strings, "
        "not a string ('shop.domain'): write layers = [\"shop.domain\"]",
        config=LAYERS.replace('["shop.application", "shop.domain"]', '"shop.domain"'),
        line=7,
    ),
    Case(
        "a string where a list of root packages is expected",
        "config",
        "[tool.fitness]: option 'root_packages' must be a list of strings, not a string "
        "('shop'): write root_packages = [\"shop\"]",
        config=LAYERS.replace('["shop"]', '"shop"'),
        line=2,
    ),
    Case(
        "a string where a list of plugins is expected",
        "config",
        "[tool.fitness]: option 'plugins' must be a list of strings, not a string "
        "('arch_rules'): write plugins = [\"arch_rules\"]",
        config=LAYERS.replace('["shop"]\n', '["shop"]\nplugins = "arch_rules"\n'),
        line=3,
    ),
    Case(
        "a string where a list is expected in a fluent rule",
        "config",
        "[[tool.fitness.rules]] #1 ('x'): option 'should_not_import' must be a list of "
        "strings, not a string ('shop.application'): write should_not_import = "
        '["shop.application"]',
        config=rule(
            '[[tool.fitness.rules]]\nname = "x"\ntype = "modules"\nselect = ["shop.domain"]\n'
            'should_not_import = "shop.application"\n'
        ),
        line=8,
    ),
    Case(
        "a layers rule of one layer checks nothing",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'layers' names one layer "
        "('shop.domain'); a layers rule needs at least two (or one of several independent "
        "siblings, 'a | b'): one layer alone checks nothing",
        config=LAYERS.replace('["shop.application", "shop.domain"]', '["shop.domain"]'),
        line=7,
    ),
    Case(
        "one layer of independent siblings is a rule",
        "broken",
        "shop.application is not allowed to import shop.domain:",
        config=LAYERS.replace(
            '["shop.application", "shop.domain"]', '["shop.application | shop.domain"]'
        ),
    ),
    Case(
        "an independence rule of one module checks nothing",
        "config",
        "[[tool.fitness.rules]] #1 ('x'): option 'modules' names one module ('shop.domain'); "
        "independence needs at least two (or a pattern such as 'pkg.*'): one module alone "
        "checks nothing",
        config=rule(
            '[[tool.fitness.rules]]\nname = "x"\ntype = "independence"\nmodules = ["shop.domain"]\n'
        ),
        line=7,
    ),
    Case(
        "imports under if __name__ == '__main__' are left out when asked",
        "kept",
        "KEPT   layered",
        config=LAYERS.replace('["shop"]\n', '["shop"]\nexclude_main_block_imports = true\n'),
        files={
            "shop/domain/cli.py": "import sys\n\nif __name__ == '__main__':\n"
            "    import shop.application.services\n",
        },
    ),
    Case(
        "imports under if __name__ == '__main__' count by default",
        "broken",
        "shop.domain is not allowed to import shop.application:",
        files={
            "shop/domain/cli.py": "if __name__ == '__main__':\n"
            "    import shop.application.services\n",
        },
    ),
]


# ----------------------------------------------------------------------------
# Cases: import-linter's edge cases (issue 11 H).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
#: A service that is a portion of the namespace packages ``company`` and ``company.team``.
SERVICE: dict[str, str | bytes | None] = {
    "company/team/service/__init__.py": "",
    "company/team/service/domain/__init__.py": "",
    "company/team/service/domain/model.py": "from ..adapters import db\n",
    "company/team/service/adapters/__init__.py": "",
    "company/team/service/adapters/db.py": "import company.team.other.util\n",
    "company/team/other/util.py": "",
}
SERVICE_LAYERS = """\
[tool.fitness]
root_packages = ["company.team.service"]

[[tool.fitness.rules]]
name = "layered"
type = "layers"
layers = ["company.team.service.adapters", "company.team.service.domain"]
"""
#: import-linter's ``protected`` contract with an allowed importer that does not exist.
STALE_ALLOWED_IMPORTER = """\
[[tool.{tool}]]
name = "layered"
type = "protected"
protected_modules = ["shop.domain.money"]
allowed_importers = ["shop.domain.model", "shop.domain.gone"]
as_packages = false
"""


def importlinter(text: str) -> str:
    """An import-linter configuration: [tool.importlinter] for shop, then ``text``."""
    return '[tool.importlinter]\nroot_packages = ["shop"]\n\n' + text


CASES += [
    Case(
        "root package in a namespace package",
        "broken",
        "  company.team.service.domain.model -> company.team.service.adapters.db",
        config=SERVICE_LAYERS,
        files=SERVICE,
    ),
    Case(
        "import-linter root package in a namespace package",
        "broken",
        "  company.team.service.domain.model -> company.team.service.adapters.db",
        config=SERVICE_LAYERS.replace("tool.fitness.rules", "tool.importlinter.contracts").replace(
            "tool.fitness", "tool.importlinter"
        ),
        files=SERVICE,
    ),
    Case(
        "namespace root package that is a namespace too",  # no __init__.py in the service
        "broken",
        "  company.team.service.domain.model -> company.team.service.adapters.db",
        config=SERVICE_LAYERS,
        files={**SERVICE, "company/team/service/__init__.py": None},
    ),
    Case(
        "misspelt root package in a namespace package",
        "graph",
        "root package 'company.team.servic' not found in {root}/company/team; "
        "did you mean 'company.team.service'?",
        config=SERVICE_LAYERS.replace('["company.team.service"]', '["company.team.servic"]'),
        files=SERVICE,
        line=2,
    ),
    Case(
        "misspelt namespace package above a root package",
        "graph",
        "root package 'company.tem.service': 'company.tem' is not in {root}/company; "
        "did you mean 'company.team'?",
        config=SERVICE_LAYERS.replace('["company.team.service"]', '["company.tem.service"]'),
        files=SERVICE,
        line=2,
    ),
    Case(
        "dotted root package inside a regular package",  # grimp: NotATopLevelModule
        "graph",
        "root package 'shop.domain' is inside the regular package 'shop' "
        "({root}/shop/__init__.py); a root package is a top-level package or a portion of "
        "a namespace package (name 'shop' instead?)",
        config=LAYERS.replace('["shop"]', '["shop.domain"]'),
        line=2,
    ),
    Case(
        "root package that is a path",
        "config",
        "[tool.fitness]: root package 'src/shop' must be a package name: a top-level package, "
        "or a portion of a namespace package ('company.team.service'); no paths",
        config=LAYERS.replace('["shop"]', '["src/shop"]'),
        line=2,
    ),
    Case(
        "ignore_imports without spaces around the arrow",
        "kept",
        "KEPT   layered",
        config=LAYERS + 'ignore_imports = ["shop.domain.model->shop.application.services"]\n',
        files={"shop/domain/model.py": "import shop.application.services\n"},
    ),
    Case(
        "import-linter ignore_imports with extra spaces around the arrow",
        "kept",
        "KEPT   layered",
        config=importlinter(
            '[[tool.importlinter.contracts]]\nname = "layered"\ntype = "layers"\n'
            'layers = ["shop.application", "shop.domain"]\n'
            'ignore_imports = ["shop.domain.model  ->  shop.application.*"]\n'
        ),
        files={"shop/domain/model.py": "import shop.application.services\n"},
    ),
    Case(
        "import-linter protected contract with an allowed importer that no longer exists",
        "kept",
        "KEPT   layered",
        config=importlinter(STALE_ALLOWED_IMPORTER.format(tool="importlinter.contracts")),
    ),
    Case(
        "protected rule with an allowed importer that no longer exists",  # a warning
        "kept",
        "  warning: allowed_importers: module 'shop.domain.gone' is not in the graph, so it "
        "allows nothing; did you mean 'shop.domain.money'?",
        config=rule(STALE_ALLOWED_IMPORTER.format(tool="fitness.rules")),
    ),
    Case(
        "protected rule with an allowed package that does not exist",  # as in import-linter
        "rule",
        "allowed_importers: module 'shop.domain.gone' is not in the graph; "
        "did you mean 'shop.domain.money'?",
        config=rule(
            STALE_ALLOWED_IMPORTER.format(tool="fitness.rules").replace(
                "as_packages = false", "as_packages = true"
            )
        ),
    ),
]


# ----------------------------------------------------------------------------
# Cases: fitness init (issues 10 and 11).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
CASES += []


# ----------------------------------------------------------------------------
# Cases: invalid module and import expressions (issue 11 A).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
WHOLE_PART = "a wildcard must be a whole name part ('*' for one, '**' for any number)"
WITH_EXTERNALS = '[tool.fitness]\nroot_packages = ["shop"]\ninclude_external_packages = true\n\n'

CASES += [
    Case(
        "wildcard replacing part of a name",
        "rule",
        f"modules: 'shop.adapters*' is not a valid module expression: {WHOLE_PART}, "
        "not part of 'adapters*'",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "independence"\n'
            'modules = ["shop.adapters*", "shop.domain"]\n'
        ),
    ),
    Case(
        "wildcard followed by a recursive wildcard",
        "rule",
        "modules: 'shop.*.**' is not a valid module expression: '**' cannot be next to "
        "another wildcard ('*.**')",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "acyclic"\nmodules = ["shop.*.**"]\n'
        ),
    ),
    Case(
        "invalid wildcard in an ignored import",
        "rule",
        f"ignore_imports: 'a._x* -> b.**' is not a valid import expression: the importer "
        f"'a._x*': {WHOLE_PART}, not part of '_x*'",
        config=LAYERS + 'ignore_imports = ["a._x* -> b.**"]\n',
    ),
    Case(
        "empty name part in an ignored import",
        "rule",
        "ignore_imports: 'shop.domain -> shop..model' is not a valid import expression: the "
        "imported 'shop..model': it has an empty name part (two dots in a row, or a dot at "
        "an end)",
        config=LAYERS + 'ignore_imports = ["shop.domain -> shop..model"]\n',
    ),
    Case(
        "ignored import without spaces around the arrow",  # import-linter accepts it too
        "kept",
        "KEPT   layered",
        config=LAYERS + 'ignore_imports = ["shop.domain.model->shop.domain.money"]\n'
        'unmatched_ignore_imports_alerting = "none"\n',
    ),
    Case(
        "invalid pattern in a forbidden rule",
        "rule",
        "forbidden_modules: '**.*' is not a valid module expression: '**' cannot be next to "
        "another wildcard ('**.*')",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "forbidden"\n'
            'source_modules = ["shop.domain"]\nforbidden_modules = ["**.*"]\n'
        ),
    ),
    Case(
        "external package as an acyclic_siblings ancestor",
        "rule",
        "ancestors: 'json' is an external package, a single module in the graph without "
        "children; name a package inside the root packages (shop)",
        config=WITH_EXTERNALS
        + '[[tool.fitness.rules]]\nname = "layered"\ntype = "acyclic_siblings"\n'
        'ancestors = ["json"]\n',
        files={"shop/domain/money.py": "import json\n"},
    ),
    Case(
        "external package as a protected allowed importer, as packages",
        "rule",
        "allowed_importers: 'json' is an external package, a single module in the graph "
        "without descendants; set as_packages = false, or name modules inside the root "
        "packages (shop)",
        config=WITH_EXTERNALS + '[[tool.fitness.rules]]\nname = "layered"\ntype = "protected"\n'
        'protected_modules = ["shop.domain"]\nallowed_importers = ["json"]\n',
        files={"shop/domain/money.py": "import json\n"},
    ),
    Case(
        "external package as acyclic slices",
        "rule",
        "modules: 'json' is an external package, a single module in the graph without "
        "children; name a package inside the root packages (shop)",
        config=WITH_EXTERNALS
        + '[[tool.fitness.rules]]\nname = "layered"\ntype = "acyclic"\nmodules = ["json"]\n',
        files={"shop/domain/money.py": "import json\n"},
    ),
    Case(
        "invalid pattern in a declared fluent rule",
        "rule",
        "select: 'shop.domain*' is not a valid module expression: "
        f"{WHOLE_PART}, not part of 'domain*'",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "modules"\n'
            'select = ["shop.domain*"]\nshould_be_acyclic = true\n'
        ),
    ),
]


BY_ID = {case.id: case for case in CASES}


# ----------------------------------------------------------------------------
# Cases: untrusted text in output (issue 11 D).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
CASES += [
    Case(
        "terminal escape codes in a comment on an import line",  # could draw a fake "KEPT"
        "broken",
        "    shop/domain/money.py:1  import shop.application.services  "
        "# \\x1b[2K\\x1b[1G\\x1b[32mKEPT   layered\\x1b[0m",
        files={
            "shop/domain/money.py": (
                "import shop.application.services  # \x1b[2K\x1b[1G\x1b[32mKEPT   layered\x1b[0m\n"
            )
        },
    ),
    Case(
        "bidirectional override in a comment on an import line",
        "broken",
        "    shop/domain/money.py:1  import shop.application.services  # \\u202eevil",
        files={"shop/domain/money.py": "import shop.application.services  # \u202eevil\n"},
    ),
    Case(
        "an import line of 100,000 characters",  # quoted up to 200 characters
        "broken",
        "    shop/domain/money.py:1  import shop.application.services  # "
        + "x" * (200 - len("import shop.application.services  # ") - 1)
        + "…",
        files={
            "shop/domain/money.py": "import shop.application.services  # " + "x" * 100_000 + "\n"
        },
    ),
]


# ----------------------------------------------------------------------------
# Cases: the strangler_fig rule type (issue 13, item 5).
# ----------------------------------------------------------------------------
#: Named "layered" as every case's rule is (the corpus's checks look for that name).
STRANGLER = '[[tool.fitness.rules]]\nname = "layered"\ntype = "strangler_fig"\n'
CASES += [
    Case(
        "strangler fig whose replacement sits inside the legacy package",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'replacement' (shop.domain.new) and "
        "option 'legacy' (shop.domain) must be separate packages, neither inside the other",
        config=rule(STRANGLER + 'legacy = "shop.domain"\nreplacement = "shop.domain.new"\n'),
        line=8,
    ),
    Case(
        "strangler fig without a replacement",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): missing required option 'replacement'",
        config=rule(STRANGLER + 'legacy = "shop.domain"\n'),
        line=4,
    ),
    Case(
        "strangler fig with a misspelt legacy package",
        "rule",
        "legacy: module 'shop.domian' is not in the graph; did you mean 'shop.domain'?",
        config=rule(STRANGLER + 'legacy = "shop.domian"\nreplacement = "shop.application"\n'),
    ),
    Case(
        "strangler fig whose replacement imports the legacy code, without a baseline",
        "broken",
        "  shop.application.services -> shop.domain.model",
        config=rule(STRANGLER + 'legacy = "shop.domain"\nreplacement = "shop.application"\n'),
    ),
]


# ----------------------------------------------------------------------------
# Cases: architecture styles as rule types: clean_architecture, onion, event_driven,
# and every rule's decision record (adr) (issue 13, items 4 and 6).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
CASES += [
    Case(
        "decision record that does not exist",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'adr': no file "
        "'docs/adr/0001-layers.md' (a path relative to pyproject.toml, or a URL)",
        config=LAYERS + 'adr = "docs/adr/0001-layers.md"\n',
        line=8,
    ),
    Case(
        "decision record that is a directory",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'adr': 'shop' is a directory; name "
        "the record's file",
        config=LAYERS + 'adr = "shop"\n',
        line=8,
    ),
    Case(
        "decision record given as a web address",
        "kept",
        "KEPT   layered",
        config=LAYERS + 'adr = "https://example.com/adr/1"\n',
    ),
    Case(
        "clean architecture of one ring",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'rings' must name at least two "
        "rings, from the centre outwards",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "clean_architecture"\n'
            'rings = ["shop.domain"]\n'
        ),
        line=7,
    ),
    Case(
        "clean architecture ring inside another ring",
        "rule",
        "rings: 'shop.domain.model' (the use cases ring) is inside 'shop.domain' (the "
        "entities ring); each module belongs to one ring",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "clean_architecture"\n'
            'rings = ["shop.domain", "shop.domain.model", "shop.application", "shop"]\n'
        ),
    ),
    Case(
        "onion layer written as layers siblings",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'domain_models': 'shop.domain | "
        "shop.application' is not a module; a layer of several modules lists them: "
        'domain_models = ["shop.domain", "shop.application"]',
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "onion"\n'
            'domain_models = ["shop.domain | shop.application"]\nadapters = ["shop.x"]\n'
        ),
        line=7,
    ),
    Case(
        "onion adapter that is not in the graph",
        "rule",
        "adapters: module 'shop.adapters' is not in the graph",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "onion"\n'
            'domain_models = ["shop.domain"]\nadapters = { web = "shop.adapters" }\n'
        ),
    ),
    Case(
        "event publisher that is also a subscriber",
        "rule",
        "publishers: 'shop.domain' overlaps the subscriber 'shop.domain.model'",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "event_driven"\n'
            'publishers = ["shop.domain"]\nsubscribers = ["shop.domain.model"]\n'
        ),
    ),
]


# ----------------------------------------------------------------------------
# Cases: architecture styles, bounded_contexts and cqrs (issue 13).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
CONTEXTS = (
    '[[tool.fitness.rules]]\nname = "layered"\ntype = "bounded_contexts"\n'
    'contexts = ["shop.domain", "shop.application"]\n'
)
CASES += [
    Case(
        "a relation of the context map with a misspelt key",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'context_map', relation 1: unknown key "
        "'downstrem'; did you mean 'downstream'? (a relation has upstream, downstream and, "
        "optionally, acl)",
        config=rule(
            CONTEXTS + '\n[[tool.fitness.rules.context_map]]\nupstream = "shop.domain"\n'
            'downstrem = "shop.application"\n'
        ),
        line=9,
    ),
    Case(
        "the second relation of the context map with a misspelt key",  # its own line
        "config",
        "[[tool.fitness.rules]] #2 ('layered'): option 'context_map', relation 2: unknown key "
        "'acls'; did you mean 'acl'? (a relation has upstream, downstream and, optionally, acl)",
        config=rule(
            '[[tool.fitness.rules]]\nname = "first"\ntype = "bounded_contexts"\n'
            'contexts = ["shop.domain", "shop.application"]\n\n'
            '[[tool.fitness.rules.context_map]]\nupstream = "shop.domain"\n'
            'downstream = "shop.application"\n\n'
            + CONTEXTS
            + '\n[[tool.fitness.rules.context_map]]\nupstream = "shop.domain"\n'
            'downstream = "shop.application"\n'
            '\n[[tool.fitness.rules.context_map]]\nupstream = "shop.application"\n'
            'downstream = "shop.domain"\nacls = "shop.domain.acl"\n'
        ),
        line=22,  # the header of its table (the first rule's relations come before)
    ),
    Case(
        "a context map given as a string",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'context_map' must be a list of tables "
        "of strings, not a string ('shop.domain -> shop.application'): write context_map = "
        '["shop.domain -> shop.application"]',
        config=rule(CONTEXTS + 'context_map = "shop.domain -> shop.application"\n'),
        line=8,
    ),
    Case(
        "an anticorruption layer outside its downstream context",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'context_map', relation 1: the "
        "anticorruption layer 'shop.acl' must be a module of the downstream context "
        "shop.application (such as 'shop.application.acl')",
        config=rule(
            CONTEXTS + 'context_map = [{upstream = "shop.domain", downstream = '
            '"shop.application", acl = "shop.acl"}]\n'
        ),
        line=8,
    ),
    Case(
        "a misspelt context",
        "rule",
        "contexts: module 'shop.domian' is not in the graph; did you mean 'shop.domain'?",
        config=rule(CONTEXTS.replace('"shop.domain"', '"shop.domian"')),
    ),
    Case(
        "a context reaching into another's internals",
        "broken",
        "shop.application reaches into the internals of shop.domain (shop.domain.model): go "
        "through the context's published language, which shop.domain does not have yet "
        "(publish shop.domain.api or shop.domain.events):",
        config=rule(CONTEXTS),
    ),
    Case(
        "the command side and the query side overlapping",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): option 'commands' (shop) overlaps 'queries' "
        "(shop.domain); the sides of CQRS are separate modules",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "cqrs"\ncommands = ["shop"]\n'
            'queries = ["shop.domain"]\n'
        ),
        line=7,
    ),
    Case(
        "a query reaching the command side",
        "broken",
        "the query side shop.application imports the command side shop.domain: queries must "
        "not import commands: read from a read model:",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "cqrs"\n'
            'commands = ["shop.domain"]\nqueries = ["shop.application"]\n'
        ),
    ),
]


# ----------------------------------------------------------------------------
# Cases: the modular_monolith rule type (issue 13, item 1).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
MONOLITH = rule(
    '[[tool.fitness.rules]]\nname = "layered"\ntype = "modular_monolith"\n\n'
    "[tool.fitness.rules.modules]\n"
)
MONOLITH_RULE = "[[tool.fitness.rules]] #1 ('layered'): "

CASES += [
    Case(
        "modular_monolith: modules as a list",
        "config",
        MONOLITH_RULE + "option 'modules' must be a table of tables (depends_on, interface, "
        "deprecated, utility), not a list (['shop.domain'])",
        config=rule(
            '[[tool.fitness.rules]]\nname = "layered"\ntype = "modular_monolith"\n'
            'modules = ["shop.domain"]\n'
        ),
        line=7,
    ),
    Case(
        "modular_monolith: a module declared as a string",
        "config",
        MONOLITH_RULE + "option 'modules.shop.domain' must be a table (depends_on, interface, "
        "deprecated, utility), not a string ('open')",
        config=MONOLITH + '"shop.domain" = "open"\n',
        line=9,
    ),
    Case(
        "modular_monolith: a misspelt key of a module",
        "config",
        MONOLITH_RULE + "option 'modules.shop.application': unknown key 'dependson'; did you "
        "mean 'depends_on'?",
        config=MONOLITH
        + '"shop.domain" = { depends_on = [] }\n'
        + '"shop.application" = { dependson = ["shop.domain"] }\n',
        line=10,
    ),
    Case(
        "modular_monolith: depends_on names a module that is not declared",
        "config",
        MONOLITH_RULE + "modules.shop.application.depends_on: 'shop.domian' is not a declared "
        "module; did you mean 'shop.domain'?",
        config=MONOLITH
        + '"shop.domain" = { depends_on = [] }\n'
        + '"shop.application" = { depends_on = ["shop.domian"] }\n',
        line=10,
    ),
    Case(
        "modular_monolith: a wildcard as a module",
        "config",
        MONOLITH_RULE + "modules: 'shop.*' is not a module name; name one module (such as "
        "'app.billing'), without wildcards",
        config=MONOLITH + '"shop.*" = {}\n',
        line=9,
    ),
    Case(
        "modular_monolith: a module that is not in the graph",
        "rule",
        "modules: module 'shop.domains' is not in the graph; did you mean 'shop.domain'?",
        config=MONOLITH + '"shop.domains" = {}\n',
    ),
    Case(
        "modular_monolith: an interface that is not a submodule",
        "rule",
        "modules.shop.domain.interface: shop.domain has no submodule 'modle'; did you mean "
        "'model'?",
        config=MONOLITH + '"shop.domain" = { interface = ["modle"] }\n',
    ),
    Case(
        "modular_monolith: an external package as a module",
        "rule",
        "modules: 'json' is an external package, a single module in the graph without "
        "descendants; name a package inside the root packages (shop)",
        config=MONOLITH.replace(
            'root_packages = ["shop"]\n',
            'root_packages = ["shop"]\ninclude_external_packages = true\n',
        )
        + '"json" = {}\n',
        files={"shop/domain/money.py": "import json\n"},
    ),
    Case(
        "modular_monolith: an undeclared dependency",
        "broken",
        "undeclared dependency: shop.application uses shop.domain, which is not in its "
        "depends_on; declare the dependency in depends_on, or remove the import:",
        config=MONOLITH
        + '"shop.domain" = { depends_on = [] }\n'
        + '"shop.application" = { depends_on = [] }\n',
    ),
]


# ----------------------------------------------------------------------------
# Cases: class and function rules (issue 14).
# (one block per topic, so that work on different topics does not collide)
# ----------------------------------------------------------------------------
CLASS_SHOP = {
    "shop/domain/model.py": (
        "import shop.domain.money\n\n\nclass Order(shop.domain.money.Base):\n    pass\n"
    ),
    "shop/domain/money.py": "class Base:\n    pass\n",
}


def classes_rule(options: str, rule_type: str = "classes") -> str:
    return rule(
        f'[[tool.fitness.rules]]\nname = "layered"\ntype = "{rule_type}"\n'
        f'modules = ["shop.domain"]\n{options}'
    )


CASES += [
    Case(
        "misspelt condition of a classes rule",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): unknown option 'should_not_subclas'; "
        "did you mean 'should_not_subclass'?",
        config=classes_rule('should_not_subclas = ["sqlalchemy"]\n'),
        files=CLASS_SHOP,
        line=8,
    ),
    Case(
        "a classes rule with two conditions",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): give exactly one of should_reside_in, "
        "should_not_subclass, should_subclass, should_implement, should_be_named, "
        "should_not_call, should_only_be_instantiated_in, should_be_frozen "
        "(found should_not_subclass, should_be_frozen)",
        config=classes_rule('should_not_subclass = ["sqlalchemy"]\nshould_be_frozen = true\n'),
        files=CLASS_SHOP,
        line=4,
    ),
    Case(
        "a functions rule given a condition of classes",
        "config",
        "[[tool.fitness.rules]] #1 ('layered'): unknown option 'should_be_frozen'; "
        "did you mean 'should_be_named'?",
        config=classes_rule("should_be_frozen = true\n", "functions"),
        files=CLASS_SHOP,
        line=8,
    ),
    Case(
        "a mistyped class of the project in should_not_subclass",
        "rule",
        "should_not_subclass: 'shop.domain.money.Bsae' is no class of the project; "
        "did you mean 'shop.domain.money.Base'?",
        config=classes_rule('should_not_subclass = ["shop.domain.money.Bsae"]\n'),
        files=CLASS_SHOP,
    ),
    Case(
        "a classes rule whose modules hold no class",
        "rule",
        "the selection (classes in shop.application) is empty: those modules define no class "
        "(use .allow_empty(), or allow_empty = true, if that is expected)",
        config=classes_rule("should_be_frozen = true\n").replace(
            'modules = ["shop.domain"]', 'modules = ["shop.application"]'
        ),
        files=CLASS_SHOP,
    ),
    Case(
        "a class deriving from a project class through the module",
        "broken",
        "shop.domain.model.Order (shop/domain/model.py:4) subclasses shop.domain.money.Base:",
        config=classes_rule('should_not_subclass = ["shop.domain.money.Base"]\n'),
        files=CLASS_SHOP,
    ),
    Case(
        "a dynamic base class is a warning, not a guess",
        "kept",
        "KEPT   layered",
        config=classes_rule('should_not_subclass = ["sqlalchemy"]\n'),
        files={
            "shop/domain/model.py": (
                "def make():\n    return object\n\n\nclass Order(make()):\n    pass\n"
            )
        },
    ),
    Case(
        "a print at module level of a latin-1 file, quoted",
        "broken",
        '    shop/domain/model.py:2  print("caf\u00e9")',
        config=classes_rule('should_not_call = ["print"]\n', "functions"),
        files={
            "shop/domain/model.py": '# -*- coding: latin-1 -*-\nprint("caf\xe9")\n'.encode(
                "latin-1"
            )
        },
    ),
    Case(
        "a module with a print and no function",
        "broken",
        "shop.domain.model (shop/domain/model.py:1) calls print at module level:",
        config=classes_rule('should_not_call = ["print"]\n', "functions"),
        files={"shop/domain/model.py": 'print("x")\n'},
    ),
    Case(
        "that_subclass with a dynamic base warns naming the class",
        "kept",
        "  warning: shop.domain.other.Odd (shop/domain/other.py:5): base make() cannot be "
        "resolved statically; that_subclass could not tell whether it subclasses "
        "shop.domain.money.Base, and left it out",
        config=classes_rule(
            'that_subclass = ["shop.domain.money.Base"]\nshould_reside_in = ["shop.domain"]\n'
        ),
        files={
            **CLASS_SHOP,
            "shop/domain/other.py": (
                "def make():\n    return object\n\n\nclass Odd(make()):\n    pass\n"
            ),
        },
    ),
]

# Trying the styles on real code from PyPI (Django, SQLAlchemy, httpie): a module that
# shares only its package with another is not offered as a misspelling of it.

MODULAR_SHOP = """\
[tool.fitness]
root_packages = ["shop"]

[[tool.fitness.rules]]
name = "modules"
type = "modular_monolith"

[tool.fitness.rules.modules]
"shop.domain" = { depends_on = [] }
"shop.application" = { depends_on = ["shop.infrastructure"] }
"""

CASES += [
    Case(
        "a modular monolith depending on a module it did not declare",
        "config",
        "[[tool.fitness.rules]] #1 ('modules'): modules.shop.application.depends_on: "
        "'shop.infrastructure' is not a declared module (the modules are shop.application "
        "and shop.domain; declare it under [tool.fitness.rules.modules] first)",
        config=MODULAR_SHOP,
        line=10,
    ),
    Case(
        "a modular monolith depending on a misspelt module",
        "config",
        "[[tool.fitness.rules]] #1 ('modules'): modules.shop.application.depends_on: "
        "'shop.domian' is not a declared module; did you mean 'shop.domain'?",
        config=MODULAR_SHOP.replace('["shop.infrastructure"]', '["shop.domian"]'),
        line=10,
    ),
    Case(
        "a layer naming a sibling module that does not exist",
        "rule",
        "layers: module 'shop.domain.pricing' is not in the graph",
        config=LAYERS.replace('"shop.domain"]', '"shop.domain.pricing"]'),
    ),
    Case(
        "a layer naming a misspelt module",
        "rule",
        "layers: module 'shop.domain.mdoel' is not in the graph; did you mean 'shop.domain.model'?",
        config=LAYERS.replace('"shop.domain"]', '"shop.domain.mdoel"]'),
    ),
]
