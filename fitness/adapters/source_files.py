"""The package files: which files of the root packages are modules, listed once.

This listing is the one gate to the analysed files: nothing reads a file it does
not list. It follows grimp's rules for what is a module (one ``os.scandir`` walk),
and serves three purposes: grimp is handed it instead of walking the tree again,
each module's file is known for messages, and ``(path, mtime, size)`` of every file
make the graph cache's key. What is named like a module but is not read (a link
out of the project, a named pipe...) is a blind spot (:class:`LeftOut`); a file
larger than ``max_file_size`` is refused before anything reads it.
"""

from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Iterable
from typing import NamedTuple

from fitness.adapters.source_limits import RefusedFile, not_a_file, too_large


class SourceFile(NamedTuple):
    """One module's source file, with what tells whether it changed."""

    module: str
    path: str
    mtime_ns: int
    size: int


class LeftOut(NamedTuple):
    """Something named like a module that is not read, and why: a blind spot."""

    module: str
    #: As listed: a symbolic link's own path, never where it points.
    path: str
    reason: str


class PackageFiles(NamedTuple):
    """The modules of one package directory, found as grimp finds them."""

    name: str
    directory: str
    files: tuple[SourceFile, ...]
    namespace_packages: frozenset[str] = frozenset()
    #: What is named like a module but is not read (a link out of the project...).
    left_out: tuple[LeftOut, ...] = ()


#: Why a symbolic link is not followed.
OUTSIDE_FILE = "a symbolic link to a file outside the project"
OUTSIDE_DIRECTORY = "a symbolic link to a directory outside the project"
HIDDEN_FILE = "a symbolic link into a hidden file or directory"
NOT_SOURCE = "a symbolic link to a file that is not Python source (.py)"


def _is_module_file(name: str) -> bool:
    """Whether grimp takes a file so named for a module (``__init__.py`` included)."""
    return name.endswith(".py") and not name.startswith(".") and name.count(".") == 1


