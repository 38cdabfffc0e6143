"""The installed plugins: entry points of the ``fitness`` group, found quickly.

``importlib.metadata`` answers this exactly, but importing it costs about
25 ms (it pulls in ``email``, ``zipfile``, ``csv``...), a tenth of a cold
``fitness check`` on a project of a thousand modules, and it then opens the
metadata of every installed distribution. For the common case, every
``sys.path`` entry a directory and no import hook that publishes
distributions of its own, the same answer is read here from the
``entry_points.txt`` of each ``*.dist-info`` / ``*.egg-info`` directory, and
only the files that mention the group are parsed. In any other case
``importlib.metadata`` is asked. Both find the same entry points (a test
compares them on the real environment); here in a stable order, by
``sys.path`` entry, then distribution name.
"""

from __future__ import annotations

import os
import pkgutil
import re
import sys
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from fitness.application.plugins import ENTRY_POINT_GROUP

_METADATA_DIR = re.compile(r"^(?P<name>[^-]+)(?:-(?P<version>[^-]+))?.*\.(?:dist|egg)-info$")


class FoundEntryPoint(NamedTuple):
    """One entry point of an installed distribution."""

    name: str
    value: str
    distribution: str
    version: str

    def load(self) -> object:
        """Import the module and look up the attribute ``value`` names (``module:attr``)."""
        target = self.value.split("[", 1)[0]  # extras ("pkg.mod:obj [extra]") do not load
        return pkgutil.resolve_name("".join(target.split()))


def entry_points(group: str, path: Sequence[str] | None = None) -> list[FoundEntryPoint]:
    """The entry points of ``group`` of every distribution on ``path`` (``sys.path``)."""
    entries = list(sys.path if path is None else path)
    if path is None and not _plain_path(entries):
        return _from_importlib_metadata(group)
    found: list[FoundEntryPoint] = []
    for entry in entries:
        found.extend(_in_directory(entry or ".", group))
    return found


def _plain_path(entries: Iterable[str]) -> bool:
    """Whether every entry is a directory (or missing) and only the standard path
    finder publishes distributions: then reading the directories is the whole answer."""
    for entry in entries:
        if entry.endswith(".egg") or (entry and not os.path.isdir(entry) and os.path.exists(entry)):
            return False  # an egg, a zip file: importlib.metadata reads inside them
    for finder in sys.meta_path:
        if hasattr(finder, "find_distributions") and getattr(finder, "__module__", "") not in (
            "importlib._bootstrap_external",
            "_frozen_importlib_external",
        ):
            return False
    return True


def _in_directory(directory: str, group: str) -> list[FoundEntryPoint]:
    try:
        with os.scandir(directory) as listing:
            names = sorted(
                entry.name
                for entry in listing
                if entry.name.endswith((".dist-info", ".egg-info")) and entry.is_dir()
            )
    except OSError:
        return []
    header = f"[{group}]"
    found: list[FoundEntryPoint] = []
    for name in names:
        meta = os.path.join(directory, name)
        try:
            with open(os.path.join(meta, "entry_points.txt"), encoding="utf-8") as stream:
                text = stream.read()
        except (OSError, UnicodeDecodeError):
            continue
        if header not in text:
            continue
        distribution, version = _name_and_version(meta, name)
        found.extend(
            FoundEntryPoint(key, value, distribution, version)
            for key, value in parse_entry_points(text, group)
        )
    return found


def parse_entry_points(text: str, group: str) -> list[tuple[str, str]]:
    """``(name, value)`` of each entry point of ``group`` in an ``entry_points.txt``."""
    pairs: list[tuple[str, str]] = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            key, _, value = line.partition("=")
            pairs.append((key.strip(), value.strip()))
    return pairs


def _name_and_version(meta: str, directory_name: str) -> tuple[str, str]:
    """The distribution's name and version as its metadata spells them (the
    directory's name has them normalised), the directory's name as a fallback."""
    name = version = ""
    for file in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(meta, file), encoding="utf-8") as stream:
                for line in stream:
                    if not line.strip():
                        break  # the headers end at the first blank line
                    field, _, value = line.partition(":")
                    if field == "Name" and not name:
                        name = value.strip()
                    elif field == "Version" and not version:
                        version = value.strip()
                    if name and version:
                        return name, version
        except (OSError, UnicodeDecodeError):
            continue
    match = _METADATA_DIR.match(directory_name)
    return (
        name or (match.group("name") if match else directory_name),
        version or (match.group("version") or "" if match else ""),
    )


def _from_importlib_metadata(group: str) -> list[FoundEntryPoint]:
    import importlib.metadata  # (about 25 ms: only when the fast way cannot answer, above)

    found = []
    for dist in importlib.metadata.distributions():
        for entry_point in dist.entry_points:
            if entry_point.group == group:
                found.append(
                    FoundEntryPoint(
                        entry_point.name,
                        entry_point.value,
                        dist.metadata["Name"] or "",
                        dist.version or "",
                    )
                )
    return found


def installed_plugins() -> list[str]:
    """The installed fitness plugins (entry points of the ``fitness`` group), with their
    distributions' versions: what a cached result measured with them depends on."""

    return sorted(
        f"{point.distribution} {point.version} {point.name} = {point.value}"
        for point in entry_points(ENTRY_POINT_GROUP)
    )
