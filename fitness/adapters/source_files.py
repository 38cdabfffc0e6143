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

import hashlib
import os
import stat as stat_module
import time
from collections.abc import Iterable
from typing import NamedTuple


class RefusedFile(Exception):
    """A source file that is not read at all (too large, unreadable, null bytes...):
    the run stops with one line naming it (:meth:`message`)."""

    def __init__(
        self, path: str, reason: str, *, verb: str = "read", line: int | None = None
    ) -> None:
        super().__init__(f"cannot {verb} {path}: {reason}")
        self.path = path
        self.reason = reason
        self.verb = verb
        self.line = line

    def message(self, shown: str) -> str:
        """``cannot read <shown>: <reason>`` (``shown``: the file as the project shows it)."""
        where = f"{shown}, line {self.line}" if self.line else shown
        return f"cannot {self.verb} {where}: {self.reason}"


#: Why something named like a module is not read, by its kind (``stat.S_IFMT``).
NOT_FILES = {
    stat_module.S_IFDIR: "a directory, not a file",
    stat_module.S_IFIFO: "a named pipe, not a file",
    stat_module.S_IFSOCK: "a socket, not a file",
    stat_module.S_IFCHR: "a device, not a file",
    stat_module.S_IFBLK: "a device, not a file",
}


def not_a_file(path: str) -> str:
    """Why ``path``, named like a module, is not a file to read."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if os.path.islink(path):
            return "a broken symbolic link"
        return f"cannot be read ({error.strerror or error})"
    return NOT_FILES.get(stat_module.S_IFMT(mode), "not a regular file")


def too_large(path: str, size: int, limit: int) -> RefusedFile:
    from fitness.domain.config import format_size  # (on this error only: a heavy module)

    return RefusedFile(
        path,
        f"{size:,} bytes, more than max_file_size ({format_size(limit)}); raise "
        "max_file_size in [tool.fitness] to analyse it",
    )


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
    #: The modules whose files changed too recently for their time to tell a later change
    #: (:data:`RACY_NS`): a cache must not take them for unchanged next time.
    racy: frozenset[str] = frozenset()
    #: Unique to this listing when a file is racy: its digest then matches no other.
    token: str = ""


#: How recent a file's modification time may be, when it is listed, for a cache to take
#: the same time and size later for "unchanged" (git's "racy" files). A file system keeps
#: times in ticks (a few milliseconds; a second or two on some), so a file changed again
#: within the tick it was listed in keeps its time, and, at the same size, would look
#: unchanged: its imports, the replayed output and the rest would go stale. A file changed
#: this recently is read again by the next run, which caches it.
RACY_NS = 2_000_000_000


#: Why a symbolic link is not followed.
OUTSIDE_FILE = "a symbolic link to a file outside the project"
OUTSIDE_DIRECTORY = "a symbolic link to a directory outside the project"
HIDDEN_FILE = "a symbolic link into a hidden file or directory"
NOT_SOURCE = "a symbolic link to a file that is not Python source (.py)"


def _is_module_file(name: str) -> bool:
    """Whether grimp takes a file so named for a module (``__init__.py`` included)."""
    return name.endswith(".py") and not name.startswith(".") and name.count(".") == 1


#: Why a directory that may hold modules is not part of the graph (a blind spot each).
NOT_AN_IDENTIFIER = (
    "a directory whose name is not an identifier, so Python cannot import its modules"
)
SHADOWED = (
    "a directory without __init__.py beside a module of its name, which Python imports instead"
)
NOT_LISTED = (
    "a directory without __init__.py inside a package, which import-linter's graph leaves out"
)
EXTENSION = "a compiled extension module, whose imports cannot be read"
BYTECODE = "compiled bytecode without its source, whose imports cannot be read"
#: Endings of files that are modules Python imports but fitness cannot read.
_COMPILED = (".so", ".pyd")

#: The state of a directory to walk: above the first package (a namespace portion of the
#: root), or inside a package (a subpackage, or a directory without ``__init__.py``).
_TOP, _INSIDE = 0, 1


def scan_package(
    name: str,
    directory: str,
    *,
    stat: bool = True,
    inside: Iterable[str] | None = None,
    max_file_size: int | None = None,
    namespaces: bool = True,
) -> PackageFiles:
    """List the modules of package ``name`` in ``directory``: every module Python can
    import from it.

    Hidden files and names with extra dots are not modules; directories without
    ``__init__.py`` above the first package are namespace packages if they hold a
    module, and so are those inside a package (PEP 420: Python imports them) with
    ``namespaces``; without it, as grimp (and so import-linter) lists them, a
    directory without ``__init__.py`` inside a package is not part of the graph.
    Symbolic links are followed, each real directory once, and real directories
    first (a symlink loop ends the descent instead of looping, and a link never
    shadows the directory it points to).

    What is named like a module and could hold imports, but is not part of the graph,
    is left out (:attr:`PackageFiles.left_out`), a blind spot each: a directory whose
    name is not an identifier (or, inside a package, left out as said above, or beside
    a module of its name) that holds Python files, a compiled extension module or
    bytecode without its source. Directories that hold no Python file (templates,
    static files, translations) are not worth a line.

    This listing is the one gate to the analysed files: nothing reads a file it does
    not list. A symbolic link to a file or directory outside the directories ``inside``
    (the project's and the root packages' real directories; by default ``directory``'s)
    is not followed: it is left out, and so is anything named like a module that is not
    a regular file (a named pipe, a broken link, a directory). A file larger than
    ``max_file_size`` bytes (told by its size in the listing, before anything reads it)
    is refused: a :class:`RefusedFile` names it (the first in module order).

    With ``stat`` false and no ``max_file_size`` the files' times and sizes (the
    cache's key) are not read and are 0.
    """
    files: list[SourceFile] = []
    left_out: list[LeftOut] = []
    oversized: list[tuple[str, str, int]] = []  # (module, path, size)
    unreadable: list[tuple[str, str]] = []  # package directories: (path, why)
    #: Directories without __init__.py, by module name: namespace packages if they hold one.
    namespace_candidates: set[str] = set()
    unread_packages: set[str] = set()
    seen: set[tuple[int, int]] = set()
    roots = (directory,) if inside is None else tuple(inside)
    bounds = [os.path.join(os.path.realpath(root), "") for root in roots]  # ending in /
    stat_files = stat or max_file_size is not None
    racy_since = time.time_ns() - RACY_NS  # (a time at or after this one: racy)
    racy: set[str] = set()
    Walk = tuple[str, tuple[str, ...], int]

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

    def walk(path: str, parts: tuple[str, ...], state: int) -> list[Walk]:
        """List one directory; return its real subdirectories to walk, in order."""
        package = False
        if state == _INSIDE:
            try:
                package = _has_init(path)
            except OSError as error:  # (no permission): whether it is a package is unknown
                unreadable.append((path, error.strerror or str(error)))
                return []
            # Not a package (templates, static files, translations...): a namespace
            # package if it holds a module, told by a lighter walk first.
            if not package and not _holds_python(path):
                return []
            if not package and not namespaces:
                left_out.append(LeftOut(".".join(parts), path, NOT_LISTED))
                return []
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
            elif state == _INSIDE:  # a namespace directory whose modules cannot be listed
                why = f"a directory that cannot be read ({error.strerror or error})"
                left_out.append(LeftOut(".".join(parts), path, why))
            return []
        subdirs: list[os.DirEntry[str]] = []
        modules: list[os.DirEntry[str]] = []
        compiled: list[os.DirEntry[str]] = []
        away: list[LeftOut] = []  # left out here (kept if this directory is listed)
        linked_out: list[tuple[os.DirEntry[str], str]] = []  # directories not followed, why
        has_init = False
        here = ".".join(parts)
        for entry in listing:
            name = entry.name
            # (_is_module_file, inlined: a hundred thousand files are listed warm)
            named = name.endswith(".py") and name[:1] != "." and name.count(".") == 1
            refusal = None
            if (named or name.isidentifier()) and entry.is_symlink():
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
            if is_dir:
                if entry.name.isidentifier():
                    if entry.name != "__pycache__":
                        subdirs.append(entry)
                elif (
                    not entry.name.startswith(".")
                    and not entry.is_symlink()
                    and _holds_python(entry.path)
                ):
                    module = ".".join((*parts, entry.name))
                    away.append(LeftOut(module, entry.path, NOT_AN_IDENTIFIER))
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
            elif entry.name.endswith((*_COMPILED, ".pyc")):
                compiled.append(entry)
        listed_package = package or has_init or state == _INSIDE
        if not has_init:  # (above the first package, or inside one with ``namespaces``)
            namespace_candidates.add(here)
        for entry, why in linked_out:
            # A subpackage (or a namespace portion) not read.
            if (
                not (state == _INSIDE or has_init)
                or namespaces
                or os.path.isfile(os.path.join(entry.path, "__init__.py"))
            ):
                away.append(LeftOut(".".join((*parts, entry.name)), entry.path, why))
        module_names = {entry.name[:-3] for entry in modules}
        for entry in compiled:
            stem, _, rest = entry.name.partition(".")
            if rest == "pyc" or entry.name.endswith(_COMPILED):
                shadowed = stem in module_names or any(d.name == stem for d in subdirs)
                if stem.isidentifier() and stem != "__init__" and not shadowed:
                    why = BYTECODE if rest == "pyc" else EXTENSION
                    away.append(LeftOut(".".join((*parts, stem)), entry.path, why))
        left_out.extend(away)
        inside = here + "."
        for entry in modules:
            mtime_ns = size = 0
            if stat_files:
                try:
                    file_info = entry.stat()
                except OSError:
                    continue
                mtime_ns, size = file_info.st_mtime_ns, file_info.st_size
            name = entry.name
            module = here if name == "__init__.py" else inside + name[:-3]
            if stat and mtime_ns >= racy_since:
                racy.add(module)
            if max_file_size is not None and size > max_file_size:
                oversized.append((module, entry.path, size))
            files.append(SourceFile(module, entry.path, mtime_ns, size))
        real = []
        child_state = _INSIDE if listed_package else _TOP
        for entry in sorted(subdirs, key=lambda e: e.name):
            child = (entry.path, (*parts, entry.name), child_state)
            if child_state == _INSIDE and entry.name in module_names and _shadowed(entry.path):
                # x/ without __init__.py beside x.py: Python imports x.py.
                if _holds_python(entry.path):
                    left_out.append(LeftOut(".".join(child[1]), entry.path, SHADOWED))
                continue
            if entry.is_symlink():  # after every real directory, so that none is shadowed
                linked.append(child)
            else:
                real.append(child)
        return real

    def walk_all(start: Walk) -> None:
        # Depth first in name order, with a stack of our own: packages nested a
        # thousand deep are listed like any others (no RecursionError).
        stack = [start]
        while stack:
            stack.extend(reversed(walk(*stack.pop())))

    linked: list[Walk] = []
    walk_all((directory, (name,), _TOP))
    while linked:
        walk_all(linked.pop(0))
    if unreadable:
        path, reason = min(unreadable)
        raise RefusedFile(path, reason)
    if oversized and max_file_size is not None:
        _, path, size = min(oversized)
        raise too_large(path, size, max_file_size)
    # A directory without __init__.py is a namespace package if it holds a module.
    holding: set[str] = set()
    for file in files:
        module = file.module
        while "." in module:
            module = module.rpartition(".")[0]
            if module in holding:
                break
            holding.add(module)
    files.sort()  # (by module: the first field)
    return PackageFiles(
        name,
        directory,
        tuple(files),
        frozenset(namespace_candidates & holding) | unread_packages,
        tuple(sorted(left_out)),
        frozenset(racy),
        os.urandom(16).hex() if racy else "",
    )


def _shadowed(directory: str) -> bool:
    """Whether ``directory``, beside a module of its name, has no ``__init__.py`` (a
    package would win over the module; one that cannot be told is walked, and refused)."""
    try:
        return not _has_init(directory)
    except OSError:
        return False


def _holds_python(directory: str) -> bool:
    """Whether a Python source file lies in ``directory`` or below it, or a symbolic link
    that may lead to one (nothing else is followed or read: this only decides whether
    the directory is worth walking, or a line saying that it is left out)."""
    stack = [directory]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    name = entry.name
                    if name.endswith(".py") or entry.is_symlink():
                        if name[:1] != ".":
                            return True
                    elif (
                        entry.is_dir(follow_symlinks=False)
                        and name[:1] != "."
                        and name != "__pycache__"
                    ):
                        stack.append(entry.path)
        except OSError:
            return True  # (it cannot be told: the walk says why)
    return False


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


def listing_digest(packages: Iterable[PackageFiles]) -> str:
    """What the listing found, as a digest: changes when a file is added, removed or
    changed (by its time and size), or something is left out for another reason; unique
    to the listing when a file is racy (:data:`RACY_NS`)."""
    digest = hashlib.sha256()
    for package in sorted(packages, key=lambda p: (p.name, p.directory)):
        digest.update(f"\0{package.name}\0{package.directory}\0".encode())
        digest.update(repr(sorted(package.namespace_packages)).encode())
        digest.update(repr(package.left_out).encode())
        digest.update(
            "".join(f"{f.path}\0{f.mtime_ns}\0{f.size}\n" for f in package.files).encode()
        )
        digest.update(package.token.encode())  # (a racy listing matches no other)
    return digest.hexdigest()
