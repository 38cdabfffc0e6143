"""Third-party dependencies as data: what a project declares, what is installed, and
which distribution an import name comes from.

Pure. Reading ``pyproject.toml``, ``setup.cfg``, requirements files and the installed
distributions' metadata (``*.dist-info``) is an adapter's job
(:mod:`fitness.adapters.dependency_metadata`); it gives the ``dependencies`` rule type
(:mod:`fitness.domain.rules.imports.dependencies`) these plain values through the graph
(:meth:`fitness.domain.graph.ProjectGraph.attach_dependency_metadata`), and nothing of
the analysed code or its dependencies is ever imported.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple, Protocol

#: Where a declaration comes from: the project's dependencies, an extra (optional
#: dependencies), a dependency group (PEP 735, Poetry's groups and dev-dependencies,
#: PDM's, uv's and Hatch's development tables), or a requirements file given as
#: production or development requirements.
KINDS = ("dependencies", "extra", "group", "requirements", "development requirements")


def normalise(name: str) -> str:
    """A distribution's name as PEP 503 compares them: ``Foo_Bar.baz`` -> ``foo-bar-baz``."""
    return re.sub(r"[-_.]+", "-", name).lower()


class Requirement(NamedTuple):
    """One requirement string (PEP 508), as far as fitness needs it."""

    name: str
    #: The extras it asks of the distribution: ``httpx[http2]``.
    extras: tuple[str, ...] = ()
    #: The extras of the *requiring* distribution under which it applies
    #: (``; extra == "socks"`` in an installed distribution's ``Requires-Dist``).
    when_extras: tuple[str, ...] = ()


_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?")
_EXTRA_MARKER = re.compile(r"""\bextra\s*==\s*["']([^"']+)["']""")


def parse_requirement(text: str) -> Requirement | None:
    """The name, extras and ``extra ==`` markers of a PEP 508 requirement string, or
    None if it names no distribution (a bare URL, a local path, an option)."""
    match = _NAME.match(text)
    if match is None:
        return None
    rest = text[match.end() :].lstrip()
    if rest and rest[0] not in "<>=!~;@(,":
        return None  # "./local/path", "https://...": no name to read
    extras = tuple(e.strip() for e in (match.group(2) or "").split(",") if e.strip())
    marker = rest.partition(";")[2]
    when = tuple(normalise(extra) for extra in _EXTRA_MARKER.findall(marker))
    return Requirement(match.group(1), extras, when)


class Declaration(NamedTuple):
    """One dependency the project declares, where it is written."""

    #: The distribution, as written.
    name: str
    #: One of :data:`KINDS`.
    kind: str
    #: The extra's or the group's name (``""`` for the dependencies themselves).
    group: str = ""
    #: Where it is written, relative to the project (``pyproject.toml``), and its line.
    file: str = ""
    line: int | None = None
    #: The text of that line.
    code: str = ""
    #: The extras it asks for (``httpx[http2]``).
    extras: tuple[str, ...] = ()
    #: The table or section it is in, as a message names it (``[project] dependencies``).
    section: str = ""

    @property
    def key(self) -> str:
        return normalise(self.name)


class Declarations(NamedTuple):
    """Everything the project declares, from every source of metadata found."""

    declarations: tuple[Declaration, ...] = ()
    #: The project's own distribution name (never a dependency of itself).
    project_name: str = ""
    #: What was read, as messages name it (``pyproject.toml [project]``).
    sources: tuple[str, ...] = ()
    #: What could not be read, said next to the verdict.
    notes: tuple[str, ...] = ()


class InstalledDistribution(NamedTuple):
    """One installed distribution, read from its metadata (never imported)."""

    name: str
    #: The top-level names it can be imported as (``top_level.txt``, else its ``RECORD``).
    top_level: tuple[str, ...] = ()
    #: Its requirements (``Requires-Dist``).
    requires: tuple[Requirement, ...] = ()
    #: The packages it installs below a top-level name it shares with other
    #: distributions (``google.protobuf``), down to three levels: which of them an
    #: import of a namespace package comes from.
    packages: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return normalise(self.name)


