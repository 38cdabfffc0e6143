"""A project's git history, read with the ``git`` command: the commits of its
first-parent line, and the project as it was at each of them.

Nothing touches the working tree or the index. A commit's files are read from
the object database (``git ls-tree``, ``git cat-file --batch``) into one temporary
directory, which moves from commit to commit: only the files that differ are
written, each with a new modification time, so the graph cache (kept in the
same temporary directory) rescans only them. Only what an analysis reads is
written: Python files and configuration files, under the configuration's
directory. The directory is removed when the run ends.

Implements :class:`fitness.application.ports.Repository`.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fitness.adapters.classfacts import CachedClassFactsReader
from fitness.adapters.cleanup import removed_on_exit
from fitness.adapters.pyproject import LoadedConfig, load_config
from fitness.adapters.session import GraphSession
from fitness.domain.errors import ConfigError, FitnessError, did_you_mean
from fitness.domain.history import Commit

if TYPE_CHECKING:
    from fitness.domain.classfacts import ModuleFacts
    from fitness.domain.config import FitnessConfig
    from fitness.domain.graph import ProjectGraph

#: Configuration files an analysis may read besides the one given.
CONFIG_NAMES = frozenset({"pyproject.toml", "setup.cfg", ".importlinter"})

UNSHALLOW_HINT = (
    "fetch the whole history with `git fetch --unshallow` (GitHub Actions: "
    "actions/checkout with `fetch-depth: 0`)"
)

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: A --since that git should read as a date, not a revision.
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T].*)?$|\bago$|^(yesterday|today|now)$", re.IGNORECASE)


class GitRepository:
    """The repository holding ``config_path`` (a ``FitnessError`` if there is none).

    ``cache_dir`` is the project's cache directory: class facts are keyed by content,
    so those of the working tree's files serve every commit that has the same file
    (and those of a commit serve the next run)."""

    def __init__(self, config_path: Path, *, cache_dir: Path | None = None) -> None:
        self.config_path = config_path.resolve()
        self.cache_dir = cache_dir
        #: How many ``git`` commands have run.
        self.commands = 0
        directory = self.config_path.parent
        top = self._git(["rev-parse", "--show-toplevel"], cwd=directory, check=False)
        if top.returncode != 0:
            raise FitnessError(
                f"{directory} is not in a git repository (fitness history reads the commits of one)"
            )
        self.top = Path(top.stdout.strip()).resolve()
        #: The configuration's directory inside the repository ("" at its top).
        self.prefix = directory.relative_to(self.top).as_posix().removeprefix(".")
        self.config_name = self.config_path.name

    # git ------------------------------------------------------------------------------

    def _git(
        self,
        arguments: list[str],
        *,
        cwd: Path | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        command = ["git", "-c", "core.quotepath=off", *arguments]
        self.commands += 1
        try:
            done = subprocess.run(
                command,
                cwd=cwd or self.top,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="surrogateescape",
                env={**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"},
            )
        except FileNotFoundError:
            raise FitnessError("git is not installed (or not on PATH)") from None
        if check and done.returncode != 0:
            raise FitnessError(
                f"git {arguments[0]} failed: {done.stderr.strip() or f'exit {done.returncode}'}"
            )
        return done

    def _bytes(self, arguments: list[str], input: bytes) -> bytes:
        self.commands += 1
        done = subprocess.run(
            ["git", *arguments], cwd=self.top, input=input, capture_output=True, check=False
        )
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()
            raise FitnessError(f"git {arguments[0]} failed: {message}")
        return done.stdout

    # The commits ---------------------------------------------------------------------

    def is_shallow(self) -> bool:
        return self._git(["rev-parse", "--is-shallow-repository"]).stdout.strip() == "true"

    def _shallow_boundary(self) -> set[str]:
        """The commits whose parents a shallow clone does not have."""
        path = Path(self._git(["rev-parse", "--git-path", "shallow"]).stdout.strip())
        path = path if path.is_absolute() else self.top / path
        try:
            return set(path.read_text(encoding="ascii").split())
        except OSError:
            return set()

    def resolve(self, revision: str) -> str | None:
        """The commit ``revision`` names, or ``None``."""
        done = self._git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
            check=False,
        )
        return done.stdout.strip() if done.returncode == 0 else None

    def _unknown(self, revision: str, option: str) -> FitnessError:
        names = self._git(
            ["for-each-ref", "--format=%(refname:short)", "refs/tags", "refs/heads"], check=False
        ).stdout.split()
        if option == "--since":
            what = "neither a revision (a tag, a branch or a commit) nor a date (YYYY-MM-DD)"
        else:
            what = "no such revision (a tag, a branch or a commit)"
        message = f"{option} '{revision}': {what}{did_you_mean(revision, names)}"
        if self.is_shallow():
            message += f"; this repository is a shallow clone: {UNSHALLOW_HINT}"
        elif not self._git(["rev-parse", "--verify", "--quiet", "HEAD"], check=False).stdout:
            message = "the repository has no commits yet"
        return FitnessError(message)

    def commits(self, *, since: str | None, until: str, limit: int | None) -> list[Commit]:
        tip = self.resolve(until)
        if tip is None:
            raise self._unknown(until, "--until")
        arguments = ["log", "--first-parent", "-z", "--format=%H%x1f%ct%x1f%s"]
        start: str | None = None
        if since is not None:
            start = self.resolve(since)
            if start is None and not _DATE.search(since.strip()):
                raise self._unknown(since, "--since")
            if start is None:  # a bare date is its midnight (git reads it as this time of day)
                date = f"{since} 00:00:00" if _DAY.match(since.strip()) else since
                arguments.append(f"--since={date}")
        if limit is not None:
            arguments.append(f"--max-count={limit}")
        arguments += ["--end-of-options", tip]
        if start is not None:
            arguments.append(f"^{start}")
        commits = [_commit(record) for record in self._git(arguments).stdout.split("\0") if record]
        if start is not None and self._is_ancestor(start, tip):
            commits.append(self._one(start))
        commits.reverse()
        if commits and self.is_shallow():
            self._check_not_cut(commits, since=since, start=start, limit=limit)
        return commits

    def _is_ancestor(self, ancestor: str, descendant: str) -> bool:
        return (
            self._git(["merge-base", "--is-ancestor", ancestor, descendant], check=False).returncode
            == 0
        )

    def _one(self, sha: str) -> Commit:
        record = self._git(["log", "-1", "-z", "--format=%H%x1f%ct%x1f%s", sha]).stdout
        return _commit(record.split("\0")[0])

    def _check_not_cut(
        self, commits: list[Commit], *, since: str | None, start: str | None, limit: int | None
    ) -> None:
        """A shallow clone's history stops at its boundary commits: an error if the
        selection would have gone on past one."""
        oldest = commits[0]
        if oldest.sha not in self._shallow_boundary() or oldest.sha == start:
            return
        if limit is not None and len(commits) >= limit and since is None:
            return
        raise FitnessError(
            "this repository is a shallow clone (CI checkouts fetch one commit by default): "
            f"its history stops at commit {oldest.short}, before the commits asked for; "
            f"{UNSHALLOW_HINT}"
        )

    # The snapshots ---------------------------------------------------------------------

    @contextlib.contextmanager
    def snapshots(self, commits: Sequence[Commit]) -> Iterator[Iterator[SnapshotProject | None]]:
        with removed_on_exit(
            tempfile.mkdtemp(prefix="fitness-history-", dir=_scratch())
        ) as directory:
            yield self._walk(commits, Path(directory))

    def _walk(self, commits: Sequence[Commit], directory: Path) -> Iterator[SnapshotProject | None]:
        tree = directory / "tree"
        cache = directory / "cache"
        tree.mkdir()
        written: dict[str, str] = {}  # path (under the prefix) -> blob
        clock = _Clock()
        configs: dict[str, LoadedConfig] = {}  # blob -> the configuration read from it
        facts: dict[str, ModuleFacts] = {}  # content key -> a module's class facts
        previous: SnapshotProject | None = None
        for commit in commits:
            wanted = self._files(commit)
            if previous is not None and wanted == written:
                yield previous  # nothing it reads changed: its graph is built already
                continue
            for path in sorted(written.keys() - wanted.keys()):
                _remove(tree, path)
                del written[path]
            changed = sorted(p for p, blob in wanted.items() if written.get(p) != blob)
            for path, content in zip(
                changed, self._blobs([wanted[p] for p in changed]), strict=True
            ):
                target = tree / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                stamp = clock.next()
                os.utime(target, ns=(stamp, stamp))
                written[path] = wanted[path]
            blob = written.get(self.config_name)
            previous = None
            if blob is not None:
                previous = SnapshotProject(
                    tree / self.config_name, cache, tree, configs, blob, facts, self.cache_dir
                )
            yield previous

    def _files(self, commit: Commit) -> dict[str, str]:
        """The files of ``commit`` an analysis reads: path under the prefix -> blob."""
        arguments = ["ls-tree", "-r", "-z", "--full-tree", commit.sha]
        if self.prefix:
            arguments += ["--", self.prefix]
        files = {}
        strip = f"{self.prefix}/" if self.prefix else ""
        for entry in self._git(arguments).stdout.split("\0"):
            if not entry:
                continue
            info, _, path = entry.partition("\t")
            mode, kind, blob = info.split()
            if kind != "blob" or mode == "120000" or not path.startswith(strip):
                continue
            relative = path[len(strip) :]
            name = relative.rpartition("/")[2]
            if name.endswith(".py") or name in CONFIG_NAMES or relative == self.config_name:
                files[relative] = blob
        return files

    def _blobs(self, blobs: list[str]) -> list[bytes]:
        if not blobs:
            return []
        output = self._bytes(["cat-file", "--batch"], "".join(f"{b}\n" for b in blobs).encode())
        contents = []
        position = 0
        for _ in blobs:
            end = output.index(b"\n", position)
            header = output[position:end].split()
            if len(header) != 3:
                raise FitnessError(f"git cat-file: {output[position:end].decode(errors='replace')}")
            size = int(header[2])
            contents.append(output[end + 1 : end + 1 + size])
            position = end + 1 + size + 1
        return contents


def _scratch() -> str | None:
    """Where the temporary tree goes: memory (``/dev/shm``) where there is one, as the
    caches written beside it are flushed to disk for nothing; else the default."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def _commit(record: str) -> Commit:
    sha, timestamp, subject = record.strip("\n").split("\x1f", 2)
    seconds = int(timestamp)
    date = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Commit(sha=sha, timestamp=seconds, date=date, subject=subject)


