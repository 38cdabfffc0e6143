"""What each file of a project can run, and which files can run a changed one: the
import graph of test impact analysis (:mod:`fitness.domain.affected` says what selects
what), searched backwards from the changes.

A file is run in one of two ways: **used** (imported by name, ``from pkg import x``,
``import pkg.mod``: any of its functions may be called, so its nested imports, the
modules it names in strings and its dynamic imports count: ``FULL``), or only **run**
because a module under it is imported (``pkg/__init__.py`` of ``pkg.mod``: its module
body: ``BODY``). Pure.
"""

from __future__ import annotations

import posixpath
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from fitness.domain.runnable import FileFacts, ImportRef

FULL = 1  # the module used: every import, string and dynamic import
BODY = 0  # the module run because a module under it is imported: its body only


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


class ModuleIndex:
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


def _edges(path: str, facts: FileFacts, index: ModuleIndex) -> _Edges:
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


def _resolve(path: str, ref: ImportRef, index: ModuleIndex) -> tuple[set[str], set[str], set[str]]:
    """The files one import uses, those it only runs (``from pkg import sub``: ``pkg``'s
    body runs, ``sub`` is used), and the names it imports that no file has; the packages
    above each file run too (:meth:`ModuleIndex.parent`)."""
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


class Reach:
    """Which (file, mode) can run a changed file: a search from the changes backwards."""

    def __init__(self, project: Project, changes: Sequence[Change]) -> None:
        self.index = index = ModuleIndex(project)
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
