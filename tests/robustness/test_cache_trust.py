"""A cache cannot be turned against the user (issue 19, item 5).

In CI the author of a pull request controls every file of the checkout, a committed
``.fitness_cache`` included, and the cache's keys are hashes of files anyone can read.
So an entry counts only if the key that lives outside the project sealed it: a forged
or committed entry is rebuilt (with one note) and cannot change a verdict; no entry
is read beyond a bound set by the sources; the configuration cannot send the cache
outside the project, and no link in it is written through. A CI cache restored with
its key is used."""

from __future__ import annotations

import dataclasses
import json
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fitness.adapters.cache_store import HEADER_SIZE, CacheStore, cache_key
from fitness.adapters.graph_cache import GraphCache
from fitness.cli import main
from fitness.domain.code import from_data, to_data
from fitness.domain.config import GraphSettings
from tests.helpers import read_cache_entry, write_project

#: What a run says, once, when its cache held entries fitness did not write on this machine.
NOTE = (
    "fitness: note: the cache in .fitness_cache held entries not written by fitness on this "
    "machine (copied or committed from elsewhere, forged, or from an older version): they were "
    "ignored and rebuilt (to share a cache, share its key: FITNESS_CACHE_KEY)\n"
)
#: The key of the pull request author's machine: they can seal what they like with it.
ATTACKER_KEY = b"the key on the pull request author's machine"

PRINTS = """
[tool.fitness]
root_packages = ["pkg"]

[[tool.fitness.rules]]
name = "no print"
type = "functions"
modules = ["pkg.**"]
should_not_call = ["print"]
"""
PRINTS_FILES = {"pkg/__init__.py": "", "pkg/a.py": 'def f():\n    print("hi")\n'}

LAYERS = """
[tool.fitness]
root_packages = ["pkg"]

[[tool.fitness.rules]]
name = "layers"
type = "layers"
layers = ["pkg.high", "pkg.low"]
"""
LAYERS_FILES = {"pkg/__init__.py": "", "pkg/high.py": "", "pkg/low.py": "import pkg.high\n"}


def check(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--config", str(root / "pyproject.toml"), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cache_files(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the cache with its bytes and modification time."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted((root / ".fitness_cache").rglob("*"))
        if p.is_file()
    }


def plant(root: Path, name: str, data: bytes, how: str) -> None:
    """Put ``data`` in the cache entry ``name`` as a pull request could: as it is (the
    format fitness wrote before entries were sealed), sealed with the author's own key,
    or behind the seal of the genuine entry (which must be there)."""
    path = root / ".fitness_cache" / name
    if how == "unsealed":
        path.write_bytes(data)
    elif how == "sealed elsewhere":
        path.write_bytes(CacheStore(root / ".fitness_cache", ATTACKER_KEY).seal(name, data))
    else:  # "genuine seal": the header of the real entry, the data changed
        path.write_bytes(path.read_bytes()[:HEADER_SIZE] + data)


def seal_here(root: Path, name: str, data: bytes) -> None:
    """Seal ``data`` with this machine's key: what the forgery would do if it were trusted."""
    secret = cache_key().secret
    assert secret is not None
    (root / ".fitness_cache" / name).write_bytes(
        CacheStore(root / ".fitness_cache", secret).seal(name, data)
    )


HOW = ["unsealed", "sealed elsewhere", "genuine seal"]


# Forged entries cannot change a verdict ---------------------------------------------


def code_model_without_calls(root: Path) -> bytes:
    """The code model's pack, every call of pkg.a.f removed (so print is not called)."""
    pack = marshal.loads(read_cache_entry(root / ".fitness_cache/codemodel/modules.marshal"))
    key, entry = pack["pkg.a"]
    code = from_data(marshal.loads(entry))
    (function,) = code.functions
    code = dataclasses.replace(code, functions=(dataclasses.replace(function, calls=()),))
    pack["pkg.a"] = (key, marshal.dumps(to_data(code)))
    return marshal.dumps(pack)


