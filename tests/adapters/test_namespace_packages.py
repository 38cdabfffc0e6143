"""Every module Python can import from the root packages is in the graph (issue 20, item 1).

A directory without ``__init__.py`` inside a package is a namespace package (PEP 420):
Python imports it, so its modules and their imports are part of the graph, and every
rule can name it. What holds Python files but cannot be imported (a directory whose
name is not an identifier...) is a blind spot, and naming it in a rule says why it is
missing. An import-linter configuration keeps import-linter's graph, which leaves such
directories out (a blind spot each).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fitness.adapters.packages import GrimpGraphBuilder
from fitness.cli import main
from fitness.domain.config import GraphSettings
from tests.helpers import write_files, write_project

#: A modular monolith in the layout of many DDD examples: the modules' domains and the
#: API's routers are directories without ``__init__.py``.
MONOLITH = {
    "modules/__init__.py": "",
    "modules/iam/__init__.py": "",
    "modules/iam/domain/entities.py": "class User:\n    pass\n",
    "modules/iam/application/__init__.py": "",
    "modules/iam/application/services.py": "from modules.iam.domain.entities import User\n",
    "api/__init__.py": "",
    "api/main.py": "from api.routers import users\n",
    "api/routers/users.py": (
        "from modules.iam.application import services\n"
        "from modules.iam.domain.entities import User\n"
    ),
}
MONOLITH_CONFIG = """
[tool.fitness]
root_packages = ["modules", "api"]

[[tool.fitness.rules]]
name = "The API goes through the application layer"
type = "forbidden"
source_modules = ["api"]
forbidden_modules = ["modules.iam.domain"]
allow_indirect_imports = true
"""


def check(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-cache", "--config", str(root / "pyproject.toml"), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_forbidden_import_into_a_namespace_package_is_caught(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(tmp_path, MONOLITH_CONFIG, MONOLITH)
    code, out, _ = check(root, capsys)
    assert code == 1
    assert (
        "api is not allowed to import modules.iam.domain:\n"
        "  api.routers.users -> modules.iam.domain.entities\n"
        "    api/routers/users.py:2  from modules.iam.domain.entities import User\n"
    ) in out


def test_namespace_packages_inside_packages_are_modules_of_the_graph(tmp_path: Path) -> None:
    write_files(tmp_path, MONOLITH)
    graph = GrimpGraphBuilder(tmp_path, sys_path=[]).build(GraphSettings(("modules", "api")))
    assert {"modules.iam.domain", "api.routers"} <= graph.modules
    assert graph.file_of("modules.iam.domain") is None  # a namespace package has no file
    assert graph.import_lines("api.main", "api.routers.users") == [
        (1, "from api.routers import users")
    ]
    assert graph.unread_files == ()


@pytest.mark.parametrize("statement", ["from . import plugins", "import app.plugins"])
def test_an_import_of_the_namespace_package_itself_is_an_import_of_it(
    tmp_path: Path, statement: str
) -> None:
    """As in Python; grimp (and so import-linter) takes ``from . import plugins`` for
    the name ``plugins`` of ``app``, and leaves ``import app.plugins`` out."""
    write_files(
        tmp_path,
        {"app/__init__.py": "", "app/main.py": f"{statement}\n", "app/plugins/extra.py": ""},
    )
    graph = GrimpGraphBuilder(tmp_path, sys_path=[]).build(GraphSettings(("app",)))
    assert graph.import_lines("app.main", "app.plugins") == [(1, statement)]


def test_import_linter_keeps_its_graph_and_says_what_it_leaves_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_files(tmp_path, MONOLITH)
    (root / ".importlinter").write_text(
        "[importlinter]\nroot_packages =\n    modules\n    api\n\n"
        "[importlinter:contract:api]\nname = API\ntype = forbidden\n"
        "source_modules =\n    api\nforbidden_modules =\n    modules.iam.application\n"
    )
    code = main(["check", "--no-cache", "--config", str(root / ".importlinter")])
    out = capsys.readouterr().out
    assert code == 0  # as import-linter says: api.routers is not in its graph
    assert (
        "Blind spots: 2 files the rules cannot see (not read): api/routers (a directory "
        "without __init__.py inside a package, which import-linter's graph leaves out), "
        "modules/iam/domain (a directory without __init__.py inside a package, which "
        "import-linter's graph leaves out)\n"
    ) in out


def test_a_directory_whose_name_is_not_an_identifier_is_a_blind_spot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = MONOLITH_CONFIG.replace('"modules.iam.domain"]', '"modules.iam.domain", "api.x-y"]')
    root = write_project(
        tmp_path, config, {**MONOLITH, "api/x-y/tool.py": "import modules.iam.domain\n"}
    )
    code, out, err = check(root, capsys)
    assert code == 2
    assert err.endswith(
        "forbidden_modules: module 'api.x-y' is not in the graph: api/x-y is a directory "
        "whose name is not an identifier, so Python cannot import its modules\n"
    )
    (root / "pyproject.toml").write_text(MONOLITH_CONFIG)
    code, out, err = check(root, capsys)
    assert code == 1
    assert (
        "Blind spots: 1 file the rules cannot see (not read): api/x-y (a directory whose name "
        "is not an identifier, so Python cannot import its modules)\n"
    ) in out
    assert "warning: cannot see the imports of a file that was not read: api/x-y" in out


def test_data_directories_without_python_files_are_not_worth_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        **MONOLITH,
        "api/templates/page.html": "<p>{{ user }}</p>\n",
        "api/static/site.css": "p {}\n",
        "api/locale/fr/LC_MESSAGES/django.po": "",
        "api/static-files/app.js": "",
        "api/.cache/x.py": "",
    }
    root = write_project(tmp_path, MONOLITH_CONFIG, files)
    _, out, _ = check(root, capsys)
    assert "Blind spots" not in out
    graph = GrimpGraphBuilder(root, sys_path=[]).build(GraphSettings(("modules", "api")))
    assert not any(
        m.startswith(("api.templates", "api.static", "api.locale")) for m in graph.modules
    )


@pytest.mark.slow
def test_flask_sansio_is_part_of_flasks_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``flask/sansio/`` has no ``__init__.py``: ``flask/app.py:44`` imports it."""
    from tests.parity.packages import IndexUnreachable, packages_dir

    try:
        site = packages_dir(("flask==3.1.3",))
    except IndexUnreachable:
        pytest.skip("the package index cannot be reached")
    shutil.copytree(site / "flask", tmp_path / "flask")
    write_files(
        tmp_path,
        {
            "pyproject.toml": """
                [tool.fitness]
                root_packages = ["flask"]

                [[tool.fitness.rules]]
                name = "the sans-IO core knows no request context"
                type = "forbidden"
                source_modules = ["flask.sansio"]
                forbidden_modules = ["flask.ctx"]
            """
        },
    )
    graph = GrimpGraphBuilder(tmp_path, sys_path=[]).build(GraphSettings(("flask",)))
    assert {"flask.sansio", "flask.sansio.app", "flask.sansio.scaffold"} <= graph.modules
    assert graph.import_lines("flask.app", "flask.sansio.app") == [
        (44, "from .sansio.app import App")
    ]
    code, out, _ = check(tmp_path, capsys)
    assert code == 1
    assert "flask.sansio.app -> flask.ctx\n    flask/sansio/app.py:23  from ..ctx import" in out
