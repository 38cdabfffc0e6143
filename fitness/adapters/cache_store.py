"""The caches' one way to disk: entries sealed with a key that lives outside the project.

In CI the author of a pull request controls every file of the checkout, a
committed ``.fitness_cache`` included (``git add -f``), and cache keys are
computed from file contents anyone can read. So every cache (the graph, the code
model, the class facts, the history rows) stores its entries through a
:class:`CacheStore`, which seals each one with an HMAC-SHA256 under a secret
key kept outside every project:

- ``FITNESS_CACHE_KEY`` from the environment (a CI runner sets it from a
  secret; an empty value counts as unset: a pull request from a fork gets one),
- else the file ``$XDG_CACHE_HOME/pytest-fitness/cache-key`` (default
  ``~/.cache/...``), made once per user with mode 0600 (created whole, never
  through a link) and refused if anyone else may read or write it, or if it lies
  inside the project.

An entry is authenticated before anything parses it, and read only if it is a
regular file no larger than a bound the caller sets from the size of the
sources it describes (``size_limit``): a 5-byte file cannot make an unmarshaller
allocate gigabytes, a forged entry cannot change a verdict. An entry that fails
(written by another user or machine, by an older fitness, committed or forged)
is a miss: the caller rebuilds it, and the run says so once (:meth:`CacheStore.note`).
Without a usable key there is no cache for the run, with one note saying why.

Where the cache lives: ``FITNESS_CACHE_DIR`` from the environment (anywhere: the
runner chose it), else the configuration's ``cache_dir``, which must stay inside
the project (the configuration is the pull request's: checked here for symbolic
links, and by :func:`fitness.domain.config.parse_config` for ``..`` and absolute
paths). Entries are written by :func:`fitness.adapters.files.write_bytes_within`:
never through a link, never over anything but a regular file.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from fitness.adapters.files import write_bytes_within, write_once

KEY_VARIABLE = "FITNESS_CACHE_KEY"
DIR_VARIABLE = "FITNESS_CACHE_DIR"
#: Where the per-user key file lives, under ``$XDG_CACHE_HOME`` (or ``~/.cache``).
KEY_FILE = Path("pytest-fitness", "cache-key")

#: The first bytes of every entry: the sealing's format, then the hex MAC, then a newline.
MAGIC = b"fitness-cache 1 "
_MAC_HEX = 64
HEADER_SIZE = len(MAGIC) + _MAC_HEX + 1
#: A key shorter than this (in bytes) is refused: it could be guessed.
MIN_KEY = 16


def size_limit(source_bytes: int, files: int = 1, *, factor: int = 16) -> int:
    """The largest entry worth reading for sources of this size: ``factor`` times
    their bytes, 4 KiB a file (names and paths) and 1 MiB. An entry above it was not
    written for these sources: it is not read (nor allocated)."""
    return HEADER_SIZE + factor * max(source_bytes, 0) + 4096 * max(files, 1) + (1 << 20)


class CacheStore:
    """A cache directory whose entries fitness sealed with this user's key.

    Entries are named by ``/``-separated relative paths (``codemodel/modules.marshal``).
    ``shown`` names the directory in notes.
    """

    def __init__(self, root: Path, key: bytes, *, shown: str | None = None) -> None:
        self.root = root
        self._key = key
        self.shown = shown if shown is not None else str(root)
        #: Entries found that this key did not seal (counted, then rebuilt by the caller).
        self.rejected = 0
        #: Why the cache is not used (no key, a directory leading outside), if it is not.
        self.off: str | None = None

    # Reading ----------------------------------------------------------------------

    def read(self, name: str, *, limit: int) -> bytes | None:
        """The data of entry ``name``, or ``None``: missing, or not to be trusted (not a
        regular file, larger than ``limit`` bytes, not sealed with this key: counted
        in :attr:`rejected`). Nothing is parsed before the seal is checked."""
        flags = (
            os.O_RDONLY
            | getattr(os, "O_NOFOLLOW", 0)
            | getattr(os, "O_NONBLOCK", 0)  # a named pipe must not block the run
            | getattr(os, "O_CLOEXEC", 0)
            | getattr(os, "O_BINARY", 0)
        )
        try:
            handle = os.open(self.root / name, flags)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError:  # a link (ELOOP), a directory, no permission: not ours to read
            self.rejected += 1
            return None
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode):
                self.rejected += 1
                return None
            if info.st_size == 0:  # a write a crash cut short: a miss
                return None
            if info.st_size > limit or info.st_size < HEADER_SIZE:
                self.rejected += 1
                return None
            sealed = _read_exactly(handle, info.st_size)
        except OSError:
            return None
        finally:
            os.close(handle)
        data = self.unseal(name, sealed)
        if data is None:
            self.rejected += 1
        return data

    def unseal(self, name: str, sealed: bytes) -> bytes | None:
        """The data ``sealed`` holds, if this key sealed it under ``name``; else ``None``."""
        if len(sealed) < HEADER_SIZE or not sealed.startswith(MAGIC):
            return None
        given = sealed[len(MAGIC) : len(MAGIC) + _MAC_HEX]
        if sealed[HEADER_SIZE - 1 : HEADER_SIZE] != b"\n":
            return None
        view = memoryview(sealed)[HEADER_SIZE:]
        if not hmac.compare_digest(given, self._mac(name, view)):
            return None
        return bytes(view)

    # Writing ----------------------------------------------------------------------

    def write(self, name: str, data: bytes) -> bool:
        """Seal and write entry ``name`` atomically; ``False`` (and nothing damaged) if it
        cannot be written: a read-only directory, or a link or anything but a regular
        file in the way (never written through)."""
        header = MAGIC + self._mac(name, data) + b"\n"
        try:
            write_bytes_within(self.root, name, header, data)
        except (OSError, ValueError):
            return False
        return True

    def seal(self, name: str, data: bytes) -> bytes:
        """``data`` sealed as entry ``name`` (what :meth:`write` writes)."""
        return MAGIC + self._mac(name, data) + b"\n" + data

    def _mac(self, name: str, data: bytes | memoryview) -> bytes:
        mac = hmac.new(self._key, name.encode("utf-8", "surrogateescape") + b"\0", "sha256")
        mac.update(data)
        return mac.hexdigest().encode("ascii")

    # What the run says --------------------------------------------------------------

    def note(self) -> str | None:
        """One line for the run's notes if entries were rejected, else ``None``."""
        if not self.rejected:
            return None
        return (
            f"the cache in {self.shown} held entries not written by fitness on this machine "
            "(copied or committed from elsewhere, forged, or from an older version): they "
            f"were ignored and rebuilt (to share a cache, share its key: {KEY_VARIABLE})"
        )


