"""A commit's files, read from git's object database as data, and written into a
directory they cannot leave.

Whoever made a commit chose its tree, and git accepts (unless fsck is on, which
``clone`` and ``fetch`` leave off by default) entries that no checkout would
write: a name ``..``, ``.``, empty or containing ``/``, a name that is not
UTF-8, the same name twice (``dup.py`` a file and a directory), a file inside a
file or a symbolic link, a tree that points at an object the repository does
not have, a blob of any size. So:

- :class:`CommitReader` lists a commit's tree (``git ls-tree``) and validates
  every path under the directory read before anything is written; each file's
  size is read first (``git cat-file --batch-check``), and a file above
  :data:`MAX_SOURCE_BYTES` is refused before it is read; contents are read one
  file at a time (``git cat-file --batch``). The two ``cat-file`` processes serve
  every commit of a run (:meth:`CommitReader.close` ends them). A commit it
  cannot read is a :class:`TreeError` naming the path and why.
- :class:`TreeDirectory` holds one commit's files at a time, and moves from
  commit to commit writing only the files that differ. Every write goes through
  directories opened one by one relative to the last (``O_NOFOLLOW``,
  ``O_DIRECTORY``) and creates a new file (``O_EXCL``): nothing is written through
  a symbolic link or into what is not a directory, whatever is on disk.

Nothing here runs, imports or checks out the code: ``fitness history`` reads
each commit through it, and so can any feature that reads a revision.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from fitness.adapters.git_env import git_environment as git_environment
from fitness.domain.history import UnreadableCommit
from fitness.domain.rendering import printable_line, shorten

#: The largest file read from a commit (a source or configuration file), in bytes.
MAX_SOURCE_BYTES = 5 * 1024 * 1024

#: The deepest and the longest path read from a commit (a Python project nests a few
#: levels; a tree 10,000 levels deep would exhaust file descriptors and recursion).
MAX_DEPTH = 64
MAX_PATH_BYTES = 4096

_OBJECT_ID = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_SYMLINK = b"120000"
_TREE = b"tree"


class TreeError(UnreadableCommit):
    """A commit whose files cannot be read safely: a row saying why, never the end of a run."""


def shown(path: bytes | str) -> str:
    """A path from a commit as a message shows it: decoded, control characters escaped,
    at most 200 characters."""
    text = path.decode("utf-8", "backslashreplace") if isinstance(path, bytes) else path
    return printable_line(shorten(text, 200))


class CommitReader:
    """The files under ``prefix`` (a directory of the repository at ``top``, ``""`` for
    its top) that ``wanted`` chooses (by their path under ``prefix``), at any commit."""

    def __init__(
        self,
        top: Path,
        prefix: str,
        wanted: Callable[[str], bool],
        *,
        max_bytes: int = MAX_SOURCE_BYTES,
    ) -> None:
        self.top = top
        self.prefix = prefix.strip("/")
        self.wanted = wanted
        self.max_bytes = max_bytes
        #: How many ``git`` commands have run.
        self.commands = 0
        self._sizes = _ObjectReader(self, "--batch-check")
        self._contents = _ObjectReader(self, "--batch")

    def _run(self, arguments: list[str]) -> subprocess.CompletedProcess[bytes]:
        self.commands += 1
        return subprocess.run(
            ["git", *arguments],
            cwd=self.top,
            capture_output=True,
            env=git_environment(),
            check=False,
        )

    def files(self, commit: str) -> dict[str, str]:
        """The wanted files of ``commit`` (an object id): path under the prefix -> blob.

        Every entry under the prefix is validated, wanted or not; a :class:`TreeError`
        says what is wrong with the first bad one."""
        if not _OBJECT_ID.match(commit):
            raise ValueError(f"not an object id: {commit!r}")
        arguments = ["ls-tree", "-r", "-t", "-z", "--full-tree", commit]
        if self.prefix:
            arguments += ["--", self.prefix]
        done = self._run(arguments)
        if done.returncode != 0:
            raise TreeError(f"cannot read the commit's tree: {_git_message(done.stderr)}")
        base = os.fsencode(self.prefix) + b"/" if self.prefix else b""
        kinds: dict[bytes, bool] = {}  # path -> whether it is a directory (a tree)
        files: dict[str, str] = {}
        for entry in done.stdout.split(b"\0"):
            if not entry:
                continue
            info, tab, path = entry.partition(b"\t")
            fields = info.split()
            if not tab or len(fields) != 3:
                raise TreeError(f"cannot read the commit's tree: {shown(entry)}")
            mode, kind, blob = fields
            _check_path(path)
            if path in kinds:
                raise TreeError(f"bad tree: '{shown(path)}' is there twice")
            kinds[path] = kind == _TREE
            if kind != b"blob" or mode == _SYMLINK or not path.startswith(base):
                continue
            relative = path[len(base) :].decode()
            if self.wanted(relative):
                files[relative] = blob.decode("ascii", "replace")
        for path in kinds:  # no path goes through a file, a link or a submodule
            parent = path.rpartition(b"/")[0]
            while parent:
                if kinds.get(parent) is False:
                    raise TreeError(
                        f"bad tree: '{shown(path)}' is inside '{shown(parent)}', which is not "
                        "a directory"
                    )
                parent = parent.rpartition(b"/")[0]
        return files

    def check_sizes(self, files: Mapping[str, str]) -> None:
        """A :class:`TreeError` if one of ``files`` (path -> blob) is missing from the
        repository, is not a file, or is larger than ``max_bytes``; nothing is read."""
        for path in sorted(files):
            _header(path, self._sizes.header(files[path], path), self.max_bytes)

    def contents(self, files: Sequence[tuple[str, str]]) -> Iterator[tuple[str, bytes]]:
        """Each of ``files`` (path, blob) with its content, read one at a time (at most
        ``max_bytes`` in memory); a :class:`TreeError` for one that cannot be read."""
        for path, blob in files:
            size = _header(path, self._contents.header(blob, path), self.max_bytes)
            yield path, self._contents.read(size, path)

    def kind(self, commit: str, path: str) -> str | None:
        """What ``path`` (from the repository's top, normalised) is at ``commit``: ``"file"``,
        ``"dir"`` or ``None`` (nothing), asked of the same ``cat-file`` process."""
        if not _OBJECT_ID.match(commit) or any(c in path for c in "\0\n\r"):
            return None
        try:
            fields = self._sizes.header(f"{commit}:{path}", path).split()
        except TreeError:
            return None
        if len(fields) != 3 or not fields[2].isdigit():
            return None  # ("<name> missing")
        return {b"blob": "file", b"tree": "dir"}.get(fields[1])

    def close(self) -> None:
        """End the ``git`` processes that read objects (started again when needed)."""
        self._sizes.close()
        self._contents.close()

    def __enter__(self) -> CommitReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _ObjectReader:
    """One ``git cat-file --batch`` (or ``--batch-check``) process, asked for one object
    after another (it answers each at once: no deadlock on a full pipe, no output held)."""

    def __init__(self, reader: CommitReader, option: str) -> None:
        self._reader = reader
        self._option = option
        self._process: subprocess.Popen[bytes] | None = None

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            self._reader.commands += 1
            self._process = subprocess.Popen(
                ["git", "cat-file", self._option],
                cwd=self._reader.top,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=git_environment(),
            )
        return self._process

    def header(self, name: str, path: str) -> bytes:
        """The answer's first line for the object ``name`` (``path`` is what errors name):
        ``<id> <type> <size>``, or ``<name> missing``."""
        process = self._started()
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(f"{name}\n".encode())
            process.stdin.flush()
            line = process.stdout.readline(200 + len(name.encode()))
        except (OSError, ValueError):
            line = b""
        if not line.endswith(b"\n"):
            self.close()
            raise TreeError(f"cannot read {shown(path)} from the repository")
        return line

    def read(self, size: int, path: str) -> bytes:
        """The ``size`` bytes of content that follow a header, and the newline after them."""
        process = self._started()
        assert process.stdout is not None
        data = process.stdout.read(size)
        if len(data) != size or process.stdout.read(1) != b"\n":
            self.close()
            raise TreeError(f"cannot read {shown(path)} from the repository")
        return data

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()
        if process.poll() is None:
            process.kill()
        process.wait()


def _git_message(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return printable_line(lines[-1][:200]) if lines else "git failed"


def _header(path: str, line: bytes, max_bytes: int) -> int:
    """The size a ``cat-file --batch(-check)`` header gives, or why the file cannot be read."""
    fields = line.split()
    if len(fields) == 2 and fields[1] == b"missing":
        raise TreeError(
            f"{shown(path)}: the commit's file is missing from the repository "
            f"(object {fields[0].decode('ascii', 'replace')[:10]})"
        )
    if len(fields) != 3 or not fields[2].isdigit():
        raise TreeError(f"cannot read {shown(path)} from the repository")
    if fields[1] != b"blob":
        raise TreeError(f"bad tree: {shown(path)} is not a file")
    size = int(fields[2])
    if size > max_bytes:
        raise TreeError(
            f"{shown(path)}: {size:,} bytes, above the limit of {max_bytes:,} bytes for a "
            "file read from a commit"
        )
    return size


def _check_path(path: bytes) -> None:
    """A path of the listing, whole: every part a name a checkout would write."""
    try:
        text = path.decode("utf-8")
    except UnicodeDecodeError:
        raise TreeError(f"bad tree: a name that is not UTF-8 ('{shown(path)}')") from None
    whole = f" ('{shown(text)}')"
    if len(path) > MAX_PATH_BYTES or text.count("/") >= MAX_DEPTH:
        raise TreeError(f"bad tree: a path too long or too deep{whole}")
    if text.startswith("/"):
        raise TreeError(f"bad tree: an absolute path{whole}")
    for part in text.split("/"):
        if part in (".", ".."):
            raise TreeError(f"bad tree: an entry named '{part}'" + (whole if part != text else ""))
        if not part:
            raise TreeError(f"bad tree: an empty name{whole if text else ''}")
        if os.sep != "/" and (os.sep in part or ":" in part):  # (Windows)
            raise TreeError(f"bad tree: not a path on this system{whole}")


class TreeDirectory:
    """``root`` (an empty directory, ours) holding one commit's files at a time, as
    ``reader`` chooses them. Moving to another commit writes only the files that
    differ, each with a new modification time (a cache that compares times sees them
    change), and removes those the commit does not have."""

    def __init__(self, root: Path, reader: CommitReader) -> None:
        self.root = root
        self.reader = reader
        #: What ``root`` holds: path -> blob.
        self.written: dict[str, str] = {}
        self._clock = _Clock()

    def show(self, commit: str) -> bool:
        """Make ``root`` hold the files of ``commit``; whether anything changed. A
        :class:`TreeError` if it cannot be read: ``root`` then holds what it held
        before, or nothing."""
        wanted = self.reader.files(commit)
        if wanted == self.written:
            return False
        changed = sorted(path for path, blob in wanted.items() if self.written.get(path) != blob)
        self.reader.check_sizes({path: wanted[path] for path in changed})
        try:
            for path in sorted(self.written.keys() - wanted.keys()):
                _remove(self.root, path)
                del self.written[path]
            for path, data in self.reader.contents([(path, wanted[path]) for path in changed]):
                self.written.pop(path, None)
                _write(self.root, path, data, self._clock.next())
                self.written[path] = wanted[path]
        except (TreeError, OSError) as error:
            self.clear()
            if isinstance(error, TreeError):
                raise
            raise TreeError(f"cannot write the commit's files: {error.strerror}") from None
        return True

    def clear(self) -> None:
        """Empty ``root``: the next commit is written whole."""

        self.written.clear()
        for entry in os.scandir(self.root):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


# Writing inside a directory, never out of it -------------------------------------------------

_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_RELATIVE = {os.open, os.mkdir, os.unlink, os.rmdir} <= os.supports_dir_fd


def _parts(path: str) -> list[str]:
    parts = path.split("/")
    if any(part in ("", ".", "..") or os.sep in part for part in parts):
        raise TreeError(f"bad tree: '{shown(path)}'")  # (validated already: never reached)
    return parts


@contextlib.contextmanager
def _directories(root: Path, parts: Sequence[str], *, create: bool) -> Iterator[list[int]]:
    """The directories ``root``, ``root/parts[0]``, ... opened one by one, each relative
    to the one before and never through a symbolic link (``create``: made if missing)."""
    opened = [os.open(root, _DIRECTORY | _CLOEXEC)]
    try:
        for part in parts:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o700, dir_fd=opened[-1])
            opened.append(os.open(part, _DIRECTORY | _CLOEXEC, dir_fd=opened[-1]))
        yield opened
    finally:
        for descriptor in opened:
            os.close(descriptor)


def _write(root: Path, path: str, data: bytes, stamp: int) -> None:
    """Write ``root/path`` as a new file with modification time ``stamp`` (nanoseconds)."""
    parts = _parts(path)
    if not _RELATIVE:  # pragma: no cover - no openat() here: check the resolved path
        _write_checked(root, parts, data, stamp)
        return
    with _directories(root, parts[:-1], create=True) as opened:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(parts[-1], dir_fd=opened[-1])
        descriptor = os.open(parts[-1], _NEW_FILE | _CLOEXEC, 0o600, dir_fd=opened[-1])
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
            os.utime(descriptor, ns=(stamp, stamp))
        finally:
            os.close(descriptor)


def _write_checked(  # pragma: no cover
    root: Path, parts: Sequence[str], data: bytes, stamp: int
) -> None:
    base = os.path.realpath(root)
    target = os.path.join(base, *parts)
    directory = os.path.dirname(target)
    os.makedirs(directory, exist_ok=True)
    if os.path.realpath(directory) != directory:
        raise TreeError(f"cannot write {shown('/'.join(parts))}: not inside the temporary tree")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
    with open(target, "xb") as stream:
        stream.write(data)
    os.utime(target, ns=(stamp, stamp))


def _remove(root: Path, path: str) -> None:
    """Remove ``root/path``, then the directories it leaves empty."""
    parts = _parts(path)
    if not _RELATIVE:  # pragma: no cover
        target = Path(os.path.realpath(root), *parts)
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        for parent in list(target.parents)[: len(parts) - 1]:
            try:
                parent.rmdir()
            except OSError:
                break
        return
    try:
        with _directories(root, parts[:-1], create=False) as opened:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(parts[-1], dir_fd=opened[-1])
            for depth in range(len(parts) - 1, 0, -1):
                try:
                    os.rmdir(parts[depth - 1], dir_fd=opened[depth - 1])
                except OSError:  # not empty
                    break
    except (FileNotFoundError, NotADirectoryError):
        return


class _Clock:
    """Modification times that never repeat: a file rewritten within one tick of the
    file system's clock, at the same size, must still look changed to the graph cache."""

    def __init__(self) -> None:
        self._last = time.time_ns()

    def next(self) -> int:
        self._last += 1_000_000  # one millisecond: coarser than any file system's clock
        return self._last