@pytest.mark.parametrize("how", HOW)
def test_a_forged_code_model_entry_cannot_hide_a_call(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    root = write_project(tmp_path, PRINTS, PRINTS_FILES)
    cold = check(root, capsys)
    assert cold[0] == 1 and cold[1].startswith("BROKEN no print\n")
    forged = code_model_without_calls(root)
    plant(root, "codemodel/modules.marshal", forged, how)
    assert check(root, capsys) == (*cold[:2], NOTE)
    assert check(root, capsys) == cold  # rebuilt: the next run is warm and silent
    seal_here(root, "codemodel/modules.marshal", forged)  # the forgery works, if trusted
    assert check(root, capsys)[:2] == (0, "KEPT   no print\n\n1 kept, 0 broken (0 violations)\n")


@pytest.mark.parametrize("how", HOW)
def test_a_forged_graph_cache_cannot_drop_an_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    root = write_project(tmp_path, LAYERS, LAYERS_FILES)
    cold = check(root, capsys)
    assert cold[0] == 1
    name = GraphCache(root / ".fitness_cache", GraphSettings(("pkg",))).name
    data = json.loads(read_cache_entry(root / ".fitness_cache" / name))
    data["imports"]["pkg.low"] = []
    forged = json.dumps(data).encode()
    plant(root, name, forged, how)
    assert check(root, capsys) == (*cold[:2], NOTE)
    assert check(root, capsys) == cold
    seal_here(root, name, forged)
    assert check(root, capsys)[0] == 0  # the forgery works, if trusted


def test_a_cache_committed_from_another_machine_is_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`git add -f .fitness_cache` on the author's machine, checked out on the CI runner."""
    root = write_project(tmp_path / "project", PRINTS, PRINTS_FILES)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "author"))
    authored = check(root, capsys)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "runner"))
    assert check(root, capsys) == (*authored[:2], NOTE)
    assert check(root, capsys) == authored


# Bounded loading ------------------------------------------------------------------------


