"""The source of a module outside the project (an installed package's, the standard
library's), found on ``sys.path`` without importing anything: the code model reads it
to know what a star import from it binds (``from sqlalchemy.orm import *``).

``importlib.util.find_spec("a.b")`` imports ``a`` to find ``a.b`` (it runs the
package's ``__init__``), so the directories are searched here, as Python's path finder
would: the first ``sys.path`` directory holding a regular package or a module of the
top-level name, else (a namespace package) each directory holding a portion; within a
directory, a package (``name/__init__.py``) before a module (``name.py``). Only source
files are read (a compiled module, a zip archive or an ``.so`` is none to read), only
regular files, each up to :data:`MAX_SOURCE` bytes; a file inside the project (a
virtual environment there, the working directory) only if it really is inside it: a
symbolic link a pull request plants there, pointing at ``/proc/self/environ`` or
``~/.netrc``, is not followed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

from fitness.adapters.files import decode_source

#: The largest source file read (the default ``max_file_size`` of the project's files).
MAX_SOURCE = 5 * 1024 * 1024


class ModuleFinder:
    """Finds and reads modules outside a project on the running Python's path."""

    def __init__(self, project_dir: Path, search: Sequence[str] | None = None) -> None:
        self._project = _resolved(project_dir)
        self._written_project = Path(os.path.abspath(project_dir))
        self._search = list(sys.path if search is None else search)
        self._directories: list[Path] | None = None

    def directories(self) -> list[Path]:
        """The directories searched: the path's, in order."""
        if self._directories is None:
            found: list[Path] = []
            for entry in self._search:
                if not isinstance(entry, str):
                    continue
                directory = Path(entry or ".").absolute()
                if directory.is_dir() and directory not in found:
                    found.append(directory)
            self._directories = found
        return self._directories

    def find(self, module: str) -> tuple[Path, bool] | None:
        """The source file of ``module`` and whether it is a package's ``__init__``;
        None if there is no source to read."""
        parts = module.split(".")
        if not all(part.isidentifier() for part in parts):
            return None
        top = parts[0]
        portions = []
        for directory in self.directories():
            if _is_file(directory / top / "__init__.py") or _is_file(directory / f"{top}.py"):
                return _within(directory, parts)  # a regular package hides the rest
            if (directory / top).is_dir():
                portions.append(directory)
        for directory in portions:  # a namespace package: its portions in path order
            found = _within(directory, parts)
            if found is not None:
                return found
        return None

    def source(self, module: str) -> tuple[str, bool] | None:
        """The text of ``module``'s source and whether it is a package's ``__init__``;
        None if there is none to read (or it is too large, or not text)."""
        found = self.find(module)
        if found is None:
            return None
        path, is_package = found
        if not self._may_read(path):
            return None
        try:
            with open(path, "rb") as file:
                info = os.fstat(file.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SOURCE:
                    return None
                data = file.read(MAX_SOURCE + 1)
        except OSError:
            return None
        if len(data) > MAX_SOURCE:
            return None
        try:
            return decode_source(data), is_package
        except ValueError:
            return None

    def _may_read(self, path: Path) -> bool:
        """A file inside the project is read only if it is there really (not a link to
        a file outside it)."""
        if self._project is None:
            return True
        absolute = Path(os.path.abspath(path))
        inside = absolute.is_relative_to(self._project) or absolute.is_relative_to(
            self._written_project
        )
        if not inside:
            return True
        real = _resolved(path)
        return real is not None and real.is_relative_to(self._project)


def _within(directory: Path, parts: list[str]) -> tuple[Path, bool] | None:
    """The source of the module ``parts`` in ``directory`` (a package before a module)."""
    *packages, last = parts
    base = directory.joinpath(*packages)
    if packages and not base.is_dir():
        return None
    if _is_file(base / last / "__init__.py"):
        return base / last / "__init__.py", True
    if _is_file(base / f"{last}.py"):
        return base / f"{last}.py", False
    return None


def _is_file(path: Path) -> bool:
    with contextlib.suppress(OSError, ValueError):
        return stat.S_ISREG(path.stat().st_mode)
    return False


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None
