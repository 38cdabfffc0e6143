"""Dynamic imports of a name known from literals are imports the rules check (issue 20,
item 6): fitness/adapters/source_scan.py finds their target, dynamic_imports.py adds them
to the graph. Those whose name is built at run time stay blind spots."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.adapters.packages import GrimpGraphBuilder
from fitness.adapters.source_scan import find_dynamic_imports
from fitness.domain.config import GraphSettings
from fitness.domain.violations import Link
from tests.helpers import write_files


def target(code: str, module: str = "app.api.views", file: str = "app/api/views.py") -> str:
    """The target found for the one dynamic import in ``code``."""
    (found,) = find_dynamic_imports(module, file, code)
    return found.target


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('importlib.import_module("app.adapters.db")', "app.adapters.db"),
        ("importlib.import_module('app.adapters.db')", "app.adapters.db"),
        ('importlib.import_module(name="app.db")', "app.db"),
        ('importlib.import_module(".db", "app.adapters")', "app.adapters.db"),
        ('importlib.import_module(".db", package="app.adapters")', "app.adapters.db"),
        ('importlib.import_module("..domain", "app.adapters")', "app.domain"),
        ('importlib.import_module(".", "app.adapters")', "app.adapters"),
        ('importlib.import_module(".db", __package__)', "app.api.db"),
        ('importlib.import_module(\n    "app.x",\n)', "app.x"),
        ('__import__("app.x")', "app.x"),
        ('__import__("app.x", globals(), locals(), ["y"], 0)', "app.x"),
        ('__import__("x", globals(), locals(), [], 1)', ""),  # relative: not resolved
        ('__import__("app.x", level=2)', ""),
        ("importlib.import_module(name)", ""),
        ('importlib.import_module(f"app.{name}")', ""),
        ('importlib.import_module("app." + name)', ""),
        ('importlib.import_module(".db")', ""),  # no package: Python refuses it
        ('importlib.import_module("...db", "app")', ""),  # beyond the top-level package
        ('importlib.import_module("app.x-y")', ""),  # not a module name
        ("importlib.import_module(*names)", ""),
        ('importlib.import_module("app.x", **options)', ""),
    ],
)
def test_the_target_is_known_from_literals(code: str, expected: str) -> None:
    assert target(f"import importlib\n{code}\n") == expected


def test_the_line_quoted_is_the_line_numbered_whatever_separators_come_before() -> None:
    """A form feed (an old page break) is a line break for ``str.splitlines``, not for
    Python's line numbers: the call's own line is quoted."""
    code = 'import importlib\n\x0c\nx = 1\nm = importlib.import_module("app.db")  \r\n'
    (found,) = find_dynamic_imports("app.x", "app/x.py", code)
    assert (found.line_number, found.code) == (4, 'm = importlib.import_module("app.db")')


def test_in_a_package_dunder_package_is_the_package_itself() -> None:
    code = 'import importlib\nimportlib.import_module(".db", __package__)\n'
    assert target(code, "app.api", "app/api/__init__.py") == "app.api.db"


def test_a_bare_import_module_is_importlibs_only_where_the_file_imports_it_from_there() -> None:
    """Any function may be called import_module (SymPy's ``sympy.external`` has one)."""
    assert target('from importlib import import_module\nimport_module("app.db")\n') == "app.db"
    assert target('from importlib import (\n    import_module,\n)\nimport_module("app.db")\n') == (
        "app.db"
    )
    assert target('from sympy.external import import_module\nimport_module("numpy")\n') == ""
    # ``from`` must be a word of its own: not the end of another name.
    assert target('x = myfrom importlib import import_module\nimport_module("app.db")\n') == ""
    assert target('_from importlib import import_module\nimport_module("app.db")\n') == ""
    assert target('x=1;from importlib import import_module\nimport_module("app.db")\n') == (
        "app.db"
    )


FILES = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/plugins.py": """
        import importlib
        first = importlib.import_module("app.domain.model")
        second = importlib.import_module("yaml.loader")
        third = importlib.import_module("app.domain.missing")
        fourth = importlib.import_module(name)
    """,
    "app/domain/__init__.py": "",
    "app/domain/model.py": "",
}


@pytest.mark.parametrize("external", [False, True])
def test_known_targets_are_imports_of_the_graph_the_others_blind_spots(
    tmp_path: Path, external: bool
) -> None:
    write_files(tmp_path, FILES)
    graph = GrimpGraphBuilder(tmp_path, sys_path=[]).build(
        GraphSettings(("app",), include_external_packages=external)
    )
    assert graph.import_lines("app.api.plugins", "app.domain.model") == [
        (2, 'first = importlib.import_module("app.domain.model")')
    ]
    assert ("app.api.plugins", "yaml") in graph.direct_imports() if external else True
    if external:
        assert graph.grimp.is_module_squashed("yaml")
    else:
        assert "yaml" not in graph.modules  # as `import yaml.loader` would be: not a blind spot
    blind = [(d.line_number, d.target) for d in graph.blind_dynamic_imports]
    assert blind == [(4, "app.domain.missing"), (5, "")]
    link = Link.of(graph, "app.api.plugins", "app.domain.model")
    assert (link.dynamic_lines, link.mark) == ((2,), "(dynamic)")


def test_import_linters_graph_has_none_of_them(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    graph = GrimpGraphBuilder(tmp_path, sys_path=[]).build(
        GraphSettings(("app",), as_import_linter=True)
    )
    assert ("app.api.plugins", "app.domain.model") not in graph.direct_imports()
    assert len(graph.blind_dynamic_imports) == 4


def test_a_link_with_a_static_and_a_dynamic_import_says_which_line_is_dynamic(
    tmp_path: Path,
) -> None:
    write_files(
        tmp_path,
        {
            **FILES,
            "app/api/plugins.py": """
                import importlib
                import app.domain.model
                again = importlib.import_module("app.domain.model")
            """,
        },
    )
    graph = GrimpGraphBuilder(tmp_path, sys_path=[]).build(GraphSettings(("app",)))
    link = Link.of(graph, "app.api.plugins", "app.domain.model")
    assert (link.line_numbers, link.mark) == ((2, 3), "(dynamic: line 3)")


def test_the_dynamic_imports_survive_a_warm_run(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    builder = GrimpGraphBuilder(tmp_path, cache_dir=tmp_path / ".fitness_cache", sys_path=[])
    cold = builder.build(GraphSettings(("app",)))
    warm = builder.build(GraphSettings(("app",)))
    assert warm.dynamic_sites == cold.dynamic_sites == {("app.api.plugins", "app.domain.model", 2)}
    assert warm.blind_dynamic_imports == cold.blind_dynamic_imports
