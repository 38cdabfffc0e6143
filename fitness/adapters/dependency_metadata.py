"""A project's dependency metadata, read statically: what it declares
(:mod:`fitness.adapters.declarations`), what is installed
(:mod:`fitness.adapters.installed`), its own top-level modules, and which of its
imports are optional (inside ``try: ... except ImportError``).

:func:`attach_dependency_metadata` lets the ``dependencies`` rule ask for all of it
through the graph (:class:`fitness.domain.dependencies.DependencyMetadata`); nothing
is read until a rule of that type asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from fitness._lazy import LazyModule
from fitness.adapters.files import decode_source
from fitness.domain.errors import RuleError

# (only for the dependency rules: reading the declarations and the environment imports
# the TOML and INI parsers and importlib.metadata)
if TYPE_CHECKING:
    from fitness.adapters import declarations as _declared
    from fitness.adapters import installed as _installed
    from fitness.domain import dependencies as _dependencies
else:
    _declared = LazyModule("fitness.adapters.declarations")
    _installed = LazyModule("fitness.adapters.installed")
    _dependencies = LazyModule("fitness.domain.dependencies")


# Everything else is imported when a dependencies rule first asks: a run without one
# pays nothing for it.
if TYPE_CHECKING:
    from fitness.domain.dependencies import Declarations, DependencyRequest, Environment
    from fitness.domain.graph import ProjectGraph


class ProjectDependencyMetadata:
    """Implements :class:`fitness.domain.dependencies.DependencyMetadata` for a project
    directory; each answer is read once (per request) and kept."""

    def __init__(
        self,
        project_dir: Path,
        module_files: Mapping[str, str],
        *,
        environment: Iterable[Path] | None = None,
    ) -> None:
        self.project_dir = project_dir
        self._module_files = dict(module_files)
        #: The directories searched when a rule names none (default: ``sys.path``).
        self._default_environment = None if environment is None else list(environment)
        self._declarations: dict[DependencyRequest, Declarations] = {}
        self._environments: dict[tuple[str, ...], Environment] = {}
        self._optional: dict[str, frozenset[int]] = {}
        self._local: frozenset[str] | None = None

    def declarations(self, request: DependencyRequest) -> Declarations:
        found = self._declarations.get(request)
        if found is None:
            found = self._declarations[request] = _declared.read_declarations(
                self.project_dir, request
            )
        return found

    def environment(self, request: DependencyRequest) -> Environment:
        key = request.environment
        found = self._environments.get(key)
        if found is None:
            found = self._environments[key] = self._read_environment(key)
        return found

    def _read_environment(self, configured: tuple[str, ...]) -> Environment:

        if not configured:
            directories = (
                _installed.default_directories()
                if self._default_environment is None
                else self._default_environment
            )
            return _installed.read_environment(directories, ("the running Python's sys.path",))
        directories = []
        for entry in configured:
            path = Path(entry).expanduser()
            path = path if path.is_absolute() else self.project_dir / path
            if not path.is_dir():
                raise RuleError(
                    f"environment: '{entry}' is not a directory (a site-packages directory "
                    "or a virtual environment, relative to the configuration file)"
                )
            directories.extend(_installed.site_directories(path))
        return _installed.read_environment(directories, configured)

    def local_modules(self) -> frozenset[str]:
        if self._local is None:
            self._local = frozenset(local_modules(self.project_dir))
        return self._local

    def optional_import_lines(self, modules: Iterable[str]) -> Mapping[str, frozenset[int]]:
        found = {}
        for module in modules:
            if module not in self._optional:
                self._optional[module] = self._read_optional(module)
            found[module] = self._optional[module]
        return found

    def _read_optional(self, module: str) -> frozenset[int]:

        file = self._module_files.get(module)
        if file is None or not file.endswith(".py"):
            return frozenset()
        try:
            text = decode_source((self.project_dir / file).read_bytes())
        except (OSError, ValueError):
            return frozenset()
        return _dependencies.optional_import_lines(text)


def attach_dependency_metadata(
    graph: ProjectGraph, project_dir: Path, *, environment: Iterable[Path] | None = None
) -> ProjectDependencyMetadata:
    """Let the ``dependencies`` rule read the project's metadata through ``graph``."""
    metadata = ProjectDependencyMetadata(project_dir, graph.module_files, environment=environment)
    graph.attach_dependency_metadata(metadata)
    return metadata


def local_modules(project_dir: Path) -> set[str]:
    """The top-level modules and packages in the project directory and its ``src``."""
    names: set[str] = set()
    for base in (project_dir, project_dir / "src"):
        try:
            entries = list(base.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.suffix == ".py" and entry.stem.isidentifier() and entry.is_file():
                names.add(entry.stem)
            elif entry.name.isidentifier() and entry.is_dir():
                try:
                    if any(child.suffix == ".py" for child in entry.iterdir()):
                        names.add(entry.name)
                except OSError:
                    continue
    return names
