"""pytest's settings, read as pytest would find them, for commands that run outside pytest
(``fitness affected``): where the rootdir is, which files are test files, the settings
test impact analysis uses. Read as text (TOML, INI): nothing is imported."""

from __future__ import annotations

import configparser
import shlex
import tomllib
from pathlib import Path
from typing import NamedTuple

#: pytest's files, in the order it looks for them in a directory.
FILES = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")
DEFAULT_NORECURSE = (
    "*.egg",
    ".*",
    "_darcs",
    "build",
    "CVS",
    "dist",
    "node_modules",
    "venv",
    "{arch}",
)


class PytestSettings(NamedTuple):
    """What ``fitness affected`` needs of pytest's configuration (``rootdir``: where it was
    found, else the directory searched from)."""

    rootdir: Path
    testpaths: tuple[str, ...] = ()
    python_files: tuple[str, ...] = DEFAULT_PYTHON_FILES
    norecursedirs: tuple[str, ...] = DEFAULT_NORECURSE
    pythonpath: tuple[str, ...] = ()
    addopts: str = ""
    django_settings: str = ""
    always: tuple[str, ...] = ()
    never: tuple[str, ...] = ()


def find_settings(start: Path) -> PytestSettings:
    """The settings of the nearest directory (from ``start`` upwards) that has a pytest
    configuration (``pyproject.toml`` and ``setup.cfg``/``tox.ini`` count only with their
    pytest table or section), else defaults rooted at ``start``."""
    start = start.resolve()
    for directory in [start, *start.parents]:
        for name in FILES:
            values = _read(directory / name)
            if values is not None:
                return _settings(directory, values)
    return PytestSettings(start)


def _read(path: Path) -> dict[str, str | list[str]] | None:
    """The pytest settings in ``path``, or ``None`` if it has none."""
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if path.name == "pyproject.toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        table = data.get("tool", {}).get("pytest", {}).get("ini_options")
        if not isinstance(table, dict):
            return None
        return {
            str(k): [str(i) for i in v] if isinstance(v, list) else str(v) for k, v in table.items()
        }
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    section = "tool:pytest" if path.name == "setup.cfg" else "pytest"
    if not parser.has_section(section):
        return {} if path.name in ("pytest.ini", ".pytest.ini") else None
    return dict(parser.items(section))


def _words(value: str | list[str] | None, *, lines: bool = False) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(value)
    if lines:
        return tuple(line.strip() for line in value.splitlines() if line.strip())
    try:
        return tuple(shlex.split(value))
    except ValueError:
        return tuple(value.split())


def _settings(rootdir: Path, values: dict[str, str | list[str]]) -> PytestSettings:
    addopts = values.get("addopts", "")
    return PytestSettings(
        rootdir=rootdir,
        testpaths=_words(values.get("testpaths")),
        python_files=_words(values.get("python_files")) or DEFAULT_PYTHON_FILES,
        norecursedirs=_words(values.get("norecursedirs")) or DEFAULT_NORECURSE,
        pythonpath=_words(values.get("pythonpath")),
        addopts=" ".join(addopts) if isinstance(addopts, list) else addopts,
        django_settings=str(values.get("DJANGO_SETTINGS_MODULE", "")).strip(),
        always=_words(values.get("fitness_affected_always"), lines=True),
        never=_words(values.get("fitness_affected_never"), lines=True),
    )