def scan_package(
    name: str,
    directory: str,
    *,
    stat: bool = True,
    inside: Iterable[str] | None = None,
    max_file_size: int | None = None,
) -> PackageFiles:
    """List the modules of package ``name`` in ``directory`` by grimp's rules.

    Directories whose names are not identifiers are skipped; inside a package
    (a directory with ``__init__.py``) a directory without ``__init__.py`` is
    not descended into; hidden files and names with extra dots are not modules;
    directories without ``__init__.py`` above the first package are namespace
    packages if they hold a module. Symbolic links are followed, each real
    directory once, and real directories first (a symlink loop ends the descent
    instead of looping, and a link never shadows the directory it points to).

    This listing is the one gate to the analysed files: nothing reads a file it
    does not list. A symbolic link to a file or directory outside the directories
    ``inside`` (the project's and the root packages' real directories; by default
    ``directory``'s) is not followed: it is left out (:attr:`PackageFiles.left_out`),
    and so is anything named like a module that is not a regular file (a named
    pipe, a broken link, a directory). A file larger than ``max_file_size`` bytes
    (told by its size in the listing, before anything reads it) is refused: a
    :class:`RefusedFile` names it (the first in module order).

    With ``stat`` false and no ``max_file_size`` the files' times and sizes (the
    cache's key) are not read and are 0.
    """
    files: list[SourceFile] = []
    left_out: list[LeftOut] = []
    oversized: list[tuple[str, str, int]] = []  # (module, path, size)
    unreadable: list[tuple[str, str]] = []  # package directories: (path, why)
    namespace_candidates: list[tuple[str, tuple[str, ...]]] = []
    unread_packages: set[str] = set()
    seen: set[tuple[int, int]] = set()
    roots = (directory,) if inside is None else tuple(inside)
    bounds = [os.path.join(os.path.realpath(root), "") for root in roots]  # ending in /
    stat_files = stat or max_file_size is not None

    def refused_link(path: str, module_file: bool) -> str | None:
        """Why the link ``path`` is not followed, or None: it leads out of the project, into
        a hidden file or directory (``.git/config``, ``.env``: the runner's, perhaps, and
        never a module), or, for a module, to a file that is not Python source."""
        real = os.path.realpath(path)
        bound = next((b for b in bounds if real.startswith(b) or real + os.sep == b), None)
        if bound is None:
            return OUTSIDE_FILE if module_file else OUTSIDE_DIRECTORY
        if any(part.startswith(".") for part in real[len(bound) :].split(os.sep)):
            return HIDDEN_FILE
        if module_file and not real.endswith(".py"):
            return NOT_SOURCE
        return None

    def walk(
        path: str, parts: tuple[str, ...], in_package: bool
    ) -> list[tuple[str, tuple[str, ...], bool]]:
        """List one directory; return its real subdirectories to walk, in order."""
        package = False
        if in_package:
            try:
                package = _has_init(path)
            except OSError as error:  # (no permission): whether it is a package is unknown
                unreadable.append((path, error.strerror or str(error)))
            if not package:
                return []  # not a subpackage (templates, static, locale...): no need to list it
        try:
            info = os.stat(path)
        except OSError:
            return []
        if (info.st_dev, info.st_ino) in seen:
            return []
        seen.add((info.st_dev, info.st_ino))
        try:
            with os.scandir(path) as entries:
                listing = list(entries)
        except OSError as error:
            if package:  # a package whose modules cannot be listed
                unreadable.append((path, error.strerror or str(error)))
            return []
        subdirs: list[os.DirEntry[str]] = []
        modules: list[os.DirEntry[str]] = []
        away: list[LeftOut] = []  # left out here (kept if this directory is listed)
        linked_out: list[tuple[os.DirEntry[str], str]] = []  # directories not followed, why
        has_init = False
        for entry in listing:
            named = _is_module_file(entry.name)
            refusal = None
            if (named or entry.name.isidentifier()) and entry.is_symlink():
                try:
                    is_dir = entry.is_dir()  # (the target's type: nothing is read)
                except OSError:
                    is_dir = False
                refusal = refused_link(entry.path, named and not is_dir)
            if refusal is not None:
                # Not followed: whatever it points to is not the project's to read.
                if is_dir:
                    linked_out.append((entry, refusal))
                elif named:
                    away.append(LeftOut(_module(parts, entry.name), entry.path, refusal))
                    if entry.name == "__init__.py":  # the package exists, unread
                        has_init = True
                        unread_packages.add(".".join(parts))
                continue
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir and entry.name.isidentifier():
                subdirs.append(entry)
            elif not is_file:
                if named:  # a named pipe (grimp would panic), a broken link, a directory
                    away.append(
                        LeftOut(_module(parts, entry.name), entry.path, not_a_file(entry.path))
                    )
            elif entry.name == "__init__.py":
                has_init = True
                modules.append(entry)
            elif named:
                modules.append(entry)
        if in_package and not has_init:
            return []
        if not in_package and not has_init:
            namespace_candidates.append((path, parts))
        for entry, why in linked_out:
            # A subpackage (or, above the first package, a namespace portion) not read.
            if not (in_package or has_init) or os.path.isfile(
                os.path.join(entry.path, "__init__.py")
            ):
                away.append(LeftOut(".".join((*parts, entry.name)), entry.path, why))
        left_out.extend(away)
        for entry in modules:
            mtime_ns = size = 0
            if stat_files:
                try:
                    file_info = entry.stat()
                except OSError:
                    continue
                mtime_ns, size = file_info.st_mtime_ns, file_info.st_size
            module = _module(parts, entry.name)
            if max_file_size is not None and size > max_file_size:
                oversized.append((module, entry.path, size))
            files.append(SourceFile(module, entry.path, mtime_ns, size))
        real = []
        for entry in sorted(subdirs, key=lambda e: e.name):
            if entry.is_symlink():  # after every real directory, so that none is shadowed
                linked.append((entry.path, (*parts, entry.name), in_package or has_init))
            else:
                real.append((entry.path, (*parts, entry.name), in_package or has_init))
        return real

    def walk_all(start: tuple[str, tuple[str, ...], bool]) -> None:
        # Depth first in name order, with a stack of our own: packages nested a
        # thousand deep are listed like any others (no RecursionError).
        stack = [start]
        while stack:
            stack.extend(reversed(walk(*stack.pop())))

    linked: list[tuple[str, tuple[str, ...], bool]] = []
    walk_all((directory, (name,), False))
    while linked:
        walk_all(linked.pop(0))
    if unreadable:
        path, reason = min(unreadable)
        raise RefusedFile(path, reason)
    if oversized and max_file_size is not None:
        _, path, size = min(oversized)
        raise too_large(path, size, max_file_size)
    namespaces = frozenset(
        ".".join(parts)
        for path, parts in namespace_candidates
        if any(f.path.startswith(path + os.sep) for f in files)
    )
    files.sort(key=lambda f: f.module)
    return PackageFiles(
        name,
        directory,
        tuple(files),
        namespaces | unread_packages,
        tuple(sorted(left_out)),
    )


def _has_init(directory: str) -> bool:
    """Whether ``directory`` holds an ``__init__.py`` file (an ``OSError`` if it cannot
    be told: no permission)."""
    try:
        return stat_module.S_ISREG(os.stat(os.path.join(directory, "__init__.py")).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False


def _module(parts: tuple[str, ...], file_name: str) -> str:
    """The module of file ``file_name`` in the package ``parts``."""
    stem = file_name[:-3] if file_name.endswith(".py") else file_name
    return ".".join(parts if stem == "__init__" else (*parts, stem))
