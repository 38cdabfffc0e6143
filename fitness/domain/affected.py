"""Test impact analysis: which test files a change can affect. Safe first: when in doubt,
a test runs.

A test file is affected when a changed file is among what it can run: itself, its
``conftest.py`` files, and every module they import, transitively, as Python runs
them (:mod:`fitness.domain.runnable` says what each file imports and when):

- importing a module runs its **module body**: its module-level imports (under ``if``
  and ``try`` too) and the ``__init__.py`` of every package above it;
- a module used for what it holds (imported by name, ``from pkg import x``) may also
  have **any function** called: its nested imports count, and so do the modules it
  names in strings and its dynamic imports;
- a module imported only because a module under it is (``pkg`` of ``pkg.mod``) runs its
  body only.

Everything static imports cannot see selects everything it might touch:

- a changed ``conftest.py``, ``pyproject.toml``, ``setup.cfg``, ``setup.py``,
  ``tox.ini`` or ``pytest.ini``, or any file that is not Python, selects every test
  (the globs of :attr:`Policy.always` add to these; those of :attr:`Policy.never`, such
  as ``docs/**``, select nothing);
- a test file that runs code out of process or through pytest itself (``subprocess``,
  ``sys.executable``, ``pytester``) is always selected;
- a dynamic import that could import anything makes whatever reaches it affected by
  any change of a Python module;
- a change to what the project's plugins and entry points (its ``pytest11`` plugins,
  the ``-p`` options and the settings module of its pytest configuration, the entry
  points it declares) can run selects every test;
- a deleted or renamed module affects every file that imports its name (and, for a
  name no file has, every file whose import ends with it: ``sys.path`` tricks).

Pure: the files, their facts and the changes are given (:mod:`fitness.adapters.affected`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from fitness.domain.reach import FULL, Reach
from fitness.domain.reach import Change as Change
from fitness.domain.reach import Project as Project

#: Changed files that select every test, whatever they hold (by name, anywhere).
CONFIGURATION_FILES = frozenset(
    {"conftest.py", "pyproject.toml", "setup.cfg", "setup.py", "tox.ini", "pytest.ini"}
)


@dataclass(frozen=True)
class Policy:
    """Globs of changed paths (relative to the repository or to the project; ``*`` within a
    name, ``**`` across directories, a pattern without ``/`` matches a file's name
    anywhere) that select every test (``always``), or none (``never``); ``always`` wins."""

    always: tuple[str, ...] = ()
    never: tuple[str, ...] = ()

    def matches(self, patterns: Sequence[str], paths: Sequence[str]) -> str | None:
        for pattern in patterns:
            regex = glob_regex(pattern)
            if any(regex.fullmatch(path) for path in paths):
                return pattern
        return None


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A path glob as a regular expression: ``**`` any directories, ``*`` and ``?`` within a
    name; without a ``/`` it matches the last name of a path."""
    pattern = pattern.strip().lstrip("/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    parts = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        elif pattern[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            parts.append("[^/]")
            i += 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    body = "".join(parts)
    if "/" not in pattern:
        body = "(?:.*/)?" + body
    return re.compile(body + "(?:/.*)?" if pattern.endswith("/") else body)


@dataclass(frozen=True)
class Selection:
    """The affected test files (relative to the repository), or every test (``everything``,
    with ``reason``); ``why`` gives each affected file's reason."""

    tests: tuple[str, ...]
    total: int
    changed_modules: int
    everything: bool = False
    reason: str = ""
    why: Mapping[str, str] = field(default_factory=dict)
    #: Changed paths that selected nothing by themselves (``never`` globs).
    ignored: tuple[str, ...] = ()

    def line(self) -> str:
        """``fitness: 12 of 140 test files affected by 3 changed modules``."""
        count = self.total if self.everything else len(self.tests)
        modules = self.changed_modules
        line = (
            f"fitness: {count} of {self.total} test file{'s' if self.total != 1 else ''} "
            f"affected by {modules} changed module{'s' if modules != 1 else ''}"
        )
        return f"{line} (every test: {self.reason})" if self.everything else line


# Selecting --------------------------------------------------------------------------------------


def conftests_of(test: str, files: Iterable[str] | Mapping[str, object]) -> list[str]:
    """The ``conftest.py`` files in the test file's directory and above it."""
    found = []
    directory = posixpath.dirname(test)
    while True:
        candidate = posixpath.join(directory, "conftest.py") if directory else "conftest.py"
        if candidate in files:
            found.append(candidate)
        if not directory:
            break
        directory = posixpath.dirname(directory)
    return sorted(found)


def select(
    project: Project, tests: Sequence[str], changes: Sequence[Change], policy: Policy | None = None
) -> Selection:
    """The test files among ``tests`` that ``changes`` can affect (see the module's
    docstring)."""
    policy = policy or Policy()
    total = len(tests)
    modules: list[Change] = []
    ignored: list[str] = []
    for change in changes:
        paths = [change.path] + ([change.project_path] if change.project_path else [])
        pattern = policy.matches(policy.always, paths)
        if pattern is not None:
            return _everything(tests, changes, f"{change.path} matches '{pattern}'")
        if policy.matches(policy.never, paths) is not None:
            ignored.append(change.path)
            continue
        name = posixpath.basename(change.path)
        if name in CONFIGURATION_FILES:
            return _everything(tests, changes, f"{change.path} changed (configuration)")
        if not change.is_python:
            return _everything(tests, changes, f"{change.path} changed (not a Python file)")
        modules.append(change)
    if not modules:
        return Selection((), total, 0, ignored=tuple(ignored))
    tainted = Reach(project, modules)
    for plugin in project.plugins:
        for path in sorted(tainted.index.named(plugin)):
            reason = tainted.reason(path, FULL)
            if reason is not None:
                return _everything(
                    tests,
                    modules,
                    f"{plugin}, which every test session may load, can run {reason}",
                    ignored,
                )
    why: dict[str, str] = {}
    for test in tests:
        facts = project.files.get(test)
        if facts is None:  # (a file git ignores): what it imports is not known
            why[test] = f"{test} was not read (git ignores it): it may import anything"
            continue
        if facts.out_of_process:
            why[test] = "runs code out of process or through pytest (subprocess, pytester...)"
            continue
        for root in (test, *conftests_of(test, project.files)):
            reason = tainted.reason(root, FULL)
            if reason is not None:
                why[test] = reason if root == test else f"{root} can run {reason}"
                break
    return Selection(tuple(sorted(why)), total, len(modules), why=why, ignored=tuple(ignored))


def _everything(
    tests: Sequence[str], changes: Sequence[Change], reason: str, ignored: Iterable[str] = ()
) -> Selection:
    modules = sum(1 for change in changes if change.is_python)
    return Selection(
        tuple(sorted(tests)),
        len(tests),
        modules,
        everything=True,
        reason=reason,
        ignored=tuple(ignored),
    )