def run_bounded(root: Path, output: Path) -> tuple[int, str, int]:
    """``fitness check`` in a process of its own, its address space capped at 1 GiB: its
    exit status, standard error and peak resident memory (KiB)."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    with (output / "out").open("wb") as out, (output / "err").open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "fitness", "check", "--config", str(root / "pyproject.toml")],
            stdout=out,
            stderr=err,
            preexec_fn=cap,
        )
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, (output / "err").read_text(), usage.ru_maxrss


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and ru_maxrss in KiB")
@pytest.mark.parametrize("items", [2**28, 2**31 - 1], ids=["2**28", "2**31-1"])
def test_a_five_byte_cache_file_allocates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], items: int
) -> None:
    """A marshal tuple header of 2**28 items made `fitness check` take 2.1 GB (2**31-1: a
    MemoryError traceback)."""
    root = write_project(tmp_path / "project", PRINTS, PRINTS_FILES)
    cold = check(root, capsys)
    (tmp_path / "run").mkdir()
    pack = root / ".fitness_cache" / "codemodel" / "modules.marshal"
    pack.write_bytes(b"(" + items.to_bytes(4, "little"))
    code, err, peak_kib = run_bounded(root, tmp_path / "run")
    assert (code, err) == (cold[0], NOTE)
    assert (tmp_path / "run" / "out").read_text() == cold[1]
    assert peak_kib < 200 * 1024


# A CI cache, restored ---------------------------------------------------------------------


def restore(backup: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(backup, target, symlinks=True)


def test_a_cache_restored_with_its_key_is_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """actions/cache with both paths: `.fitness_cache` and `~/.cache/pytest-fitness`."""
    root = write_project(tmp_path / "project", PRINTS, PRINTS_FILES)
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    cold = check(root, capsys)
    restore(root / ".fitness_cache", tmp_path / "saved/cache")
    restore(xdg, tmp_path / "saved/xdg")
    shutil.rmtree(root / ".fitness_cache")
    shutil.rmtree(xdg)  # a new runner: nothing of the last run's
    restore(tmp_path / "saved/cache", root / ".fitness_cache")
    restore(tmp_path / "saved/xdg", xdg)
    restored = cache_files(root)
    assert check(root, capsys) == cold
    assert cache_files(root) == restored  # used: nothing was rebuilt


def test_a_cache_restored_without_its_key_is_rebuilt_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(tmp_path / "project", PRINTS, PRINTS_FILES)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "first-runner"))
    cold = check(root, capsys)
    restored = cache_files(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "second-runner"))
    assert check(root, capsys) == (*cold[:2], NOTE)
    assert cache_files(root).keys() == restored.keys()
    assert all(cache_files(root)[n][0] != restored[n][0] for n in restored if "graph" in n)
    assert check(root, capsys) == cold


@pytest.mark.parametrize(("second", "warm"), [("k" * 40, True), ("j" * 40, False), ("", False)])
def test_a_key_from_the_environment_shares_the_cache(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    second: str,
    warm: bool,
) -> None:
    """FITNESS_CACHE_KEY from a CI secret; empty in a pull request from a fork."""
    root = write_project(tmp_path / "project", PRINTS, PRINTS_FILES)
    monkeypatch.setenv("FITNESS_CACHE_KEY", "k" * 40)
    cold = check(root, capsys)
    restored = cache_files(root)
    monkeypatch.setenv("FITNESS_CACHE_KEY", second)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-runner"))
    assert check(root, capsys) == (*cold[:2], "" if warm else NOTE)
    assert (cache_files(root) == restored) is warm


def test_without_a_usable_key_the_run_goes_on_without_a_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "not-a-directory").write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-directory"))
    root = write_project(tmp_path / "project", LAYERS, LAYERS_FILES)
    code, out, err = check(root, capsys)
    assert (code, out.splitlines()[0]) == (1, "BROKEN layers")
    assert err == (
        "fitness: note: the cache is off for this run: cannot use the cache key "
        f"{tmp_path}/not-a-directory/pytest-fitness/cache-key: Not a directory\n"
    )
    assert not (root / ".fitness_cache").exists()


# Where the cache goes ---------------------------------------------------------------------


@pytest.mark.parametrize("cache_dir", ["/tmp/fitness-elsewhere", "../outside", "a/../../outside"])
def test_the_configuration_cannot_put_the_cache_outside_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cache_dir: str
) -> None:
    config = LAYERS.replace("[tool.fitness]\n", f'[tool.fitness]\ncache_dir = "{cache_dir}"\n')
    root = write_project(tmp_path / "project", config, LAYERS_FILES)
    assert check(root, capsys) == (
        2,
        "",
        f"fitness: error: {root}/pyproject.toml:2: [tool.fitness]: 'cache_dir' must be a "
        "directory inside the project (a relative path without '..' leading out), not "
        f"'{cache_dir}'; to cache elsewhere, set FITNESS_CACHE_DIR in the environment\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_a_cache_dir_that_climbs_back_in_is_fine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = LAYERS.replace("[tool.fitness]\n", '[tool.fitness]\ncache_dir = "a/../b"\n')
    root = write_project(tmp_path, config, LAYERS_FILES)
    assert check(root, capsys)[0] == 1
    assert list((root / "b").glob("graph-*.json"))


def test_a_cache_dir_linked_outside_the_project_is_not_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pull request can commit `.fitness_cache` as a symbolic link (to ~/.ssh, to /etc)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    root = write_project(tmp_path / "project", LAYERS, LAYERS_FILES)
    (root / ".fitness_cache").symlink_to(outside, target_is_directory=True)
    code, out, err = check(root, capsys)
    assert (code, out.splitlines()[0]) == (1, "BROKEN layers")
    assert err == (
        "fitness: note: the cache is off for this run: cache_dir '.fitness_cache' leads outside "
        "the project (through a symbolic link); to cache elsewhere, set FITNESS_CACHE_DIR\n"
    )
    assert list(outside.iterdir()) == []


def test_fitness_cache_dir_from_the_runner_puts_the_cache_anywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FITNESS_CACHE_DIR", str(tmp_path / "runner-cache"))
    root = write_project(tmp_path / "project", PRINTS, PRINTS_FILES)
    cold = check(root, capsys)
    assert cold[2] == ""
    assert (tmp_path / "runner-cache" / "codemodel" / "modules.marshal").is_file()
    assert not (root / ".fitness_cache").exists()
    assert check(root, capsys) == cold


@pytest.mark.parametrize("trap", ["a linked entry", "a linked directory"])
def test_a_link_in_the_cache_is_never_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], trap: str
) -> None:
    """Committed links inside `.fitness_cache`: the graph cache's name pointing at a file
    of the runner's, the code model's directory pointing at a directory of the runner's."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "notes.txt").write_text("someone's notes\n")
    root = write_project(tmp_path / "project", PRINTS, PRINTS_FILES)
    (root / ".fitness_cache").mkdir()
    if trap == "a linked entry":
        name = GraphCache(root / ".fitness_cache", GraphSettings(("pkg",))).name
        (root / ".fitness_cache" / name).symlink_to(victim / "notes.txt")
    else:
        (root / ".fitness_cache" / "codemodel").symlink_to(victim, target_is_directory=True)
    for _ in range(2):  # (a link in the way stays: said again, never followed)
        code, out, err = check(root, capsys)
        assert (code, out.splitlines()[0]) == (1, "BROKEN no print")
        # A linked entry is read as not fitness's; a linked directory holds no entry.
        assert err == (NOTE if trap == "a linked entry" else "")
    assert [p.name for p in victim.iterdir()] == ["notes.txt"]
    assert (victim / "notes.txt").read_text() == "someone's notes\n"


