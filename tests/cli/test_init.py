"""`fitness init`: inference (pure) and the command, which must never damage pyproject.toml."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import networkx as nx
import pytest

from fitness.cli import main
from fitness.domain.inference import ProposedRule, infer_layers, propose, to_toml
from fitness.domain.options import build_rule
from fitness.domain.rules.base import Rule
from fitness.domain.rules.imports.acyclic import AcyclicRule
from fitness.domain.rules.imports.independence import IndependenceRule
from fitness.domain.rules.imports.layers import LayersRule
from tests.helpers import copy_example, fake_graph, write_files

RULES: dict[str, type[Rule]] = {
    "layers": LayersRule,
    "independence": IndependenceRule,
    "acyclic": AcyclicRule,
}

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
    proposal = propose(graph, RULES)
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
    assert out.startswith(f"fitness: added [tool.fitness] to {config}\n[tool.fitness]\n")
    assert out.endswith(
        "fitness: recognised\n"
        "  ports and adapters in shop, because it has domain, application, adapters, "
        "application.ports and main (the composition root)\n"
        "  an onion in shop, because its domain has a model at the centre\n"
        "fitness: 8 of 8 rules hold today (nothing to baseline)\n"
        "  holds   shop is layered\n"
        "  holds   shop.application is layered\n"
        "  holds   shop.domain is layered\n"
        "  holds   shop is a hexagon (ports and adapters)\n"
        "  holds   shop is an onion\n"
        "  holds   No cycles between the packages of shop\n"
        "  holds   The children of shop.adapters are independent\n"
        "  holds   Third-party dependencies\n"
    )
    new = config.read_text()
    assert new.startswith(USER_PYPROJECT)  # byte for byte
    fitness = tomllib.loads(new)["tool"]["fitness"]
    layers = next(r for r in fitness["rules"] if r["type"] == "layers")
    assert layers["layers"] == ["shop.main", "shop.adapters", "shop.application", "shop.domain"]
    hexagon = next(r for r in fitness["rules"] if r["type"] == "hexagonal")
    assert hexagon == {
        "name": "shop is a hexagon (ports and adapters)",
        "type": "hexagonal",
        "domain": "shop.domain",
        "application": "shop.application",
        "adapters": ["shop.adapters.*"],
        "ports": "shop.application.ports",
        "composition_root": "shop.main",
    }
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
    assert (
        "# note: pkg.a, pkg.b reach each other through imports: they share a layer as 'a : b'\n"
        "#   siblings\n"
    ) in out
    fitness = tomllib.loads((tmp_path / "pyproject.toml").read_text())["tool"]["fitness"]
    assert fitness["rules"][0]["layers"] == ["pkg.c", "pkg.a : pkg.b", "pkg.d"]
    assert all(r["type"] != "acyclic" for r in fitness["rules"])  # there are cycles
    assert run(["check"], capsys)[0] == 0


def test_a_chain_through_the_package_init_is_followed_as_the_rule_follows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # low -> pkg (the package's __init__) -> top: judged by direct imports, top would sit
    # above low, and the layers rule (which follows chains) would be broken.
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
    fitness = tomllib.loads((tmp_path / "pyproject.toml").read_text())["tool"]["fitness"]
    assert [r["name"] for r in fitness["rules"]] == ["No cycles between the packages of pkg"]
    assert "nothing to baseline" in out
    assert not (tmp_path / "fitness-baseline.json").exists()
    assert run(["check", "--no-baseline"], capsys)[0] == 0


def test_dry_run_prints_the_exact_configuration_and_its_outcome_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, CYCLES)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["init", "--dry-run"], capsys)
    assert code == 0
    assert out == (
        "[tool.fitness]\n"
        "# Proposed by `fitness init` from the code as it is today: tighten from here.\n"
        'root_packages = ["pkg"]\n'
        "# note: pkg.a, pkg.b reach each other through imports: they share a layer as 'a : b'\n"
        "#   siblings\n"
        "\n"
        "[[tool.fitness.rules]]\n"
        'name = "pkg is layered"\n'
        'type = "layers"\n'
        'layers = ["pkg.c", "pkg.a : pkg.b", "pkg.d"]\n'
        "fitness: recognised no known layout (the rules follow the imports alone)\n"
        "fitness: 1 of 1 rules hold today (nothing to baseline)\n"
        "  holds   pkg is layered\n"
        f"fitness: dry run: nothing written ({tmp_path / 'pyproject.toml'} is unchanged)\n"
    )
    assert not (tmp_path / "pyproject.toml").exists()
    # what it printed is what init writes
    assert run(["init"], capsys)[0] == 0
    assert (tmp_path / "pyproject.toml").read_text() == out.split("fitness: recognised")[0]


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
    assert err == (
        f"fitness: error: {tmp_path / 'pyproject.toml'}:1: invalid TOML: Expected ']' at the "
        "end of a table declaration; fix it first, nothing was written\n"
    )
    assert (tmp_path / "pyproject.toml").read_bytes() == broken


# --- inference on fake graphs: every proposed rule holds, judged by the rule itself ---


def test_a_chain_through_the_package_init_makes_its_ends_share_a_layer() -> None:
    graph = fake_graph(
        """
        pkg.high -> pkg.top
        pkg.top -> pkg.low
        pkg.low -> pkg
        pkg -> pkg.top
        pkg.low -> pkg.base
        """
    )
    rules = {r.name: r for r in propose(graph, RULES).rules}
    assert rules["pkg is layered"].options == {
        "layers": ["pkg.high", "pkg.low : pkg.top", "pkg.base"]
    }


def test_siblings_that_reach_each_other_through_a_chain_are_not_proposed_as_independent() -> None:
    graph = fake_graph(
        """
        app.p.one -> app.q
        app.q -> app.p.two
        """
    )
    proposal = propose(graph, RULES)
    assert "The children of app.p are independent" not in [r.name for r in proposal.rules]


def test_a_candidate_the_real_rule_refuses_is_left_out_and_named() -> None:
    # No direct import between the children of app.p, but a chain through app.p itself.
    graph = fake_graph(
        """
        app.p.one -> app.p
        app.p -> app.p.two
        app.q -> app.p.one
        """
    )
    proposal = propose(graph, RULES)
    assert "The children of app.p are independent" not in [r.name for r in proposal.rules]
    assert proposal.dropped == ("The children of app.p are independent",)


def test_an_entry_point_is_not_a_layer() -> None:
    graph = fake_graph(
        """
        pkg.__main__ -> pkg.cli
        pkg.cli -> pkg.core
        """
    )
    rules = {r.name: r for r in propose(graph, RULES).rules}
    assert rules["pkg is layered"].options == {"layers": ["pkg.cli", "pkg.core"]}


def test_what_the_layers_leave_out_is_named_with_why() -> None:
    """An entry point, test code and migrations are in no layer, and no rule of the
    proposal governs them: the proposal says so (click's ``click.testing``, its test
    runner, was left out unsaid)."""
    graph = fake_graph(
        """
        pkg.__main__ -> pkg.cli
        pkg.cli -> pkg.core
        pkg.testing -> pkg.core
        pkg.migrations -> pkg.core
        """
    )
    proposal = propose(graph, RULES)
    assert {r.name: r for r in proposal.rules}["pkg is layered"].options == {
        "layers": ["pkg.cli", "pkg.core"]
    }
    assert [n for n in proposal.notes if "in no layer" in n] == [
        "in no layer: pkg.__main__ (an entry point); pkg.migrations (generated code); "
        "pkg.testing (test code, by its name) (fitness coverage lists what no rule governs)"
    ]


def test_what_the_layers_leave_out_is_one_note_however_many() -> None:
    graph = fake_graph(
        "\n".join(
            f"pkg.app{i}.views -> pkg.app{i}.models\npkg.app{i}.tests -> pkg.app{i}.views"
            for i in range(7)
        )
    )
    (note,) = [n for n in propose(graph, RULES).notes if "in no layer" in n]
    assert note == (
        "in no layer: pkg.app0.tests, pkg.app1.tests, pkg.app2.tests, pkg.app3.tests, "
        "pkg.app4.tests and 2 more (test code, by its name) "
        "(fitness coverage lists what no rule governs)"
    )


def test_no_layers_are_proposed_where_they_would_say_nothing() -> None:
    graph = fake_graph(
        """
        pkg.__main__ -> pkg.a
        pkg.a -> pkg.b
        pkg.b -> pkg.a
        """
    )
    assert [r.type for r in propose(graph, RULES).rules if r.type == "layers"] == []


def test_every_proposed_rule_holds_when_checked_by_its_class() -> None:
    graph = fake_graph(
        """
        app.web.views -> app.core.model
        app.web.views -> app.db.repo
        app.db.repo -> app
        app -> app.web.forms
        app.plugins.one -> app.core.model
        app.plugins.two -> app.core.model
        app.plugins.two -> app.core
        app.core -> app.plugins.one
        """
    )
    proposal = propose(graph, RULES)
    assert proposal.rules
    for proposed in proposal.rules:
        rule = build_rule(RULES[proposed.type], proposed.raw())
        assert rule.result(graph).passed, proposed.name


# --- --force edits [tool.fitness] only (issue 11 B) ---

AROUND = """\
[project]
name = "shop"
description = \"\"\"
[tool.fitness]
root_packages = ["not", "a", "table"]
\"\"\"