def _read_exactly(handle: int, size: int) -> bytes:
    """``size`` bytes from ``handle`` (fewer if the file shrank meanwhile)."""
    chunks = []
    left = size
    while left > 0:
        chunk = os.read(handle, min(left, 1 << 24))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


# --------------------------------------------------------------------------
# The key
# --------------------------------------------------------------------------


class CacheKey(NamedTuple):
    """The secret entries are sealed with, or why there is none."""

    secret: bytes | None
    #: The file it was read from (``None``: from ``FITNESS_CACHE_KEY``, or none).
    path: Path | None = None
    #: Why there is no key (the cache is then off for the run).
    problem: str | None = None


def key_path(environ: Mapping[str, str] = os.environ) -> Path | None:
    """``$XDG_CACHE_HOME/pytest-fitness/cache-key`` (a relative ``XDG_CACHE_HOME`` is
    ignored, as the XDG specification says), else ``~/.cache/...``; ``None`` if there
    is no home directory."""
    base = environ.get("XDG_CACHE_HOME", "")
    if base and os.path.isabs(base):
        return Path(base) / KEY_FILE
    home = environ.get("HOME") or ""
    if not home:
        try:
            home = str(Path.home())
        except (RuntimeError, KeyError):  # no home directory
            return None
    return Path(home) / ".cache" / KEY_FILE


def cache_key(environ: Mapping[str, str] = os.environ) -> CacheKey:
    """This run's key: ``FITNESS_CACHE_KEY``, else the user's key file (made if missing)."""
    given = environ.get(KEY_VARIABLE, "")
    if given:
        secret = given.encode("utf-8", "surrogateescape")
        if len(secret) < MIN_KEY:
            return CacheKey(
                None, problem=f"{KEY_VARIABLE} is too short (at least {MIN_KEY} characters)"
            )
        return CacheKey(secret)
    path = key_path(environ)
    if path is None:
        return CacheKey(None, problem="no home directory for the cache key (set XDG_CACHE_HOME)")
    return _key_file(path)


def _key_file(path: Path) -> CacheKey:
    """The key in ``path``, made first if missing."""
    try:
        secret = _read_key(path)
        if secret is None:
            _make_key(path)
            secret = _read_key(path)
    except OSError as error:
        return CacheKey(None, path, f"cannot use the cache key {path}: {_reason(error)}")
    if secret is None:  # pragma: no cover - made, then gone
        return CacheKey(None, path, f"cannot use the cache key {path}: it vanished")
    return CacheKey(secret, path)


