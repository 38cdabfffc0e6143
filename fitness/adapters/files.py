"""Files: every file fitness writes goes through here, and the encoding of a source file.

Writing never damages what is there. A regular file is replaced atomically:
the text goes to a temporary file in the same directory, which then replaces it
(``os.replace``), so that a reader never sees half of it and a crash never
leaves half of it. Anything else is written in place, never replaced: a device
(``-o /dev/null``), a named pipe, the terminal (``-o /dev/stdout``). A symbolic
link is written through to the file it points to; the link stays a link. Caches,
whose directory a pull request may fill, are written by :func:`write_bytes_within`
instead: never through a link, never over anything but a regular file.

The temporary file is removed whatever stops the write: an error (a full
disk), Ctrl-C, or SIGTERM (turned into an exception while a file is written,
when nobody else handles it).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import stat
import threading
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from fitness._lazy import LazyModule

# (about 5 ms, on every run's path, `fitness --version` included: only when a file is
# written)
if TYPE_CHECKING:
    import tempfile
else:
    tempfile = LazyModule("tempfile")


def write_text_safely(path: Path | str, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path``: see the module's docstring.

    Missing parent directories are created. Raises ``OSError`` (the caller names
    the file); nothing is left behind.
    """
    name = os.fspath(path)
    try:
        info = os.stat(name)  # follows links: what the path leads to
    except (FileNotFoundError, NotADirectoryError):  # (the parent is named when it is made)
        info = None
    if info is not None and (not stat.S_ISREG(info.st_mode) or _is_special_path(name)):
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", name)
        with open(name, "w", encoding="utf-8", newline="\n") as stream:  # in place
            stream.write(text)
        return
    target = os.path.realpath(name) if os.path.islink(name) else name
    directory = os.path.dirname(target) or "."
    os.makedirs(directory, exist_ok=True)

    with _sigterm_raises(), _writing():
        handle, tmp = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
            with contextlib.suppress(OSError):
                os.chmod(tmp, mode)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def write_bytes_safely(path: Path | str, data: bytes, *, durable: bool = False) -> None:
    """Write ``data`` to the regular file ``path`` atomically (a temporary file in the
    same directory replaces it), for caches: not flushed to disk unless ``durable``
    (a file a crash leaves empty is a cache miss). Missing parent directories are
    created. Raises ``OSError``; nothing is left behind."""
    target = os.fspath(path)
    directory = os.path.dirname(target) or "."
    os.makedirs(directory, exist_ok=True)

    with _sigterm_raises(), _writing():
        handle, tmp = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory
        )
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                if durable:
                    stream.flush()
                    os.fsync(stream.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


#: Opening a directory below a cache's root: never through a symbolic link.
_DIRECTORY_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def write_bytes_within(root: Path | str, relative: str, *parts: bytes) -> None:
    """Write ``parts`` (concatenated) to ``root/relative`` atomically, never through a
    link: for caches, whose directory a pull request may have filled with traps.

    ``root`` (an existing directory, already checked by the caller) is the only path
    followed. Each directory of ``relative`` (``/``-separated) is created or opened
    without following a symbolic link, and the file is replaced only if it is a regular
    file or missing: a link, a device, a pipe or a directory in the way is left as it is
    (``OSError``). The temporary file is made in the same directory (opened by
    descriptor, so that nothing can be swapped in meanwhile), then renamed over the
    file (a rename replaces a link itself, never what it points to). Not flushed to
    disk: a file a crash leaves empty is a cache miss. Raises ``OSError``; nothing is
    left behind."""
    names = relative.split("/")
    if any(name in ("", ".", "..") for name in names):
        raise ValueError(f"not a plain relative path: {relative!r}")
    if os.open not in os.supports_dir_fd or os.rename not in os.supports_dir_fd:
        _write_within_by_path(Path(root), names, parts)  # pragma: no cover - no openat here
        return
    directory = os.open(os.fspath(root), _DIRECTORY_FLAGS & ~getattr(os, "O_NOFOLLOW", 0))
    try:
        for name in names[:-1]:
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, 0o777, dir_fd=directory)
            inner = os.open(name, _DIRECTORY_FLAGS, dir_fd=directory)  # ELOOP: a link
            os.close(directory)
            directory = inner
        name = names[-1]
        _refuse_non_regular(name, directory)
        temporary = f".{name}.{os.urandom(6).hex()}.tmp"
        with _sigterm_raises(), _writing():
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
            handle = os.open(
                temporary, flags | getattr(os, "O_NOFOLLOW", 0), 0o666, dir_fd=directory
            )
            try:
                with os.fdopen(handle, "wb") as stream:
                    for part in parts:
                        stream.write(part)
                os.replace(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary, dir_fd=directory)
                raise
    finally:
        os.close(directory)


