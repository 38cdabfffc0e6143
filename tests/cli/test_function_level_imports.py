"""``exclude_function_level_imports`` (issue 21): projects that import lazily inside
functions (to break a cycle on purpose) can leave those imports out, for every rule or
for one; messages mark where an import is made when it is kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import read_cache_entry, write_project

CONFIG = """
[tool.fitness]
root_packages = ["app"]
{setting}
[[tool.fitness.rules]]
name = "Models know no services"
type = "forbidden"
source_modules = ["app.models"]
forbidden_modules = ["app.services"]
{option}
[[tool.fitness.rules]]
name = "No cycles"
type = "acyclic_siblings"
ancestors = ["app"]

[[tool.fitness.rules]]
name = "Models know no views"
type = "forbidden"
source_modules = ["app.models"]
forbidden_modules = ["app.views"]
"""

FILES = {
    "app/__init__.py": "",
    "app/services.py": "from app import models\n",
    "app/models.py": (
        "from typing import TYPE_CHECKING\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from app import views\n"
        "\n"
        "\n"
        "def total():\n"
        "    from app import services  # lazily: services import the models\n"
        "\n"
        "    return services\n"
    ),
    "app/views.py": "from app import models\n",
}


def project(root: Path, *, setting: str = "", option: str = "") -> Path:
    return write_project(root, CONFIG.format(setting=setting, option=option), FILES)


def check(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str]:
    code = main(["check", "--config", str(root / "pyproject.toml"), *args])
    return code, capsys.readouterr().out


def test_an_import_inside_a_function_is_marked_where_it_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "p")
    code, out = check(capsys, root, "--full")
    assert code == 1
    assert (
        "    app/models.py:8  from app import services  # lazily: services import the models  "
        "(inside a function)"
    ) in out.splitlines()
    assert "    app/models.py:4  from app import views  (type-checking only)" in out.splitlines()
    code, out = check(capsys, root, "--format", "json")
    [forbidden] = json.loads(out)["rules"][0]["violations"]
    assert forbidden["chains"][0]["links"][0]["note"] == "inside a function"


def test_the_setting_leaves_them_out_for_every_rule_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "p", setting="exclude_function_level_imports = true")
    code, out = check(capsys, root)
    assert code == 1  # the import under TYPE_CHECKING is kept
    assert out.splitlines()[:3] == [
        "KEPT   Models know no services",
        "BROKEN No cycles",
        "BROKEN Models know no views",
    ]
    assert (
        "note: 1 import inside functions left out of the graph "
        "(exclude_function_level_imports):\n  app/models.py:8"
    ) in out


def test_a_rule_may_leave_them_out_for_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "p", option="exclude_function_level_imports = true")
    code, out = check(capsys, root, "--full")
    assert code == 1
    assert out.splitlines()[:2] == ["KEPT   Models know no services", "BROKEN No cycles"]
    # the other rules still see it: services and models form a cycle through it
    assert "app.services -> app.models closes a cycle among the children of app" in out
    assert "left out of the graph" not in out


def test_a_warm_run_says_the_same(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "p")
    cold = check(capsys, root, "--format", "json")
    warm = check(capsys, root, "--format", "json")
    assert cold == warm
    assert '"note": "inside a function"' in warm[1]


def test_where_imports_are_made_is_remembered_for_the_next_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 25: the marks of a warm run come from the cache (sealed, for one listing of
    the files): the same bytes, no file read again; an edit forgets them."""
    from fitness.adapters import packages

    root = project(tmp_path / "p")
    read: list[str] = []
    original = vars(packages)["read_import_contexts"]

    def counted(path: str, **options: object) -> object:
        read.append(Path(path).name)
        return original(path, **options)

    monkeypatch.setattr(packages, "read_import_contexts", counted)
    cold = check(capsys, root, "--full", "--no-baseline")
    first = sorted(read)
    assert "models.py" in first
    _forget_replay(root)
    warm = check(capsys, root, "--full", "--no-baseline")
    assert warm == cold
    assert sorted(read) == first  # (not read again)
    (root / "app" / "views.py").write_text("from app import models\n\n")
    _forget_replay(root)
    assert check(capsys, root, "--full", "--no-baseline") == cold
    assert sorted(read) == sorted(first + first)


def test_remembered_contexts_that_fitness_did_not_seal_are_not_believed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pull request commits its own entry saying the lazy import is at module level:
    ignored (its seal is not this machine's), the mark stays true."""
    import glob

    root = project(tmp_path / "p")
    code, cold = check(capsys, root, "--full")
    [entry] = glob.glob(str(root / ".fitness_cache" / "contexts-*"))
    data = json.loads(read_cache_entry(Path(entry)))
    assert data["modules"]["app.models"] == [[4, "type_checking"], [8, "function"]]
    data["modules"]["app.models"] = [[4, ""], [8, ""]]
    Path(entry).write_bytes(json.dumps(data).encode())  # unsealed: committed, forged
    _forget_replay(root)
    assert check(capsys, root, "--full") == (code, cold)
    assert "(inside a function)" in cold


def _forget_replay(root: Path) -> None:
    import shutil

    shutil.rmtree(root / ".fitness_cache" / "replay", ignore_errors=True)
