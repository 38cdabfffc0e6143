"""Which configuration file a project declares: found by reading text, nothing else.

Light on purpose: the pytest plugin asks this of every directory and file
pytest visits, in every project, including the many without any fitness
configuration, which must not pay for importing the rest of fitness.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import overload

from fitness.adapters.paths import check_file_name

CONFIG_FILE = "pyproject.toml"
#: import-linter's files, in the order it reads them (then ``[tool.importlinter]``).
INI_FILES = ("setup.cfg", ".importlinter")
INI_SECTION = "importlinter"

_FITNESS_TABLE = re.compile(r"^\s*\[\[?\s*tool\s*\.\s*fitness\b", re.MULTILINE)
_IMPORTLINTER_TABLE = re.compile(r"^\s*\[\[?\s*tool\s*\.\s*importlinter\b", re.MULTILINE)
_IMPORTLINTER_SECTION = re.compile(rf"^\[\s*{INI_SECTION}\s*\]", re.MULTILINE)


#: Reads a file's text, ``None`` if it cannot (:func:`read_quietly`; a caller that reads the
#: file found afterwards hands in one that keeps what it read).
Reader = Callable[[Path], "str | None"]


def find_config(start: Path, read: Reader | None = None) -> Path | None:
    """The nearest configuration, from ``start`` upwards: see :func:`config_in_directory`."""
    read = read or read_quietly
    start = start.resolve()
    for directory in [start, *start.parents]:
        candidate = directory / CONFIG_FILE
        if candidate.exists() and (not candidate.is_file() or read(candidate) is None):
            # Not readable (a directory, no permission, not UTF-8): reported when it is
            # read, never skipped over for a parent directory's configuration.
            return candidate
        found = config_in_directory(directory, read)
        if found is not None:
            return found
    return None


@overload
def resolve_config(given: Path, start: Path, read: Reader | None = None) -> Path: ...
@overload
def resolve_config(given: Path | None, start: Path, read: Reader | None = None) -> Path | None: ...
def resolve_config(given: Path | None, start: Path, read: Reader | None = None) -> Path | None:
    """The configuration file a run reads (``--config``, ``--fitness-config``, ``fitness rules``).

    ``given``: that file; a directory stands for the configuration it declares (see
    :func:`config_in_directory`), else its ``pyproject.toml``. Without it, the nearest
    configuration from ``start`` upwards (:func:`find_config`); ``None`` if there is none.
    Whether the file exists and can be read is for the reader to say; a name the system
    refuses (too long) is a :class:`ConfigError`.
    """
    if given is None:
        return find_config(start, read)

    check_file_name(given, "--config")
    if given.is_dir() and given.name != CONFIG_FILE:
        return config_in_directory(given, read) or given / CONFIG_FILE
    return given


def config_in_directory(directory: Path, read: Reader | None = None) -> Path | None:
    """The configuration a directory declares: ``pyproject.toml`` with ``[tool.fitness]``
    if present; else an import-linter configuration, in import-linter's order
    (``setup.cfg`` with ``[importlinter]``, ``.importlinter``, ``[tool.importlinter]``)."""
    candidate = directory / CONFIG_FILE
    if candidate.is_file() and has_fitness_table(candidate, read):
        return candidate
    return find_importlinter_config(directory, read)


def is_declared(path: Path) -> bool:
    """Whether ``path`` is a configuration: a ``pyproject.toml`` with ``[tool.fitness]``,
    or an import-linter configuration (``setup.cfg``, ``.importlinter``,
    ``[tool.importlinter]``) that is the one its directory declares (what the pytest
    plugin collects of the files it visits)."""
    if path.name == CONFIG_FILE and has_fitness_table(path):
        return True
    return (
        path.name in (*INI_FILES, CONFIG_FILE)
        and has_importlinter_config(path)
        and config_in_directory(path.parent) == path
    )


def has_fitness_table(path: Path, read: Reader | None = None) -> bool:
    text = (read or read_quietly)(path)
    return text is not None and declares_fitness(text)


def declares_fitness(text: str) -> bool:
    """Whether a TOML text has a ``[tool.fitness]`` table."""
    return _FITNESS_TABLE.search(text) is not None


def has_importlinter_config(path: Path, read: Reader | None = None) -> bool:
    """Whether ``path`` is a file import-linter would read configuration from."""
    text = (read or read_quietly)(path)
    return text is not None and declares_importlinter(path, text)


def declares_importlinter(path: Path, text: str) -> bool:
    """Whether ``text``, ``path``'s, is a configuration import-linter would read."""
    if path.suffix == ".toml":
        return _IMPORTLINTER_TABLE.search(text) is not None
    if path.name in INI_FILES:
        return _IMPORTLINTER_SECTION.search(text) is not None
    return False


def declares_configuration(path: Path) -> bool:
    """Whether ``path`` (any name) holds a configuration fitness reads, or cannot be read
    as text (then reading it says why)."""
    text = read_quietly(path)
    return text is None or declares_any(text)


def declares_any(text: str) -> bool:
    """Whether ``text`` holds a configuration fitness reads (of any kind)."""
    return any(
        pattern.search(text) is not None
        for pattern in (_FITNESS_TABLE, _IMPORTLINTER_TABLE, _IMPORTLINTER_SECTION)
    )


def find_importlinter_config(directory: Path, read: Reader | None = None) -> Path | None:
    """The file import-linter would read in ``directory``, in import-linter's order."""
    for name in (*INI_FILES, CONFIG_FILE):
        candidate = directory / name
        if candidate.is_file() and has_importlinter_config(candidate, read):
            return candidate
    return None


class KeptTexts:
    """A :data:`Reader` that keeps what it read: the configuration found is not read
    again (:meth:`take`)."""

    def __init__(self) -> None:
        self._texts: dict[Path, str] = {}

    def __call__(self, path: Path) -> str | None:
        if path not in self._texts:
            text = read_quietly(path)
            if text is None:
                return None
            self._texts[path] = text
        return self._texts[path]

    def take(self, path: Path) -> str | None:
        """The text read from ``path`` while looking, if it was (forgotten here)."""
        return self._texts.pop(path, None)


def read_quietly(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")  # without a byte-order mark
    except (OSError, UnicodeDecodeError):
        return None
