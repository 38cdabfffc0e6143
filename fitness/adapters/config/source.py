"""The port a configuration is loaded from (:class:`~fitness.application.ports.ConfigSource`),
on the project's files: found as import-linter finds its own, read as UTF-8, parsed as
the configuration it declares, its plugins imported; or, with ``locate_file``, a commit's
configuration (its files asked of the commit's tree, never of the working tree)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from fitness.adapters.config.discovery import (
    CONFIG_FILE,
    KeptTexts,
    declares_any,
    declares_fitness,
    declares_importlinter,
    resolve_config,
)
from fitness.adapters.config.plugins import load_rule_types
from fitness.adapters.config.pyproject import NativeConfig
from fitness.adapters.config.text import read_config_text
from fitness.adapters.paths import check_file_name
from fitness.application.config import LoadedConfig, load_configuration
from fitness.domain.errors import ConfigError, FitnessError, Key

if TYPE_CHECKING:
    from fitness.application.plugins import RuleTypeRegistry
    from fitness.application.ports import ParsedConfig

#: What a path relative to the configuration's directory is: "file", "dir" or None.
FileLocator = Callable[[str], str | None]


class FileConfigSource:
    """A configuration on disk, found from ``start`` (the working directory by default).

    ``load_entry_points``: the installed plugins are loaded too. ``locate_file``: the
    files a rule names are asked of it (a commit's tree), not of the disk.
    ``refuse_undeclared``: a file given by name that declares no configuration (and is not
    a ``.toml`` file, which says what it misses) is refused as such, before it is parsed."""

    def __init__(
        self,
        start: Path | None = None,
        *,
        load_entry_points: bool = True,
        locate_file: FileLocator | None = None,
        refuse_undeclared: bool = False,
    ) -> None:
        self.start = start
        self.load_entry_points = load_entry_points
        self.locate_file = locate_file
        self.refuse_undeclared = refuse_undeclared
        #: The texts read while the configuration was looked for: the one found is not
        #: read again.
        self._texts = KeptTexts()

    def find(self, given: Path | None) -> Path | None:
        return resolve_config(given, self.start or Path.cwd(), self._texts)

    def read(self, path: Path) -> str:
        text = self._texts.take(path)
        return read_config_text(path) if text is None else text

    def parse(self, path: Path, text: str) -> ParsedConfig:
        if path.name == CONFIG_FILE and declares_fitness(text):
            return NativeConfig(path, text)
        if self.refuse_undeclared and path.suffix != ".toml" and not declares_any(text):
            raise ConfigError(
                "not a configuration: no [importlinter] section (an INI file such as "
                "setup.cfg or .importlinter), and not a .toml file with [tool.fitness] or "
                "[tool.importlinter]",
                str(path),
            )
        if path.suffix != ".toml" or declares_importlinter(path, text):
            # (imported only here: a project with [tool.fitness] never needs them)
            from fitness.adapters.config.importlinter import ParsedImportLinter

            return ParsedImportLinter(path, text)
        return NativeConfig(path, text)  # (which says what it misses)

    def rule_types(
        self, plugins: object, project_dir: Path, *, root_packages: object, import_local: bool
    ) -> RuleTypeRegistry:

        return load_rule_types(
            plugins,
            project_dir,
            load_entry_points=self.load_entry_points,
            root_packages=root_packages,
            import_local=import_local,
        )

    def file_kind(
        self, directory: Path, relative: str, what: str, *, key: Key
    ) -> Literal["file", "dir"] | None:
        if self.locate_file is not None:
            kind = self.locate_file(relative)
            return "file" if kind == "file" else "dir" if kind == "dir" else None

        target = directory / relative
        check_file_name(target, what, written=relative, key=key)
        if target.is_file():
            return "file"
        return "dir" if target.is_dir() else None

    def files_in(self, directory: Path, relative: str) -> list[str]:
        if self.locate_file is not None:
            return []
        folder = directory / relative
        if not folder.is_dir():
            return []
        return [entry.name for entry in folder.iterdir() if entry.is_file()]


def load_found(
    given: Path | None, *, missing: str, start: Path | None = None, refuse_undeclared: bool = True
) -> LoadedConfig:
    """The configuration a command reads: ``given`` (``--config``), else the nearest one
    from ``start``; a :class:`FitnessError` saying ``missing`` if there is none."""

    source = FileConfigSource(start, refuse_undeclared=refuse_undeclared)
    path = source.find(given)
    if path is None:
        raise FitnessError(missing)
    return load_configuration(source, path)


def load_config(
    path: Path,
    *,
    load_entry_points: bool = True,
    import_project_code: bool = True,
    locate_file: FileLocator | None = None,
) -> LoadedConfig:
    """The configuration in ``path``, its plugins loaded (see
    :func:`~fitness.application.config.load_configuration`). Without
    ``import_project_code`` (a commit's configuration, in ``fitness history``), only the
    installed plugins are: the project's own are not imported. ``locate_file`` says what
    a path relative to the configuration's directory is, where the project is not on
    disk (a commit): ``"file"``, ``"dir"`` or ``None``."""
    source = FileConfigSource(load_entry_points=load_entry_points, locate_file=locate_file)
    return load_configuration(source, path, import_project_code=import_project_code)
