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
- a change to what the project's pytest plugins (its ``pytest11`` entry points, the
  ``-p`` options and the settings modules of its pytest configuration) can run selects
  every test;
- a deleted or renamed module affects every file that imports its name (and, for a
  name no file has, every file whose import ends with it: ``sys.path`` tricks).

Pure: the files, their facts and the changes are given (:mod:`fitness.adapters.affected`).
"""

from __future__ import annotations

import posixpath
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from fitness.domain.runnable import FileFacts, ImportRef

#: Changed files that select every test, whatever they hold (by name, anywhere).
CONFIGURATION_FILES = frozenset(
    {"conftest.py", "pyproject.toml", "setup.cfg", "setup.py", "tox.ini", "pytest.ini"}
)

FULL = 1  # the module used: every import, string and dynamic import
BODY = 0  # the module run because a module under it is imported: its body only


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
class Project:
    """What the analysis reads: every Python file of the project with its facts (by path
    relative to the repository), where absolute imports are looked for (``bases``:
    directories relative to the repository, ``""`` its top), and the modules the
    project's pytest plugins name (run in every session: ``plugins``)."""

    files: Mapping[str, FileFacts]
    bases: tuple[str, ...] = ("",)
    plugins: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    """A changed path, relative to the repository (and to the project, if inside it);
    ``deleted`` when it is gone from the working tree."""

    path: str
    project_path: str | None = None
    deleted: bool = False

    @property
    def is_python(self) -> bool:
        return self.path.endswith(".py")


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


# Resolving imports to files -------------------------------------------------------------------


class _Index:
    """Module names to files, as ``import`` finds them from each base."""

    def __init__(self, project: Project) -> None:
        self.files = project.files
        self.by_name: dict[str, set[str]] = {}
        self.packages: dict[str, list[str]] = {}  # directory -> files under it
        for path in project.files:
            for base in project.bases:
                name = _module_name(path, base)
                if name:
                    self.by_name.setdefault(name, set()).add(path)
            directory = posixpath.dirname(path)
            while True:
                self.packages.setdefault(directory, []).append(path)
                if not directory:
                    break
                directory = posixpath.dirname(directory)
        self._parents: dict[str, str | None] = {}

    def parent(self, path: str) -> str | None:
        """The ``__init__.py`` that runs before ``path`` is imported: the nearest one in a
        directory above it (a namespace directory in between runs nothing)."""
        if path not in self._parents:
            directory = posixpath.dirname(path)
            found = None
            while directory:
                if posixpath.basename(path) == "__init__.py" and directory == posixpath.dirname(
                    path
                ):
                    directory = posixpath.dirname(directory)  # a package's parent is above it
                    continue
                candidate = posixpath.join(directory, "__init__.py")
                if candidate in self.files:
                    found = candidate
                    break
                directory = posixpath.dirname(directory)
            self._parents[path] = found
        return self._parents[path]

    def named(self, name: str) -> set[str]:
        return self.by_name.get(name, set())

    def under(self, prefix: str) -> set[str]:
        """Every file of a module whose name starts with ``prefix`` (``pkg.plugins.``)."""
        return {
            path
            for name, paths in self.by_name.items()
            if name.startswith(prefix)
            for path in paths
        }

    def children(self, name: str) -> set[str]:
        """The files of the modules directly under package ``name``."""
        prefix = name + "."
        return {
            path
            for child, paths in self.by_name.items()
            if child.startswith(prefix) and "." not in child[len(prefix) :]
            for path in paths
        }

    def relative(self, path: str, ref: ImportRef) -> tuple[str, ...]:
        """The candidate module paths of a relative import's ``name`` and of each of its
        names (directories relative to the repository, without ``.py``)."""
        directory = posixpath.dirname(path)
        for _ in range(ref.level - 1):
            if not directory:
                return ()
            directory = posixpath.dirname(directory)
        base = posixpath.join(directory, *ref.name.split(".")) if ref.name else directory
        return (base, *(posixpath.join(base, n) for n in ref.names if n != "*"))

    def at(self, stem: str) -> set[str]:
        return {p for p in (f"{stem}.py", posixpath.join(stem, "__init__.py")) if p in self.files}


