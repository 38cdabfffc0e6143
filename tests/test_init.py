"""`fitness init`: inference (pure) and the command, which must never damage pyproject.toml."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import networkx as nx
import pytest

from fitness.cli import main
from fitness.domain.inference import infer_layers, propose, to_toml
from tests.helpers import copy_example, fake_graph, write_files

USER_PYPROJECT = """\
# The user's own file: comments, odd spacing and order must survive byte for byte.
[project]
name   =   "shop"      # keep me
version = "1.0"

[tool.ruff]   # trailing comment
line-length = 99
"""

CYCLES = {
    "pkg/__init__.py": "",
    "pkg/a.py": "import pkg.b\n",
    "pkg/b.py": "import pkg.a\nimport pkg.d\n",
    "pkg/c.py": "import pkg.a\n",
    "pkg/d.py": "",
}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_layers_follow_the_dependency_order_and_cycles_become_siblings() -> None:
    graph = nx.DiGraph(
        [("p.top", "p.mid"), ("p.mid", "p.x"), ("p.x", "p.y"), ("p.y", "p.x"), ("p.x", "p.low")]
    )
    graph.add_node("p.alone")
    assert infer_layers(graph) == ["p.top", "p.mid", "p.x : p.y", "p.alone | p.low"]


def test_proposal_for_a_fake_graph() -> None:
    graph = fake_graph(
        """
        app.web.views -> app.core.model
        app.web.views -> app.db.repo
        app.db.repo -> app.core.model
        app.plugins.one -> app.core.model
        app.plugins.two -> app.core.model
        """
    )
    proposal = propose(graph, {"layers", "independence", "acyclic"})
    rules = {r.name: r for r in proposal.rules}
    assert rules["app is layered"].options == {
        "layers": ["app.web", "app.db | app.plugins", "app.core"]
    }
    assert rules["No cycles between the packages of app"].options == {"modules": ["app"]}
    assert rules["The children of app.plugins are independent"].options == {
        "modules": ["app.plugins.*"]
    }
    assert "The children of app.web are independent" not in rules  # a single child
    text = to_toml(proposal)
    data = tomllib.loads(text)["tool"]["fitness"]
    assert data["root_packages"] == ["app"]
    assert [r["type"] for r in data["rules"]] == ["layers", "acyclic", "independence"]


def test_init_on_the_shop_appends_a_passing_configuration_and_keeps_every_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = copy_example("shop", tmp_path)
    config = shop / "pyproject.toml"
    config.write_text(USER_PYPROJECT)
    monkeypatch.chdir(shop)

    code, out, _ = run(["init"], capsys)

    assert code == 0
    assert "added [tool.fitness] with 3 rules" in out
    new = config.read_text()
    assert new.startswith(USER_PYPROJECT)  # byte for byte
    fitness = tomllib.loads(new)["tool"]["fitness"]
    layers = next(r for r in fitness["rules"] if r["type"] == "layers")
    assert layers["layers"] == ["shop.main", "shop.adapters", "shop.application", "shop.domain"]
    assert {"type": "independence", "modules": ["shop.adapters.*"]}.items() <= next(
        r for r in fitness["rules"] if r["type"] == "independence"
    ).items()
    assert not (shop / "fitness-baseline.json").exists()  # nothing breaks: no baseline
    assert run(["check"], capsys)[0] == 0


def test_init_refuses_an_existing_configuration_unless_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = copy_example("shop", tmp_path)
    config = shop / "pyproject.toml"
    before = config.read_bytes()
    monkeypatch.chdir(shop)

    code, _, err = run(["init"], capsys)
    assert code == 2
    assert "already has a [tool.fitness] configuration; use --force" in err
    assert config.read_bytes() == before

    code, _, _ = run(["init", "--force"], capsys)
    assert code == 0
    text = config.read_text()
    assert text.count("[tool.fitness]") == 1
    assert "Layered architecture" not in text  # the old rules are replaced
    assert text.startswith(before.decode().split("[tool.fitness]")[0])  # the header comments
    assert "[tool.pytest.ini_options]" in text and 'minversion = "8.0"' in text
    assert run(["check"], capsys)[0] == 0


def test_init_on_a_tree_with_cycles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, CYCLES)
    monkeypatch.chdir(tmp_path)

    code, out, _ = run(["init"], capsys)

    assert code == 0
    assert "note: pkg.a, pkg.b import each other (a cycle)" in out
    fitness = tomllib.loads((tmp_path / "pyproject.toml").read_text())["tool"]["fitness"]
    assert fitness["rules"][0]["layers"] == ["pkg.c", "pkg.a : pkg.b", "pkg.d"]
    assert all(r["type"] != "acyclic" for r in fitness["rules"])  # there are cycles
    assert run(["check"], capsys)[0] == 0


def test_what_still_breaks_goes_to_the_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # low -> pkg (the package's __init__) -> top: an upward chain the layering cannot avoid.
    write_files(
        tmp_path,
        {
            "src/pkg/__init__.py": "from pkg import top\n",
            "src/pkg/top.py": "from pkg import low\n",
            "src/pkg/low.py": "import pkg\n",
        },
    )
    monkeypatch.chdir(tmp_path)

    code, out, _ = run(["init"], capsys)

    assert code == 0
    assert "violations remain; recorded in" in out
    baseline = json.loads((tmp_path / "fitness-baseline.json").read_text())
    assert [
        (v["importer"], v["imported"]) for v in baseline["rules"]["pkg is layered"]["violations"]
    ] == [("pkg.low", "pkg.top")]
    assert run(["check"], capsys)[0] == 0
    assert run(["check", "--no-baseline"], capsys)[0] == 1


def test_dry_run_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, CYCLES)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["init", "--dry-run"], capsys)
    assert code == 0 and out.startswith("[tool.fitness]")
    assert not (tmp_path / "pyproject.toml").exists()


def test_windows_line_endings_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, CYCLES)
    original = b'[project]\r\nname = "x"\r\n'
    (tmp_path / "pyproject.toml").write_bytes(original)
    monkeypatch.chdir(tmp_path)
    assert run(["init"], capsys)[0] == 0
    data = (tmp_path / "pyproject.toml").read_bytes()
    assert data.startswith(original)
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_no_package_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"tests/__init__.py": "", "script.py": ""})
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["init"], capsys)
    assert code == 2
    assert "no package (a directory with __init__.py)" in err and "--root" in err


def test_a_broken_pyproject_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, CYCLES)
    broken = b'[project\nname = "x"\n'
    (tmp_path / "pyproject.toml").write_bytes(broken)
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["init"], capsys)
    assert code == 2
    assert "would not be valid TOML" in err and "nothing was written" in err
    assert (tmp_path / "pyproject.toml").read_bytes() == broken
