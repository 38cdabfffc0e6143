"""A ``fitness check`` of what has not changed says again what it said (issue 25, warm
runs): fitness/adapters/replay.py. Each test runs the ``fitness`` command as a user
does (``python -m fitness``), twice or more; a run that was replayed read none of the
caches, so the graph cache removed in between is not written again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fitness.adapters import replay
from fitness.adapters.cache_store import CacheStore
from fitness.domain.config import DEFAULT_CACHE_DIR
from tests.helpers import settled, write_project

CONFIG = """
[tool.fitness]
root_packages = ["shop"]

[[tool.fitness.rules]]
name = "layered"
type = "layers"
layers = ["shop.api", "shop.domain"]
"""
FILES = {
    "shop/__init__.py": "",
    "shop/api/__init__.py": "",
    "shop/api/views.py": "from shop.domain import model\n",
    "shop/domain/__init__.py": "",
    "shop/domain/model.py": "import shop.api.views\n",
}
#: The attacker's key: a pull request can seal what it likes with it.
ELSEWHERE = b"the key on the pull request author's machine"


def fitness(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "fitness", "check", *args],
        cwd=root,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode, done.stdout, done.stderr


def graph_caches(root: Path) -> list[Path]:
    return sorted((root / DEFAULT_CACHE_DIR).glob("graph-*.json"))


def replayed(root: Path, *args: str, env: dict[str, str] | None = None) -> bool:
    """Whether the run was replayed, and said what the first run said: the graph cache
    is removed first (a full run writes it again, a replay reads no cache)."""
    for cache in graph_caches(root):
        cache.unlink()
    result = fitness(root, *args, env=env)
    assert result == FIRST[root], "a replay must say what the run said"
    return not graph_caches(root)


FIRST: dict[Path, tuple[int, str, str]] = {}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "project", CONFIG, FILES)
    FIRST[root] = fitness(root)
    assert FIRST[root][0] == 1 and "BROKEN layered" in FIRST[root][1]
    return root


def test_an_unchanged_project_is_replayed(project: Path) -> None:
    assert replayed(project)
    assert replayed(project)


def test_a_replay_imports_neither_grimp_nor_the_rules(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "fitness", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.stdout == FIRST[project][1]
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
    assert "fitness.adapters.replay" in imported
    assert "grimp" not in imported
    assert "fitness.domain.rules" not in imported


@pytest.mark.parametrize(
    "change",
    [
        "edit a module",
        "add a module",
        "remove a module",
        "edit the configuration",
        "create the baseline",
        "add a directory of modules",
    ],
)
def test_a_change_is_run_in_full(project: Path, change: str) -> None:
    # Each change made a while before the run (a change of the last two seconds is
    # never replayed: test_a_change_within_one_tick_of_the_clock_is_seen).
    if change == "edit a module":
        path = project / "shop/domain/model.py"
        path.write_text("import shop.api.views\nimport json\n")
        settled(path)
    elif change == "add a module":
        (project / "shop/domain/new.py").write_text("")
        settled(project / "shop/domain/new.py")
    elif change == "remove a module":
        (project / "shop/api/views.py").unlink()
    elif change == "edit the configuration":
        (project / "pyproject.toml").write_text(CONFIG.replace("layered", "Layered"))
    elif change == "create the baseline":
        assert fitness(project, "--no-cache")[0] == 1
        subprocess.run(
            [sys.executable, "-m", "fitness", "baseline"], cwd=project, check=True, timeout=300
        )
        settled(project / "fitness-baseline.json")
    else:
        (project / "shop/domain/events").mkdir()
        (project / "shop/domain/events/placed.py").write_text("")
        settled(project / "shop/domain/events/placed.py")
    again = fitness(project)
    assert graph_caches(project)  # a full run (it reads the graph cache)
    FIRST[project] = again
    assert replayed(project)  # ... and the next one is replayed


def test_a_change_within_one_tick_of_the_clock_is_seen(project: Path) -> None:
    """A file system keeps a file's time in ticks (milliseconds; a second on some), so a
    file changed twice within one tick, at the same size, keeps its time and size: a
    run between the two changes must not leave a replay, or cached imports, that the
    second change would not undo (git's "racy" files)."""
    model = project / "shop/domain/model.py"
    model.write_text("import shop.api.views\n")  # just now: racy
    when = model.stat().st_mtime_ns
    assert fitness(project) == FIRST[project]  # broken, as before
    model.write_text("import json as _views\n")  # the same size...
    os.utime(model, ns=(when, when))  # ...and, within the same tick, the same time
    code, out, _ = fitness(project)
    assert (code, "1 kept, 0 broken" in out) == (0, True), out


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--format", "json"), {}),
        (("-q",), {}),
        ((), {"FITNESS_ANYTHING": "1"}),
        ((), {"PYTHONPATH": "elsewhere"}),
    ],
)
def test_other_words_or_another_environment_are_run_in_full(
    project: Path, args: tuple[str, ...], env: dict[str, str]
) -> None:
    for cache in graph_caches(project):
        cache.unlink()
    fitness(project, *args, env=env)
    assert graph_caches(project)