def _module_name(path: str, base: str) -> str:
    """``path``'s module name seen from ``base`` (``""`` if it has none there)."""
    if base:
        if not path.startswith(base + "/"):
            return ""
        path = path[len(base) + 1 :]
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(part.isidentifier() for part in parts):
        return ""
    return ".".join(parts)


@dataclass
class _Edges:
    """What one file reaches, run in each mode: the files it uses (run with every
    function: ``FULL``) and those it only runs (a package whose submodule it imports by
    name: ``BODY``), and the names it imports that no file has."""

    used: dict[int, set[str]] = field(default_factory=lambda: {FULL: set(), BODY: set()})
    run: dict[int, set[str]] = field(default_factory=lambda: {FULL: set(), BODY: set()})
    missing: dict[int, set[str]] = field(default_factory=lambda: {FULL: set(), BODY: set()})


def _edges(path: str, facts: FileFacts, index: _Index) -> _Edges:
    edges = _Edges()
    for ref in facts.imports:
        used, run, missing = _resolve(path, ref, index)
        for mode in (FULL,) if ref.nested else (FULL, BODY):
            edges.used[mode] |= used
            edges.run[mode] |= run
            edges.missing[mode] |= missing
    strings = edges.used[FULL]
    for name in facts.names:
        strings |= index.named(name) or index.named(name.rpartition(".")[0])
    for prefix in facts.prefixes:
        strings |= index.under(prefix)
    if facts.own_package:
        package = posixpath.dirname(path)
        strings |= {p for p in index.packages.get(package, ()) if p != path}
    return edges


