"""Test impact analysis is safe, shown by mutation: break a module, run every test, then
only the affected ones (``pytest --fitness-affected=HEAD``): every test the change made
fail must fail in both runs. On pytest-fitness itself and on a real package from PyPI
with its own test suite (python-dateutil's sdist), where a leaf module selects fewer than
half of the test files. Slow: each mutation runs a test suite twice."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.test_new_since import commit, git
from tests.helpers import REPO
from tests.parity.packages import IndexUnreachable, packages_dir

pytestmark = pytest.mark.slow

DATEUTIL = "python-dateutil==4.0.0"
#: What dateutil's tests import besides it (hypothesis, tzdata and attrs are ours already).
DATEUTIL_TEST_DEPENDENCIES = ("freezegun==1.5.5",)


@dataclass(frozen=True)
class Mutation:
    path: str
    old: str
    new: str

    def apply(self, root: Path) -> None:
        file = root / self.path
        text = file.read_text(encoding="utf-8")
        assert self.old in text, f"{self.path} no longer has {self.old!r}"
        file.write_text(text.replace(self.old, self.new, 1), encoding="utf-8")

    def revert(self, root: Path) -> None:
        git(root, "checkout", "-q", "--", self.path)


@dataclass(frozen=True)
class Run:
    failed: frozenset[str]
    selected_line: str


def run_tests(root: Path, env: dict[str, str], paths: list[str], *options: str) -> Run:
    """Run pytest in ``root`` and return the tests that failed (or errored). Its temporary
    directories are its own (the shared one may hold much to clean up)."""
    report = root / ".pytest-report.xml"
    temporary = root.parent / "pytest-temproot"
    temporary.mkdir(exist_ok=True)
    env = {**env, "PYTEST_DEBUG_TEMPROOT": str(temporary)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-W",
            "ignore::pytest.PytestUnknownMarkWarning",
            f"--junitxml={report}",
            *options,
            *paths,
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1, 5), done.stdout[-3000:] + done.stderr[-3000:]
    failed = set()
    for case in ElementTree.parse(report).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed.add(f"{case.get('classname')}::{case.get('name')}")
    report.unlink()
    line = next((x for x in done.stdout.splitlines() if x.startswith("fitness: ")), "")
    return Run(frozenset(failed), line)


def selection(root: Path, env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "fitness", "affected", "HEAD", "--format", "json", "tests"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, object] = json.loads(done.stdout)
    data["line"] = done.stderr.strip()
    return data


def check_safety(
    root: Path, env: dict[str, str], paths: list[str], mutations: list[Mutation]
) -> dict[str, str]:
    """For each mutation: the tests it makes fail (against the clean run) all fail when only
    the affected tests run; each mutation's selection line, by path. When every test is
    selected the second run would be the first one again: it is not made."""
    clean = run_tests(root, env, paths).failed
    lines = {}
    for mutation in mutations:
        mutation.apply(root)
        try:
            chosen = selection(root, env)
            broken = run_tests(root, env, paths).failed - clean
            if not chosen["every_test"]:
                affected = run_tests(root, env, paths, "--fitness-affected=HEAD")
                missed = broken - affected.failed
                assert not missed, f"{mutation.path}: not run, though broken: {sorted(missed)[:9]}"
        finally:
            mutation.revert(root)
        assert broken, f"{mutation.path}: the mutation broke no test"
        lines[mutation.path] = str(chosen["line"])
    return lines


def copy_into_git(source: Path, target: Path, files: list[str]) -> Path:
    for relative in files:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if (source / relative).is_file():
            shutil.copy2(source / relative, destination)
    (target / ".gitignore").write_text(
        ".fitness_cache/\n__pycache__/\n.pytest-report.xml\n", encoding="utf-8"
    )
    git(target, "init", "-q", "-b", "main")
    commit(target, "the project")
    return target


def test_on_pytest_fitness_itself(tmp_path: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    root = copy_into_git(REPO, tmp_path / "pytest-fitness", [f for f in listed if f])
    env = {**os.environ, "PYTHONPATH": str(root)}  # this copy's fitness, not the installed one
    mutations = [
        # A module of the package (its pytest plugin can reach it: every test is selected).
        Mutation(
            "fitness/domain/baseline.py",
            "    direct = len(chain.links) == 1",
            "    direct = len(chain.links) != 1",
        ),
        # Test helpers: only the tests that import them.
        Mutation(
            "tests/application/fakes.py",
            "        self.graphs_built += 1\n",
            "        self.graphs_built += 2\n",
        ),
        Mutation(
            "tests/helpers.py",
            '    files = {m: m.replace(".", "/") + ".py" for m in modules}',
            '    files = {m: m.replace(".", "/") + ".pyw" for m in modules}',
        ),
    ]

    # Tests that run in-process (a pytester test would be selected whatever changed).
    scope = [
        "tests/application",
        "tests/domain/test_new_since.py",
        "tests/domain/test_typed_results.py",
        "tests/domain/rules/test_cqrs.py",
        "tests/domain/rules/test_onion.py",
        "tests/domain/rules/test_rule_interface.py",
    ]

    lines = check_safety(root, env, scope, mutations)

    assert (
        "(every test: fitness.pytest_plugin, which every test session may load, can run"
        in (lines["fitness/domain/baseline.py"])
    )
    assert "every test" not in lines["tests/application/fakes.py"]


@pytest.fixture(scope="module")
def dateutil(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """python-dateutil's sdist in a git repository, and the environment to test it in."""
    try:
        dependencies = packages_dir(DATEUTIL_TEST_DEPENDENCIES)
    except IndexUnreachable as error:
        pytest.skip(f"the package index cannot be reached: {error}")
    download = tmp_path_factory.mktemp("sdist")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--dest",
            str(download),
            DATEUTIL,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot download the sdist of {DATEUTIL}: {done.stderr.strip()[-300:]}")
    [archive] = download.glob("*.tar.gz")
    unpacked = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    [source] = unpacked.iterdir()
    files = [p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()]
    root = copy_into_git(source, tmp_path_factory.mktemp("dateutil") / "dateutil", files)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(dependencies)])}
    return root, env


def test_on_python_dateutil(dateutil: tuple[Path, dict[str, str]]) -> None:
    root, env = dateutil
    mutations = [
        # A leaf: only the tests that use it.
        Mutation(
            "src/dateutil/zoneinfo/rebuild.py",
            "def rebuild(",
            "def rebuild(*_, **__):\n    raise RuntimeError('mutated')\n\n\ndef _rebuild(",
        ),
        Mutation(
            "src/dateutil/utils.py", "    return -delta <= difference <= delta", "    return False"
        ),
        # A module that every test can reach (through the methods of the tz package).
        Mutation("src/dateutil/easter.py", "    y = year", "    y = year + 1"),
    ]

    lines = check_safety(root, env, ["tests", "-n", "2"], mutations)

    leaf = lines["src/dateutil/zoneinfo/rebuild.py"]
    chosen, _, total = leaf.removeprefix("fitness: ").partition(" test files")[0].partition(" of ")
    assert int(chosen) < int(total) / 2, leaf