def _remove(tree: Path, path: str) -> None:
    """Remove a file, then the directories it leaves empty."""
    target = tree / path
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    parent = target.parent
    while parent != tree:
        try:
            parent.rmdir()
        except OSError:  # not empty
            break
        parent = parent.parent


class _Clock:
    """Modification times that never repeat: a file rewritten within one tick of the
    file system's clock, at the same size, must still look changed to the graph cache."""

    def __init__(self) -> None:
        self._last = time.time_ns()

    def next(self) -> int:
        self._last += 1_000_000  # one millisecond: coarser than any file system's clock
        return self._last


class SnapshotProject:
    """The project at one commit (implements :class:`fitness.application.ports.Project`):
    its configuration read from the temporary tree, the graph cached beside it; what an
    error says names the file as the repository does, not the temporary directory."""

    def __init__(
        self,
        config_path: Path,
        cache: Path,
        tree: Path,
        configs: dict[str, LoadedConfig] | None = None,
        blob: str = "",
        facts: dict[str, ModuleFacts] | None = None,
        facts_cache: Path | None = None,
    ) -> None:
        self._path = config_path
        self._cache = cache
        self._tree = tree
        #: Configurations already read, by blob: the same text in the same place reads
        #: the same (unless it loads the project's own plugins, which may have changed).
        self._configs = {} if configs is None else configs
        self._blob = blob
        #: Class facts by content, kept in memory from commit to commit.
        self._facts = {} if facts is None else facts
        self._facts_cache = facts_cache
        self._session: GraphSession | None = None

    @property
    def where(self) -> str:
        return self._path.name

    def _relocated(self, error: FitnessError) -> FitnessError:
        text = str(error).replace(f"{self._tree}{os.sep}", "").replace(str(self._tree), ".")
        return ConfigError(text) if isinstance(error, ConfigError) else FitnessError(text)

    def session(self) -> GraphSession:
        if self._session is None:
            loaded = self._configs.get(self._blob) if self._blob else None
            if loaded is None:
                try:
                    loaded = _cached_in(load_config(self._path), self._cache)
                except FitnessError as error:
                    raise self._relocated(error) from None
                if self._blob and not loaded.config.plugins:
                    self._configs[self._blob] = loaded
            self._session = GraphSession(loaded)
        return self._session

    def config(self) -> FitnessConfig:
        return self.session().config()

    def graph(self) -> ProjectGraph:
        session = self.session()
        try:
            graph = session.graph()
        except FitnessError as error:
            raise self._relocated(error) from None
        reader = _MemoryFactsReader(self._path.parent, self._facts, self._facts_cache)

        def source() -> dict[str, ModuleFacts]:
            files = {
                module: file
                for module, file in graph.module_files.items()
                if graph.is_internal(module) and file.endswith(".py")
            }
            try:
                return reader.read(files)
            except FitnessError as error:
                raise self._relocated(error) from None

        graph.attach_class_facts(source)
        return graph

    def baseline(self) -> None:
        return None


class _MemoryFactsReader(CachedClassFactsReader):
    """Class facts cached by content in memory (a file unchanged since the last commit is
    not read again), then in the project's cache (``cache_dir``, if any)."""

    def __init__(
        self, project_dir: Path, memory: dict[str, ModuleFacts], cache_dir: Path | None
    ) -> None:
        super().__init__(project_dir, cache_dir=cache_dir)
        self._memory = memory

    def _load(self, key: str, module: str) -> ModuleFacts | None:
        facts = self._memory.get(key)
        if facts is None:
            facts = super()._load(key, module)
            if facts is not None:
                self._memory[key] = facts
        return facts if facts is not None and facts.module == module else None

    def _store(self, key: str, facts: ModuleFacts) -> None:
        self._memory[key] = facts
        super()._store(key, facts)


def _cached_in(loaded: LoadedConfig, cache: Path) -> LoadedConfig:
    """``loaded`` with its cache in ``cache`` (never where the commit's configuration
    says: that could be outside the temporary directory)."""
    return loaded._replace(config=loaded.config._replace(cache_dir=str(cache)))