[tool.fitness]
# the old one
root_packages = ["shop"]

[[tool.fitness.rules]]
name = "old"
type = "layers"
layers = ["shop.a", "shop.b"]

# A comment about ruff, just above its table: it stays.
[tool.ruff]
line-length = 99
"""


def _forced(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pyproject: str | None = None,
) -> tuple[Path, str]:
    """The shop, and the block ``fitness init`` proposes for it with ``pyproject`` as its
    pyproject.toml (what it declares decides the dependencies rule)."""
    shop = copy_example("shop", tmp_path)
    if pyproject is not None:
        (shop / "pyproject.toml").write_text(pyproject)
    monkeypatch.chdir(shop)
    code, out, err = run(["init", "--force", "--dry-run"], capsys)
    assert code == 0, err
    block = out.split("fitness: recognised")[0]
    return shop, block


def test_force_replaces_only_tool_fitness_and_keeps_every_other_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shop, block = _forced(tmp_path, monkeypatch, capsys, AROUND)
    config = shop / "pyproject.toml"
    config.write_text(AROUND)

    assert run(["init", "--force"], capsys)[0] == 0

    before, _, after = AROUND.partition("[tool.fitness]\n# the old one")
    after = after.split("# A comment about ruff")[1]
    assert config.read_text() == before + block + "\n# A comment about ruff" + after
    assert tomllib.loads(config.read_text())["project"]["description"].startswith(
        "[tool.fitness]\n"
    )


def test_a_table_header_inside_a_multiline_string_is_not_taken_for_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = 'x = """\n[tool.fitness]\nroot_packages = 1\n"""\n'
    shop, block = _forced(tmp_path, monkeypatch, capsys, text)
    config = shop / "pyproject.toml"
    config.write_text(text)

    assert run(["init"], capsys)[0] == 0  # the string is no configuration

    assert config.read_text() == text + "\n" + block


def test_a_symlinked_pyproject_is_written_through_to_its_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shop, block = _forced(tmp_path, monkeypatch, capsys, '[project]\nname = "shop"\n')
    target = tmp_path / "shared" / "pyproject.toml"
    target.parent.mkdir()
    target.write_text('[project]\nname = "shop"\n')
    (shop / "pyproject.toml").unlink()
    (shop / "pyproject.toml").symlink_to(target)

    assert run(["init"], capsys)[0] == 0

    assert (shop / "pyproject.toml").is_symlink()
    assert target.read_text() == '[project]\nname = "shop"\n\n' + block


# --- a pyproject.toml fitness cannot use (issue 11 A) ---


def test_a_pyproject_that_is_a_directory_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, CYCLES)
    (tmp_path / "pyproject.toml").mkdir()
    monkeypatch.chdir(tmp_path)
    assert run(["init"], capsys) == (
        2,
        "",
        f"fitness: error: {tmp_path / 'pyproject.toml'}: is a directory, not a file; "
        "nothing was written\n",
    )


def test_an_unreadable_pyproject_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, CYCLES)
    config = tmp_path / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert run(["init"], capsys) == (
        2,
        "",
        f"fitness: error: {config}: cannot read it (Permission denied); nothing was written\n",
    )


def test_a_read_only_project_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, CYCLES)
    config = tmp_path / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    import tempfile

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert run(["init"], capsys)[0:3:2] == (
        2,
        f"fitness: error: {config}: cannot write it (Permission denied); nothing was written\n",
    )
    assert config.read_text() == '[project]\nname = "x"\n'


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_a_read_only_directory_and_an_unreadable_file_for_real(tmp_path: Path) -> None:
    write_files(tmp_path, CYCLES)
    config = tmp_path / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n')
    tmp_path.chmod(0o555)
    try:
        result = _fitness(["init"], tmp_path)
        assert (result.returncode, result.stderr) == (
            2,
            f"fitness: error: {config}: cannot write it (Permission denied); nothing was written\n",
        )
    finally:
        tmp_path.chmod(0o755)
    config.chmod(0)
    result = _fitness(["init"], tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        f"fitness: error: {config}: cannot read it (Permission denied); nothing was written\n",
    )


# --- real packages: init, then check without a baseline, passes ---


def _fitness(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fitness", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def _installed(name: str) -> Path:
    spec = importlib.util.find_spec(name)  # finds it without importing it
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(f"{name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@pytest.mark.slow
@pytest.mark.parametrize("package", ["rich", "httpie", "django"])
def test_init_on_a_real_package_proposes_rules_that_hold_without_a_baseline(
    package: str, tmp_path: Path
) -> None:
    import shutil

    shutil.copytree(_installed(package), tmp_path / package)

    init = _fitness(["init"], tmp_path)
    assert init.returncode == 0, init.stderr
    assert "(nothing to baseline)" in init.stdout
    assert not (tmp_path / "fitness-baseline.json").exists()
    rules = tomllib.loads((tmp_path / "pyproject.toml").read_text())["tool"]["fitness"]["rules"]
    assert any(r["type"] == "layers" for r in rules)
    assert all("__main__" not in layer for r in rules for layer in r.get("layers", ()))
    check = _fitness(["check", "--no-baseline"], tmp_path)
    assert check.returncode == 0, check.stdout


def test_the_outcome_names_each_rule_and_what_would_be_baselined() -> None:
    from fitness.cli.init import outcome
    from fitness.domain.violations import RuleResult, Violation

    results = [
        RuleResult(rule_name="kept", description=""),
        RuleResult(
            rule_name="broken",
            description="",
            violations=(Violation(importer="a", imported="b", summary="a -> b"),) * 2,
        ),
    ]
    assert outcome(results, ("left out",), baselined=2) == [
        "fitness: 1 of 2 rules hold today",
        "  holds   kept",
        "  BROKEN  broken (2 violations)",
        "fitness: 2 known violations go to the baseline",
        "fitness: left out 1 candidate rule that would not hold today: left out",
    ]


def test_root_packages_are_proposed_independent_only_while_no_chain_joins_them() -> None:
    apart = fake_graph({"one.a": ["one.b"], "two.a": ["two.b"]})
    joined = fake_graph({"one.a": ["one.b"], "two.a": ["two.b"], "two.b": ["one"]})
    assert propose(apart, RULES).rules[-1] == ProposedRule(
        "The root packages are independent", "independence", {"modules": ["one", "two"]}
    )
    assert "The root packages are independent" in propose(joined, RULES).dropped
