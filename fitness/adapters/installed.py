"""The installed distributions, read from their metadata directories (never imported).

What ``importlib.metadata.packages_distributions()`` answers, read statically from
each ``*.dist-info`` / ``*.egg-info`` directory of the environment's directories:
the distribution's name and requirements (``METADATA``'s ``Name`` and
``Requires-Dist``, or an egg's ``PKG-INFO`` and ``requires.txt``), and the
top-level names it can be imported as (``top_level.txt``, else the first part of
each file its ``RECORD`` lists; an editable install's names from its finder's
mapping or its ``.pth`` file). Files are read up to a size, so a crafted
environment cannot exhaust memory.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from fitness.domain.dependencies import (
    Environment,
    InstalledDistribution,
    Requirement,
    parse_requirement,
)

#: The most of one metadata file that is read (a RECORD of the largest wheels is a few MB).
MAX_FILE = 32 * 1024 * 1024
#: How deep packages below a shared top-level name are told apart (``google.cloud.storage``).
PACKAGE_DEPTH = 3

_METADATA_DIR = re.compile(r"^(?P<name>[^-]+)(?:-[^-]+)?.*\.(?:dist|egg)-info$")
_SUFFIXES = (".py", ".pyc", ".pyd", ".so", ".pyi")


def default_directories() -> list[Path]:
    """The running Python's ``sys.path`` directories, in order."""
    return [Path(entry or ".") for entry in sys.path if os.path.isdir(entry or ".")]


def site_directories(directory: Path) -> list[Path]:
    """``directory`` itself, or, for a virtual environment (``pyvenv.cfg``), its
    ``site-packages`` directories."""
    if not (directory / "pyvenv.cfg").is_file():
        return [directory]
    found = sorted(directory.glob("lib/python*/site-packages")) + sorted(
        directory.glob("Lib/site-packages")
    )
    return [path for path in found if path.is_dir()] or [directory]


def read_environment(directories: Sequence[Path], where: Iterable[str] = ()) -> Environment:
    """Every distribution installed in ``directories`` (the first of a name wins)."""
    distributions: list[InstalledDistribution] = []
    records: dict[str, tuple[Path, Path]] = {}  # the metadata directory of each, by name
    for directory in directories:
        try:
            names = sorted(
                entry.name
                for entry in os.scandir(directory)
                if entry.name.endswith((".dist-info", ".egg-info"))
            )
        except OSError:
            continue
        for name in names:
            found = read_distribution(directory, directory / name)
            if found is not None and found.key not in records:
                records[found.key] = (directory, directory / name)
                distributions.append(found)
    # Names several distributions install (namespace packages: google, zope, azure) are
    # told apart by the packages below them, read from those distributions' RECORDs.
    by_top: dict[str, list[int]] = {}
    for index, distribution in enumerate(distributions):
        for top in distribution.top_level:
            by_top.setdefault(top, []).append(index)
    shared = {top for top, indexes in by_top.items() if len(indexes) > 1}
    for index, distribution in enumerate(distributions):
        tops = shared.intersection(distribution.top_level)
        if tops:
            site, meta = records[distribution.key]
            packages = sorted(
                package
                for package in _packages(_installed_files(site, meta))
                if package.partition(".")[0] in tops
            )
            distributions[index] = distribution._replace(packages=tuple(packages))
    return Environment(distributions, where)


def read_distribution(site: Path, meta: Path) -> InstalledDistribution | None:
    """One distribution from its metadata directory (or an egg's ``PKG-INFO`` file)."""
    if meta.is_dir():
        headers = _headers(
            _read(meta / ("METADATA" if meta.name.endswith(".dist-info") else "PKG-INFO"))
        )
    else:
        headers = _headers(_read(meta))
    names = headers.get("name", [])
    match = _METADATA_DIR.match(meta.name)
    name = names[0] if names else (match.group("name") if match else "")
    if not name:
        return None
    requires = [parse_requirement(text) for text in headers.get("requires-dist", [])]
    if meta.name.endswith(".egg-info") and meta.is_dir():
        requires += _egg_requires(_read(meta / "requires.txt"))
    top_level = _top_level_declared(meta) or _top_level_inferred(site, meta)
    return InstalledDistribution(
        name=name,
        top_level=tuple(sorted(set(top_level))),
        requires=tuple(r for r in requires if r is not None),
    )


def _read(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE)
    except OSError:
        return ""
    return data.decode("utf-8", errors="replace")