def _read_key(path: Path) -> bytes | None:
    """The key in ``path``; ``None`` if there is no such file. ``OSError`` if it cannot
    be trusted: a link, not a regular file, another user's, readable or writable by
    others, too short."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        if os.name == "posix":
            if info.st_uid != os.geteuid():
                raise OSError(0, "owned by another user")
            if info.st_mode & 0o077:
                raise OSError(0, "others may read or write it (chmod 600 it, or delete it)")
        secret = os.read(handle, 4096).strip()
    finally:
        os.close(handle)
    if len(secret) < MIN_KEY:
        raise OSError(0, f"shorter than {MIN_KEY} characters")
    return secret


def _make_key(path: Path) -> None:
    """Create ``path`` with a new random key, whole (a temporary file linked into place:
    never over an existing file, never through a link). Another process making it at
    the same time wins: its key is read."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not stat.S_ISDIR(os.lstat(path.parent).st_mode):
        raise OSError(0, f"{path.parent} is not a directory")
    text = os.urandom(32).hex().encode() + b"\n"
    temporary = path.parent / f".cache-key.{os.getpid()}.{os.urandom(6).hex()}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(temporary, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        try:
            os.write(handle, text)
            os.fsync(handle)
        finally:
            os.close(handle)
        try:
            os.link(temporary, path)  # fails if anything is there, a link included
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: create it in place
            with contextlib.suppress(FileExistsError):
                handle = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
                try:
                    os.write(handle, text)
                finally:
                    os.close(handle)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


# --------------------------------------------------------------------------
# Where the cache lives
# --------------------------------------------------------------------------


class CacheOpening(NamedTuple):
    """A run's cache (``None``: none) and what to say about it."""

    store: CacheStore | None
    note: str | None = None


def cache_location(
    project_dir: Path, cache_dir: str, *, environ: Mapping[str, str] = os.environ
) -> tuple[Path, str] | None:
    """Where the cache of :func:`open_cache` is, and how notes name it; ``None`` if the
    configuration's ``cache_dir`` leads outside the project (nothing is made or read)."""
    given = environ.get(DIR_VARIABLE, "")
    if os.path.isabs(cache_dir):
        return Path(cache_dir), str(Path(cache_dir))
    if given:
        return Path(os.path.realpath(os.path.expanduser(given))), f"{given} ({DIR_VARIABLE})"
    project = Path(os.path.realpath(project_dir))
    root = Path(os.path.realpath(project / cache_dir))
    return (root, cache_dir) if root.is_relative_to(project) else None


def open_cache(
    project_dir: Path, cache_dir: str, *, environ: Mapping[str, str] = os.environ
) -> CacheOpening:
    """The cache of the project in ``project_dir`` whose configuration says ``cache_dir``.

    ``FITNESS_CACHE_DIR`` (the runner's choice) wins over the configuration. An
    absolute ``cache_dir`` is fitness's own choice (``fitness history`` caches each
    commit's graph beside its temporary tree; a configuration file cannot give one).
    A ``cache_dir`` that leads outside the project through a symbolic link is not used.
    A directory that cannot be made (a read-only project) means no cache, silently.
    """
    project = Path(os.path.realpath(project_dir))
    located = cache_location(project_dir, cache_dir, environ=environ)
    if located is None:
        return CacheOpening(
            None,
            f"the cache is off for this run: cache_dir {cache_dir!r} leads outside the "
            f"project (through a symbolic link); to cache elsewhere, set {DIR_VARIABLE}",
        )
    root, shown = located
    key = cache_key(environ)
    if key.secret is None:
        return CacheOpening(None, f"the cache is off for this run: {key.problem}")
    if key.path is not None and Path(os.path.realpath(key.path)).is_relative_to(project):
        return CacheOpening(
            None,
            f"the cache is off for this run: the cache key {key.path} is inside the project "
            f"(whoever writes the project could forge the cache); set {KEY_VARIABLE} or "
            "XDG_CACHE_HOME",
        )
    if prepare_cache_dir(root) is None:
        return CacheOpening(None)
    return CacheOpening(CacheStore(root, key.secret, shown=shown))


def store_at(directory: Path | None) -> CacheStore | None:
    """A cache in ``directory`` (made if needed) with this user's key, for callers that
    name a directory rather than a project's configuration; ``None`` if there is none."""
    if directory is None:
        return None
    key = cache_key()
    if key.secret is None or prepare_cache_dir(directory) is None:
        return None
    return CacheStore(directory, key.secret)


def prepare_cache_dir(cache_dir: Path) -> Path | None:
    """Create the cache directory if needed, with a ``.gitignore`` that hides it from git;
    ``None`` if it cannot be made (a read-only project is checked without a cache)."""
    try:
        if not cache_dir.is_dir():
            cache_dir.parent.mkdir(parents=True, exist_ok=True)
            try:
                cache_dir.mkdir()
            except FileExistsError:  # another process made it first, or it is a file
                pass
            else:
                # Only in a directory fitness created: `cache_dir = "."` or a package
                # directory must not start hiding the user's files from git.
                write_once(cache_dir / ".gitignore", "# Created by pytest-fitness.\n*\n")
        if not cache_dir.is_dir():
            return None
    except OSError:
        return None
    return cache_dir