def _refuse_non_regular(name: str, directory: int | None) -> None:
    """``OSError`` if ``name`` exists and is not a regular file (checked without following
    a link)."""
    try:
        info = os.stat(name, dir_fd=directory, follow_symlinks=False)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise FileExistsError(17, "exists and is not a regular file: left as it is", name)


def _write_within_by_path(root: Path, names: list[str], parts: tuple[bytes, ...]) -> None:
    """:func:`write_bytes_within` where the system has no ``openat`` (Windows): each
    directory checked with ``lstat`` before it is used."""
    directory = root
    for name in names[:-1]:
        directory = directory / name
        with contextlib.suppress(FileExistsError):
            directory.mkdir()
        if not stat.S_ISDIR(os.lstat(directory).st_mode):
            raise NotADirectoryError(20, "not a directory (a link?): left as it is", str(directory))
    target = directory / names[-1]
    _refuse_non_regular(str(target), None)
    write_bytes_safely(target, b"".join(parts))


def _is_special_path(name: str) -> bool:
    """A path under /dev or /proc (``/dev/stdout``, ``/proc/self/fd/1``): it stands for an
    open file, which a replacement would not reach, even when that file is regular."""
    return os.path.abspath(name).startswith(("/dev/", "/proc/"))


def write_once(path: Path | str, text: str) -> bool:
    """Create ``path`` with ``text`` unless it exists (``False`` then); never replaces."""
    try:
        descriptor = os.open(os.fspath(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
    return True


_writes_under_way = 0


def writing() -> bool:
    """Whether a temporary file is being written (a signal handler that ends the process
    on the spot must raise instead, so that the file is removed)."""
    return _writes_under_way > 0


@contextlib.contextmanager
def _writing() -> Iterator[None]:
    global _writes_under_way
    _writes_under_way += 1
    try:
        yield
    finally:
        _writes_under_way -= 1


class Terminated(SystemExit):
    """SIGTERM arrived while a file was written (exit status 143, as the signal gives)."""

    def __init__(self) -> None:
        super().__init__(128 + signal.SIGTERM)


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` meanwhile, if it would otherwise kill the process
    on the spot (its default action) and this is the main thread (signal handlers
    can only be set there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        previous = signal.getsignal(signal.SIGTERM)
    except (ValueError, OSError):  # pragma: no cover - no SIGTERM here
        yield
        return
    if previous is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _umask() -> int:
    """The process's umask, read where it is shown (Linux); elsewhere set and restored
    (which changes it, for a moment, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0)
    os.umask(mask)
    return mask


def decode_source(data: bytes) -> str:
    """The text of a Python source file, decoded as it declares (:func:`declared_encoding`);
    raises ``ValueError`` saying why it cannot be (``not valid UTF-8 (byte 12)``)."""
    try:
        return data.decode(declared_encoding(data))
    except UnicodeDecodeError as error:
        raise ValueError(f"not valid {error.encoding.upper()} (byte {error.start})") from None
    except LookupError as error:  # a declared encoding Python does not know
        raise ValueError(str(error)) from None


def declared_encoding(source: bytes) -> str:
    """The encoding a Python source file declares, as Python reads it (PEP 263).

    Its coding cookie, else UTF-8; ``utf-8-sig`` when it starts with a byte-order
    mark, which decoding then drops. A declaration Python refuses (an unknown
    encoding, a BOM with another cookie) gives ``utf-8-sig`` too: UTF-8, any BOM
    dropped, so the text is still read.
    """
    try:
        return tokenize.detect_encoding(io.BytesIO(source).readline)[0]
    except SyntaxError:
        return "utf-8-sig"