@pytest.mark.parametrize(
    "args",
    [
        ("--no-cache",),
        ("--output", "report.json", "--format", "json"),
        ("--conf", "pyproject.toml"),
    ],
)
def test_some_words_are_never_replayed(project: Path, args: tuple[str, ...]) -> None:
    for _ in range(2):
        for cache in graph_caches(project):
            cache.unlink()
        fitness(project, *args)
        assert graph_caches(project) or "--no-cache" in args


def test_a_run_that_warned_is_not_replayed(project: Path) -> None:
    """A warning (or a note) on standard error is said by the run it is about."""
    subprocess.run(
        [sys.executable, "-m", "fitness", "baseline"], cwd=project, check=True, timeout=300
    )
    (project / "pyproject.toml").write_text(CONFIG.replace("layered", "Layered"))
    first = fitness(project)
    assert "fitness: warning: the baseline has entries for 'layered'" in first[2]
    for cache in graph_caches(project):
        cache.unlink()
    assert fitness(project) == first
    assert graph_caches(project)  # run in full again


def test_a_dependencies_rule_reads_the_installed_distributions_so_it_is_not_replayed(
    tmp_path: Path,
) -> None:
    config = CONFIG + '\n[[tool.fitness.rules]]\nname = "deps"\ntype = "dependencies"\n'
    root = write_project(tmp_path, config, FILES)
    fitness(root)
    assert not (root / DEFAULT_CACHE_DIR / "replay").exists()


def test_a_deleted_adr_record_is_run_in_full(tmp_path: Path) -> None:
    config = CONFIG + 'adr = "docs/adr/0001-layers.md"\n'
    root = write_project(tmp_path, config, {**FILES, "docs/adr/0001-layers.md": "# Layers\n"})
    first = fitness(root)
    assert first[0] == 1
    (root / "docs/adr/0001-layers.md").unlink()
    code, _, err = fitness(root)
    assert code == 2 and "adr" in err


@pytest.mark.parametrize("how", ["sealed elsewhere", "unsealed"])
def test_a_forged_replay_cannot_change_a_verdict(project: Path, how: str) -> None:
    (entry,) = (project / DEFAULT_CACHE_DIR / "replay").glob("*.json")
    name = entry.relative_to(project / DEFAULT_CACHE_DIR).as_posix()
    forged = b'{"format": 1, "code": 0, "stdout": "KEPT   layered\\n", "stderr": ""}'
    if how == "unsealed":
        entry.write_bytes(forged)
    else:
        entry.write_bytes(CacheStore(project / DEFAULT_CACHE_DIR, ELSEWHERE).seal(name, forged))
    code, out, err = fitness(project)
    assert (code, out) == FIRST[project][:2]
    assert "not written by fitness on this machine" in err


def test_the_default_cache_directory_is_the_configurations() -> None:
    assert replay.DEFAULT_CACHE_DIR == DEFAULT_CACHE_DIR


@pytest.mark.parametrize(
    ("words", "config"),
    [
        (["check"], None),
        (["check", "--config", "a/pyproject.toml", "-q"], "a/pyproject.toml"),
        (["check", "--config=b.toml", "--blind-spots", "--full"], "b.toml"),
        (["check", "--blind-spots", "list", "--rule", "x"], None),
    ],
)
def test_the_words_a_replay_knows(words: list[str], config: str | None) -> None:
    command = replay.parse(words)
    assert command is not None and command.config == config


@pytest.mark.parametrize(
    "words",
    [
        ["history"],
        ["-v", "check"],
        ["check", "--no-cache"],
        ["check", "--output", "x.json"],
        ["check", "--conf", "x.toml"],
        ["check", "--config"],
        ["check", "--full=yes"],
    ],
)
def test_the_words_a_replay_does_not_know(words: list[str]) -> None:
    assert replay.parse(words) is None