def _resolve(path: str, ref: ImportRef, index: _Index) -> tuple[set[str], set[str], set[str]]:
    """The files one import uses, those it only runs (``from pkg import sub``: ``pkg``'s
    body runs, ``sub`` is used), and the names it imports that no file has; the packages
    above each file run too (:meth:`_Index.parent`)."""
    used: set[str] = set()
    missing: set[str] = set()
    if ref.level:
        stems = index.relative(path, ref)
        if not stems:
            return used, set(), missing
        module = index.at(stems[0])
        if not module:
            missing.add(stems[0] + "/")  # a path, matched against deleted files
        submodules = [index.at(stem) for stem in stems[1:]]
        for found in submodules:
            used |= found
        if ref.names and all(submodules) and "*" not in ref.names:
            return used, module, missing
        return used | module, set(), missing
    name = ref.name
    module = index.named(name)
    if not module:
        missing.add(name)
        head = name
        while "." in head and not module:  # the nearest module above that exists runs
            head = head.rpartition(".")[0]
            module = index.named(head)
        used |= module
        module = set()
    if ref.plain and "." in name:
        used |= index.named(name.partition(".")[0])
    submodules = []
    for item in ref.names:
        if item == "*":  # the package's __all__ may name any module directly under it
            used |= index.children(name)
            submodules.append(set())
        else:
            submodules.append(index.named(f"{name}.{item}"))
    for found in submodules:
        used |= found
    if ref.names and all(submodules):
        return used, module, missing
    return used | module, set(), missing


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
    tainted = _Taint(project, modules)
    for plugin in project.plugins:
        for path in sorted(tainted.index.named(plugin)):
            reason = tainted.reason(path, FULL)
            if reason is not None:
                return _everything(
                    tests, modules, f"the pytest plugin {plugin} can run {reason}", ignored
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


class _Taint:
    """Which (file, mode) can run a changed file: a search from the changes backwards."""

    def __init__(self, project: Project, changes: Sequence[Change]) -> None:
        self.index = index = _Index(project)
        #: (file, mode) -> the next step towards a change (or the change itself, as a reason)
        self._towards: dict[tuple[str, int], tuple[str, int] | str] = {}
        backwards: dict[tuple[str, int], list[tuple[str, int]]] = {}
        seeds: dict[tuple[str, int], str] = {}
        deleted = _deleted_names(changes, project.bases)
        changed_stems = {c.path[:-3] for c in changes if c.deleted}
        suffixes = _suffix_names(changes)
        any_module = bool(changes)
        for path, facts in project.files.items():
            edges = _edges(path, facts, index)
            parent = index.parent(path)
            for mode in (FULL, BODY):
                for target in edges.used[mode]:
                    backwards.setdefault((target, FULL), []).append((path, mode))
                for target in edges.run[mode]:
                    backwards.setdefault((target, BODY), []).append((path, mode))
                if parent is not None:
                    backwards.setdefault((parent, BODY), []).append((path, mode))
                for name in edges.missing[mode]:
                    if name.endswith("/"):
                        if name[:-1] in changed_stems or name[:-1] + "/__init__" in changed_stems:
                            seeds.setdefault((path, mode), f"deleted {name[:-1]}.py")
                    elif name in deleted:
                        seeds.setdefault((path, mode), f"deleted {deleted[name]}")
                    elif name in suffixes:
                        seeds.setdefault((path, mode), suffixes[name])
            if facts.anything and any_module:
                reason = f"{path} (a dynamic import that could import any changed module)"
                seeds.setdefault((path, FULL), reason)
                if facts.unparsable:
                    seeds.setdefault((path, BODY), reason)
            for written in facts.paths:
                tail = [part for part in written.split("/") if part not in ("", ".", "..")]
                for change in changes:
                    if tail and change.path.split("/")[-len(tail) :] == tail:
                        seeds.setdefault((path, FULL), f"{change.path} (named as a path)")
        for change in changes:
            if change.path in project.files:
                for mode in (FULL, BODY):
                    seeds[(change.path, mode)] = change.path
        queue = deque(seeds)
        self._towards.update(seeds)
        while queue:  # breadth first: each reason is a shortest way to a change
            state = queue.popleft()
            for before in backwards.get(state, ()):
                if before not in self._towards:
                    self._towards[before] = state
                    queue.append(before)

    def reason(self, path: str, mode: int) -> str | None:
        """How ``path`` (run in ``mode``) reaches a change: ``a.py -> b.py -> changed.py``."""
        state: tuple[str, int] | str | None = self._towards.get((path, mode))
        if state is None:
            return None
        steps = [path]
        seen = {(path, mode)}
        while isinstance(state, tuple) and state not in seen:
            seen.add(state)
            if state[0] != steps[-1]:
                steps.append(state[0])
            state = self._towards.get(state)
        if isinstance(state, str) and state != steps[-1]:
            steps.append(state)
        return " -> ".join(steps)


def _deleted_names(changes: Sequence[Change], bases: Sequence[str]) -> dict[str, str]:
    """The module names of deleted files, from every base: name -> path."""
    names: dict[str, str] = {}
    for change in changes:
        if change.deleted and change.is_python:
            for base in bases:
                name = _module_name(change.path, base)
                if name:
                    names[name] = change.path
    return names


def _suffix_names(changes: Sequence[Change]) -> dict[str, str]:
    """Every dotted tail of each changed module's path (``c``, ``b.c``, ``a.b.c`` for
    ``a/b/c.py``): an import no file answers may find the module through ``sys.path``."""
    names: dict[str, str] = {}
    for change in changes:
        if not change.is_python:
            continue
        parts = change.path[:-3].split("/")
        if parts[-1] == "__init__":
            parts.pop()
        for start in range(len(parts)):
            tail = parts[start:]
            if tail and all(part.isidentifier() for part in tail):
                names.setdefault(".".join(tail), change.path)
    return names
