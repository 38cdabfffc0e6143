"""Test impact analysis on disk: the changes since a revision (from git), the project's
Python files and what each can run (:mod:`fitness.adapters.import_scan`), where pytest
finds modules, and the project's pytest plugins. The selection itself is
:func:`fitness.domain.affected.select`.

Changed means committed since the revision (from its merge base with ``HEAD``: what the
branch did, not what the revision's branch did since), staged, unstaged or untracked
(``git diff --name-only``, ``git ls-files --others --exclude-standard``). The files
analysed are every Python file of the repository git knows or would add (tracked, or
untracked and not ignored): tests, their helpers and conftests, the packages, siblings
installed from the same repository. Absolute imports are looked for where pytest and
Python would find them: the project's directory and its ``src/``, each test file's
``rootdir``-relative base directory (the first directory above it without an
``__init__.py``, which pytest's default import mode puts on ``sys.path``), pytest's
``pythonpath`` setting and the ``sys.path`` entries inside the repository (editable
installs). Implements :class:`fitness.application.ports.ChangedProject`.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

from fitness.adapters.baseline import locked
from fitness.adapters.cache_store import CacheStore
from fitness.adapters.entry_points import entry_points
from fitness.adapters.git_env import run_git
from fitness.adapters.git_revision import commit_of
from fitness.adapters.import_scan import FactsCache, ScannedFile
from fitness.application.affected import affected_tests
from fitness.domain.affected import Change, Policy, Project
from fitness.domain.errors import FitnessError
from fitness.domain.rendering import printable_line

OPTION = "--fitness-affected"


class GitChangedProject:
    """The project in ``project_dir`` (pytest's rootdir, or the configuration's directory)
    and its repository. ``pythonpath``: pytest's setting (relative to ``project_dir``);
    ``plugins``: module names or files (absolute paths) of the pytest plugins every session
    of the project runs; ``store``: the run's cache (``None``: none)."""

    def __init__(
        self,
        project_dir: Path,
        *,
        store: CacheStore | None = None,
        pythonpath: Sequence[str] = (),
        plugins: Iterable[str] = (),
        option: str = OPTION,
    ) -> None:
        self.project_dir = project_dir.resolve()
        self.option = option
        top = self._run(["rev-parse", "--show-toplevel"], self.project_dir)
        if top.returncode != 0:
            raise FitnessError(
                f"{self.project_dir} is not in a git repository ({option} compares the "
                "working tree with a commit)"
            )
        self.top = Path(os.fsdecode(top.stdout.strip())).resolve()
        self.store = store
        self.pythonpath = tuple(pythonpath)
        self.plugins = tuple(plugins)
        #: The project's directory relative to the repository ("" at its top).
        self.prefix = self.project_dir.relative_to(self.top).as_posix().removeprefix(".")
        self._files: list[str] | None = None
        #: How many files the last :meth:`project` parsed (the others came from the cache).
        self.parsed = 0

    # git -----------------------------------------------------------------------------------

    @staticmethod
    def _run(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
        return run_git(arguments, cwd)

    def _git(self, *arguments: str) -> subprocess.CompletedProcess[bytes]:
        return run_git(list(arguments), self.top)

    def commit_of(self, revision: str) -> str:
        """The commit ``revision`` names; an error as ``fitness history`` gives it if none
        (a "did you mean", and in a shallow clone how to fetch the history)."""
        purpose = f"{self.option} compares the working tree with a commit"
        return commit_of(self.project_dir, revision, self.option, purpose)

    def _paths(self, *arguments: str) -> list[str]:
        done = self._git(*arguments)
        if done.returncode != 0:
            message = printable_line(done.stderr.decode("utf-8", "replace").strip()[:300])
            raise FitnessError(f"git {arguments[0]} failed: {message or done.returncode}")
        return [os.fsdecode(path).replace(os.sep, "/") for path in done.stdout.split(b"\0") if path]

    def changes_since(self, revision: str) -> list[Change]:
        """What changed since ``revision``: committed since its merge base with ``HEAD``,
        staged, unstaged, untracked (a ``FitnessError`` for an unknown revision)."""
        commit = self.commit_of(revision)
        base = self._git("merge-base", commit, "HEAD")
        since = base.stdout.decode().strip() if base.returncode == 0 else commit
        changed = set(self._paths("diff", "--name-only", "--no-renames", "-z", since, "--"))
        changed |= set(self._paths("ls-files", "--others", "--exclude-standard", "-z"))
        changes = []
        for path in sorted(changed):
            inside = self._project_path(path)
            deleted = not os.path.lexists(self.top / path)
            changes.append(Change(path, inside, deleted))
        return changes

    def _project_path(self, path: str) -> str | None:
        if not self.prefix:
            return path
        return path[len(self.prefix) + 1 :] if path.startswith(self.prefix + "/") else None

    def python_files(self) -> list[str]:
        """Every Python file of the repository, tracked or untracked and not ignored."""
        if self._files is None:
            listed = self._paths("ls-files", "-z", "--cached", "--others", "--exclude-standard")
            self._files = sorted({p for p in listed if p.endswith(".py")})
        return self._files

    # The project ---------------------------------------------------------------------------

    def relative(self, path: Path) -> str | None:
        """``path`` relative to the repository (``None``: outside it)."""
        try:
            return Path(os.path.abspath(path)).relative_to(self.top).as_posix()
        except ValueError:
            try:
                return path.resolve().relative_to(self.top).as_posix()
            except (ValueError, OSError):
                return None

    def project(self, tests: Sequence[str]) -> Project:
        """The files and what they can run, where imports are looked for (``tests``: the
        test files, relative to the repository: their base directories are places too)."""
        files = self.python_files()
        cache = FactsCache(self.store, self.top)
        scanned = [ScannedFile(path, str(self.top / path)) for path in files]
        if self.store is None:
            facts = cache.facts(scanned)
        else:
            # One process reads the files at a time (pytest-xdist workers, parallel jobs
            # sharing a cache): the others then find them in the cache.
            with locked(self.store.root / "affected.lock"):
                facts = cache.facts(scanned)
        self.parsed = cache.parsed
        known = set(facts)
        bases = {self.prefix, posixpath.join(self.prefix, "src") if self.prefix else "src"}
        for entry in self.pythonpath:
            relative = self.relative(self.project_dir / entry)
            if relative is not None:
                bases.add("" if relative == "." else relative)
        for entry in sys.path:
            if entry:
                relative = self.relative(Path(entry))
                if relative is not None:
                    bases.add("" if relative == "." else relative)
        conftests = [p for p in files if posixpath.basename(p) == "conftest.py"]
        for path in [*tests, *conftests]:
            bases.add(base_directory(path, known))
        plugins = []
        for plugin in self.plugins:
            if os.path.isabs(plugin):
                relative = self.relative(Path(plugin))
                if relative is not None and relative in known:
                    plugins.append(relative)
            else:
                plugins.append(plugin)
        return Project(facts, tuple(sorted(bases)), tuple(plugins))


def base_directory(path: str, files: set[str]) -> str:
    """Where pytest's default import mode (``prepend``) imports a test file from: the
    first directory above it that has no ``__init__.py``."""
    directory = posixpath.dirname(path)
    while directory and posixpath.join(directory, "__init__.py") in files:
        directory = posixpath.dirname(directory)
    return directory


# The project's pytest plugins, for a run outside pytest -----------------------------------------


def declared_plugins(
    project_dir: Path, addopts: str = "", settings: str = "", *, installed: bool = True
) -> list[str]:
    """Module names of what every test session of the project may run: the installed
    ``pytest11`` entry points (unless ``installed`` is false: under pytest, the plugin
    manager has them loaded), the entry points the project declares, ``-p NAME`` in
    ``addopts`` (and ``PYTEST_ADDOPTS``), and the Django settings module
    (``DJANGO_SETTINGS_MODULE``)."""
    names = _declared_entry_points(project_dir)
    if installed:
        names += [point.value.partition(":")[0].strip() for point in entry_points("pytest11")]
    options = f"{addopts} {os.environ.get('PYTEST_ADDOPTS', '')}"
    names += re.findall(r"(?:^|\s)-p\s*([A-Za-z_][\w.]*)", options)
    for value in (settings, os.environ.get("DJANGO_SETTINGS_MODULE", "")):
        if value:
            names.append(value.strip())
    return sorted(set(names))


def _declared_entry_points(project_dir: Path) -> list[str]:
    """The modules of the entry points the project declares (pyproject.toml, setup.cfg,
    setup.py), whether or not it is installed: ``pytest11`` plugins run in every session,
    and code loaded by name from any other group (a plugin of a library the tests use)
    is what static imports cannot see. Console scripts are not: they run in a process of
    their own (and a test that runs one is always selected)."""

    names: list[str] = []
    try:
        data = tomllib.loads((project_dir / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    groups = data.get("project", {}).get("entry-points", {})
    if isinstance(groups, dict):
        for points in groups.values():
            if isinstance(points, dict):
                names += [str(v).partition(":")[0].strip() for v in points.values()]
    for file in ("setup.cfg", "setup.py"):
        try:
            text = (project_dir / file).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "entry_points" in text:
            names += re.findall(r"[\w.-]+\s*=\s*([A-Za-z_][\w.]*)\s*:[\w.]+", text)
            names += re.findall(r"pytest11[^=]*=[^=]*=\s*([A-Za-z_][\w.]*)", text)
    return names


def affected_files(
    rootpath: Path,
    revision: str,
    files: Sequence[Path],
    *,
    store: CacheStore | None,
    plugins: Sequence[str],
    settings: tuple[str, str],
    pythonpath: Sequence[str],
    always: Sequence[str] = (),
    never: Sequence[str] = (),
) -> tuple[set[Path], str]:
    """The test files (of ``files``) the changes since ``revision`` can affect, and the
    line that says how many (``--fitness-affected``). ``plugins``: the files of the pytest
    plugins loaded; ``settings``: pytest's ``addopts`` and ``DJANGO_SETTINGS_MODULE``."""

    plugins = [*plugins, *declared_plugins(rootpath, *settings, installed=False)]
    source = GitChangedProject(rootpath, store=store, pythonpath=pythonpath, plugins=plugins)
    relative = {path: source.relative(path) for path in files}
    tests = sorted(r for r in relative.values() if r is not None)
    selection = affected_tests(source, revision, tests, Policy(tuple(always), tuple(never)))
    chosen = set(selection.tests)
    keep = {path for path, r in relative.items() if r is None or r in chosen}
    return keep, printable_line(selection.line())  # (paths are the change's)