def _headers(text: str) -> dict[str, list[str]]:
    """The header fields of a metadata file (they end at the first blank line), by
    lower-case name; continuation lines are joined."""
    fields: dict[str, list[str]] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.strip():
            break
        if line[0] in " \t" and last is not None:
            fields[last][-1] += " " + line.strip()
            continue
        key, colon, value = line.partition(":")
        if not colon:
            continue
        last = key.strip().lower()
        fields.setdefault(last, []).append(value.strip())
    return fields


def _egg_requires(text: str) -> list[Requirement | None]:
    """An egg's ``requires.txt``: requirements, then ``[extra]`` or ``[extra:marker]``
    sections."""
    found: list[Requirement | None] = []
    extra = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            extra = line[1:-1].partition(":")[0].strip()
            continue
        requirement = parse_requirement(line)
        if requirement is not None and extra:
            requirement = requirement._replace(when_extras=(extra.lower(),))
        found.append(requirement)
    return found


def _top_level_declared(meta: Path) -> list[str]:
    if not meta.is_dir():
        return []
    names = []
    for line in _read(meta / "top_level.txt").split():
        top = line.replace("\\", "/").strip("/").split("/")[0]
        if top.isidentifier():
            names.append(top)
    return names


def _top_level_inferred(site: Path, meta: Path) -> list[str]:
    """The top-level names the distribution's files make importable, as
    ``importlib.metadata`` infers them; an editable install's from its finder or
    ``.pth`` file."""
    names: set[str] = set()
    for file in _installed_files(site, meta):
        parts = file.parts
        if len(parts) > 1:
            top = parts[0]
        else:
            top = _module_name(parts[0]) if parts else ""
            if top.startswith("__editable__") and parts[0].endswith(".py"):
                names.update(_editable_finder_names(site / parts[0]))
                continue
            if parts and parts[0].endswith(".pth"):
                names.update(_pth_names(site / parts[0]))
                continue
        if top.isidentifier() and top != "__pycache__":
            names.add(top)
    return sorted(names)


def _module_name(file: str) -> str:
    for suffix in _SUFFIXES:
        if file.endswith(suffix):
            return file[: -len(suffix)].split(".")[0]
    return file


def _installed_files(site: Path, meta: Path) -> list[PurePosixPath]:
    """The files a distribution installed, relative to its site directory."""
    if meta.name.endswith(".dist-info"):
        lines = _read(meta / "RECORD").splitlines()
        paths = [_record_path(line) for line in lines]
    elif meta.is_dir():
        # An egg's installed-files.txt is relative to the egg-info directory itself.
        paths = [
            os.path.normpath(os.path.join(meta.name, line.strip())).replace(os.sep, "/")
            for line in _read(meta / "installed-files.txt").splitlines()
            if line.strip()
        ]
    else:
        paths = []
    return [PurePosixPath(path) for path in paths if path and not path.startswith("/")]


def _record_path(line: str) -> str:
    """The path of a RECORD row (CSV: a path with a comma is quoted)."""
    if line.startswith('"'):
        end = line.find('",', 1)
        return line[1:end].replace('""', '"') if end > 0 else ""
    return line.partition(",")[0]


def _packages(files: Iterable[PurePosixPath]) -> set[str]:
    """The dotted packages (and modules) the files are in, down to :data:`PACKAGE_DEPTH`."""
    found: set[str] = set()
    for file in files:
        parts = list(file.parts)
        if not parts or not parts[0].isidentifier():
            continue
        parts[-1] = _module_name(parts[-1])
        if parts[-1] == "__init__":
            parts.pop()
        for depth in range(1, min(len(parts), PACKAGE_DEPTH) + 1):
            if all(part.isidentifier() for part in parts[:depth]):
                found.add(".".join(parts[:depth]))
    return found


def _editable_finder_names(finder: Path) -> list[str]:
    """The top-level names an editable install's finder maps (setuptools writes
    ``MAPPING = {'pkg': '/path/to/pkg'}``), read as a literal, never run."""
    text = _read(finder)
    if "MAPPING" not in text:
        return []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "MAPPING" for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            return [
                key.value
                for key in node.value.keys
                if isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and key.value.isidentifier()
            ]
    return []


def _pth_names(pth: Path) -> list[str]:
    """The top-level modules and packages in the directories a ``.pth`` file adds
    (its ``import`` lines are never run)."""
    names: list[str] = []
    for line in _read(pth).splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "import ", "import\t")):
            continue
        directory = Path(line)
        if not directory.is_absolute():
            directory = pth.parent / directory
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir() and (Path(entry.path) / "__init__.py").is_file():
                names.append(entry.name)
            elif entry.name.endswith(".py") and entry.name[:-3].isidentifier():
                names.append(entry.name[:-3])
    return [name for name in names if name.isidentifier()]