class Environment:
    """The installed distributions (the first of a name wins, as on ``sys.path``), and
    which of them provide each import name."""

    def __init__(self, distributions: Iterable[InstalledDistribution], where: Iterable[str] = ()):
        self.distributions: dict[str, InstalledDistribution] = {}
        for distribution in distributions:
            self.distributions.setdefault(distribution.key, distribution)
        #: Where they were read from (directories), as messages name them.
        self.where: tuple[str, ...] = tuple(where)
        self._by_top: dict[str, list[InstalledDistribution]] = {}
        for distribution in sorted(self.distributions.values(), key=lambda d: d.key):
            for name in distribution.top_level:
                self._by_top.setdefault(name, []).append(distribution)

    def get(self, name: str) -> InstalledDistribution | None:
        return self.distributions.get(normalise(name))

    def providers(self, module: str) -> tuple[str, ...]:
        """The distributions an import of ``module`` (dotted) can come from: those that
        install its top-level name, narrowed by their packages when several share it
        (a namespace package); none if no installed distribution provides it."""
        top = module.partition(".")[0]
        found = self._by_top.get(top, [])
        if len(found) > 1 and "." in module:
            depths = {d.key: _deepest(d, module) for d in found}
            best = max(depths.values())
            if best:
                found = [d for d in found if depths[d.key] == best]
        return tuple(d.name for d in found)

    def why_installed(
        self, name: str, declared: Mapping[str, tuple[str, ...]]
    ) -> tuple[str, ...] | None:
        """The shortest chain of requirements that installs ``name`` from one of the
        ``declared`` distributions (normalised name -> extras asked for), as names
        (``("httpx", "anyio")``: httpx requires anyio); None if none does."""
        target = normalise(name)
        # A breadth-first search over (distribution, extras asked of it), each
        # distribution visited once: the first chain found is a shortest one.
        previous: dict[str, str | None] = {}
        frontier: list[tuple[str, tuple[str, ...]]] = []
        for key in sorted(declared):
            if key in self.distributions and key != target:
                previous[key] = None
                frontier.append((key, tuple(sorted(normalise(e) for e in declared[key]))))
        while frontier:
            following: list[tuple[str, tuple[str, ...]]] = []
            for key, extras in frontier:
                for requirement in sorted(self.distributions[key].requires):
                    if requirement.when_extras and not set(requirement.when_extras) & set(extras):
                        continue
                    required = normalise(requirement.name)
                    if required not in self.distributions or required in previous:
                        continue
                    previous[required] = key
                    if required == target:
                        chain: list[str] = []
                        at: str | None = required
                        while at is not None:
                            chain.append(self.distributions[at].name)
                            at = previous[at]
                        return tuple(reversed(chain))
                    asked = tuple(sorted(normalise(e) for e in requirement.extras))
                    following.append((required, asked))
            frontier = following
        return None


def _deepest(distribution: InstalledDistribution, module: str) -> int:
    """How many name parts of ``module`` the distribution's packages match."""
    best = 0
    for package in distribution.packages:
        if module == package or module.startswith(package + "."):
            best = max(best, package.count(".") + 1)
        elif package.startswith(module + "."):
            best = max(best, module.count(".") + 1)
    return best


class DependencyRequest(NamedTuple):
    """What the ``dependencies`` rule asks the metadata adapter to read, as configured."""

    requirements_files: tuple[str, ...] = ()
    development_requirements_files: tuple[str, ...] = ()
    #: Directories holding installed distributions (``site-packages``, or a virtual
    #: environment), relative to the configuration file; empty: the running Python's.
    environment: tuple[str, ...] = ()


class DependencyMetadata(Protocol):
    """The project's dependency metadata, read by an adapter (statically, on first use;
    errors are :class:`~fitness.domain.errors.RuleError` naming the file and line)."""

    def declarations(self, request: DependencyRequest) -> Declarations:
        """What the project declares (its metadata, and the requirements files asked for)."""
        ...

    def environment(self, request: DependencyRequest) -> Environment:
        """The distributions installed where the project runs."""
        ...

    def local_modules(self) -> frozenset[str]:
        """Top-level modules and packages in the project's directory (and its ``src``):
        the project's own code, never third-party even outside the root packages."""
        ...

    def optional_import_lines(self, modules: Iterable[str]) -> Mapping[str, frozenset[int]]:
        """For each of ``modules``, the lines of its imports that are optional
        (:func:`optional_import_lines`)."""
        ...


# --------------------------------------------------------------------------------------
# Read from source text
# --------------------------------------------------------------------------------------

#: The exceptions whose handler makes the imports of a ``try`` block optional.
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def optional_import_lines(source: str) -> frozenset[int]:
    """The lines of the import statements inside ``try:`` blocks that catch a failed
    import (``except ImportError``, ``ModuleNotFoundError``, ``Exception`` or a bare
    ``except``): imports the code can run without. Empty if the source does not parse."""
    if "try" not in source:
        return frozenset()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try | ast.TryStar) and any(
            _catches_import_error(handler.type) for handler in node.handlers
        ):
            for statement in node.body:
                for inner in ast.walk(statement):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        lines.add(inner.lineno)
    return frozenset(lines)


def _catches_import_error(caught: ast.expr | None) -> bool:
    if caught is None:
        return True
    if isinstance(caught, ast.Tuple):
        return any(_catches_import_error(element) for element in caught.elts)
    if isinstance(caught, ast.Name):
        return caught.id in _IMPORT_ERRORS
    if isinstance(caught, ast.Attribute):
        return caught.attr in _IMPORT_ERRORS
    return False


_FROM = re.compile(r"^\s*from\s+([\w.]+)\s+import\s*(.*)$")
_IMPORT = re.compile(r"^\s*import\s+(.+)$")


def imported_modules(line: str, top: str) -> tuple[str, ...]:
    """The dotted names under ``top`` that an import line imports: ``import a.b`` ->
    ``a.b``; ``from google import protobuf`` -> ``google.protobuf`` (a name imported
    from a module may be a submodule: the most a namespace package can be told by);
    ``(top,)`` if it names none that can be read (a statement over several lines, a
    line that is not an import)."""
    line = line.split("#", 1)[0].split(";", 1)[0]
    found: list[str] = []
    if match := _FROM.match(line):
        module, names = match.groups()
        names = names.strip()
        if names and names[0] not in "(*\\":
            for part in names.split(","):
                name = part.strip().split(" ", 1)[0]
                found.append(f"{module}.{name}" if name.isidentifier() else module)
        else:
            found.append(module)
    elif match := _IMPORT.match(line):
        for part in match.group(1).split(","):
            found.append(part.strip().split(" ", 1)[0])
    names = tuple(sorted({name for name in found if name == top or name.startswith(top + ".")}))
    return names or (top,)