# The history's rows ---------------------------------------------------------------------


def git(repo: Path, *arguments: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.com",
        "GIT_AUTHOR_DATE": "2026-01-01T12:00:00Z",
        "GIT_COMMITTER_DATE": "2026-01-01T12:00:00Z",
    }
    subprocess.run(["git", *arguments], cwd=repo, env=env, capture_output=True, check=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_forged_history_row_is_measured_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(tmp_path, LAYERS, LAYERS_FILES)
    (root / ".gitignore").write_text(".fitness_cache/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "layers broken")
    history = ["history", "--config", str(root / "pyproject.toml"), "--format", "json"]
    assert main(history) == 0
    measured = capsys.readouterr()
    (row,) = (root / ".fitness_cache" / "history").glob("*.json")
    data = json.loads(read_cache_entry(row))
    data["row"]["rules"][0]["violations"] = 0
    data["row"]["rules"][0]["keys"] = []
    forged = json.dumps(data).encode()
    name = row.relative_to(root / ".fitness_cache").as_posix()
    for how in HOW:
        plant(root, name, forged, how)
        assert main(history) == 0
        assert capsys.readouterr() == (measured.out, NOTE)
    seal_here(root, name, forged)
    assert main(history) == 0
    assert capsys.readouterr().out != measured.out  # the forgery works, if trusted


# Under pytest ----------------------------------------------------------------------------


def test_under_pytest_the_note_is_in_the_terminal_summary_once(pytester: pytest.Pytester) -> None:
    root = write_project(pytester.path / "project", PRINTS, PRINTS_FILES)
    first = pytester.runpytest("-p", "no:cacheprovider", str(root / "pyproject.toml"))
    first.assert_outcomes(failed=1)
    forged = code_model_without_calls(root)
    plant(root, "codemodel/modules.marshal", forged, "sealed elsewhere")
    result = pytester.runpytest("-p", "no:cacheprovider", str(root / "pyproject.toml"))
    result.assert_outcomes(failed=1)
    lines = result.stdout.lines
    note = NOTE.removeprefix("fitness: ").rstrip("\n")
    assert lines.count(note) == 1
    assert lines.index(note) > lines.index(next(line for line in lines if "pytest-fitness" in line))


@pytest.mark.slow
def test_with_xdist_the_workers_say_it_once(pytester: pytest.Pytester) -> None:
    config = PRINTS + '\n[[tool.fitness.rules]]\nname = "layers"\ntype = "layers"\n'
    config += 'layers = ["pkg.high", "pkg.low"]\n'
    root = write_project(pytester.path / "project", config, {**PRINTS_FILES, **LAYERS_FILES})
    arguments = ("-n", "2", "-p", "no:cacheprovider", str(root / "pyproject.toml"))
    pytester.runpytest_subprocess(*arguments).assert_outcomes(failed=2)
    name = GraphCache(root / ".fitness_cache", GraphSettings(("pkg",))).name
    graph = read_cache_entry(root / ".fitness_cache" / name)
    plant(root, name, graph, "sealed elsewhere")  # every worker reads the graph
    plant(root, "codemodel/modules.marshal", code_model_without_calls(root), "sealed elsewhere")
    result = pytester.runpytest_subprocess(*arguments)
    result.assert_outcomes(failed=2)
    assert result.stdout.lines.count(NOTE.removeprefix("fitness: ").rstrip("\n")) == 1
