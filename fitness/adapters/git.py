"""A project's git history, read with the ``git`` command: the commits of its
first-parent line, and the project as it was at each of them.

Nothing touches the working tree or the index. A commit's files are read from
the object database into one temporary directory, which moves from commit to
commit (:mod:`fitness.adapters.git_trees`: every path validated, every write kept
inside the directory, sizes capped): only the files that differ are written, each
with a new modification time, so the graph cache (kept in the same temporary
directory) rescans only them. Only what an analysis reads is written: Python
files and configuration files, under the configuration's directory. The
directory is removed when the run ends, whatever ends it
(:mod:`fitness.adapters.scratch`).

A commit is data, never code: its configuration's own plugins (``plugins``, an
import-linter ``contract_types`` class) are not imported, and its root packages
are looked for in its own tree only (never on ``sys.path``, in an editable
install or in the working tree). A commit may also be measured with a configuration
given (today's, loaded from the working tree with its plugins, as ``fitness check``
loads them: ``fitness history`` by default, ``fitness check --new-since REV``): its
files are then only the code measured, whatever configuration it holds.

Implements :class:`fitness.application.ports.Repository`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import posixpath
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fitness.adapters.codemodel import CachedCodeModelReader, CodeMemory, attach_reader
from fitness.adapters.config.source import load_config
from fitness.adapters.git_dates import (
    GIT_LAST_DATE,
    git_since,
    reflog_dates_read,
    since_timestamp,
)
from fitness.adapters.git_trees import CommitReader, TreeDirectory, TreeError, git_environment
from fitness.adapters.scratch import scratch_directory
from fitness.adapters.session import GraphSession
from fitness.application.config import LoadedConfig
from fitness.domain.code.detail import Detail
from fitness.domain.errors import ConfigError, FitnessError, did_you_mean
from fitness.domain.history import Commit
from fitness.domain.rendering import is_url, printable_line
from fitness.domain.rules.base import code_detail

if TYPE_CHECKING:
    from fitness.adapters.cache_store import CacheStore
    from fitness.domain.config import FitnessConfig
    from fitness.domain.graph import ProjectGraph

#: Configuration files an analysis may read besides the one given.
CONFIG_NAMES = frozenset({"pyproject.toml", "setup.cfg", ".importlinter"})

UNSHALLOW_HINT = (
    "fetch the whole history with `git fetch --unshallow` (GitHub Actions: "
    "actions/checkout with `fetch-depth: 0`)"
)


class GitRepository:
    """The repository holding ``config_path`` (a ``FitnessError`` if there is none).

    ``cache_dir`` is the project's cache directory: the code model (classes, for the
    metrics) is cached by content, so the working tree's entries serve every commit that
    has the same file, and the last commit's entries are kept for the next run."""

    def __init__(
        self,
        config_path: Path,
        *,
        cache_dir: CacheStore | Path | None = None,
        today: LoadedConfig | None = None,
        purpose: str = "fitness history reads the commits of one",
    ) -> None:
        self.config_path = config_path.resolve()
        self.cache_dir = cache_dir
        #: The configuration every commit is measured with (``None``: each commit's own).
        self.today = today
        #: How many ``git`` commands have run.
        self.commands = 0
        directory = self.config_path.parent
        top = self._git(["rev-parse", "--show-toplevel"], cwd=directory, check=False)
        if top.returncode != 0:
            raise FitnessError(f"{directory} is not in a git repository ({purpose})")
        self.top = Path(top.stdout.strip()).resolve()
        #: The configuration's directory inside the repository ("" at its top).
        self.prefix = directory.relative_to(self.top).as_posix().removeprefix(".")
        self.config_name = self.config_path.name
        self._reader = CommitReader(self.top, self.prefix, self._read_by_analysis)

    def _read_by_analysis(self, path: str) -> bool:
        """Whether an analysis reads the file at ``path`` (under the configuration's
        directory): Python files and configuration files."""
        name = path.rpartition("/")[2]
        return name.endswith(".py") or name in CONFIG_NAMES or path == self.config_name

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
                env=git_environment(),
            )
        except FileNotFoundError:
            raise FitnessError("git is not installed (or not on PATH)") from None
        if check and done.returncode != 0:
            message = printable_line(done.stderr.strip() or f"exit {done.returncode}")
            raise FitnessError(f"git {arguments[0]} failed: {message}")
        return done

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

    def commit_of(self, revision: str, option: str) -> str:
        """The commit ``revision`` names; a ``FitnessError`` naming ``option`` if there is
        none (with a "did you mean", and how to fetch the history in a shallow clone)."""
        commit = self.resolve(revision)
        if commit is None:
            raise self._unknown(revision, option)
        return commit

    def commit(self, sha: str) -> Commit:
        """The commit ``sha`` (an object id), with its date and subject."""
        return self._one(sha)

    def _unknown(self, revision: str, option: str) -> FitnessError:
        names = self._git(
            ["for-each-ref", "--format=%(refname:short)", "refs/tags", "refs/heads"], check=False
        ).stdout.split()
        if option == "--since":
            what = "neither a revision (a tag, a branch or a commit) nor a date (YYYY-MM-DD)"
        else:
            what = "no such revision (a tag, a branch or a commit)"
        hint = did_you_mean(revision, names)
        message = printable_line(f"{option} '{revision}': {what}{hint}")
        if self.is_shallow():
            message += f"; this repository is a shallow clone: {UNSHALLOW_HINT}"
        elif not self._git(["rev-parse", "--verify", "--quiet", "HEAD"], check=False).stdout:
            message = "the repository has no commits yet"
        return FitnessError(message)

    def commits(self, *, since: str | None, until: str, limit: int | None) -> list[Commit]:
        now = time.time()
        # (a reflog date, main@{2100-01-01}, read here as --since reads a date, not by git)
        tip = self.resolve(reflog_dates_read(until, "--until", now))
        if tip is None:
            raise self._unknown(until, "--until")
        arguments = ["log", "--first-parent", "-z", "--format=%H%x1f%ct%x1f%s"]
        start: str | None = None
        after = 0
        if since is not None:
            start = self.resolve(reflog_dates_read(since, "--since", now))
            if start is None:
                # A date, read here: git reads what it cannot parse (a year from 2100,
                # "garbage", "foo ago") as some other time, without a word.
                timestamp = since_timestamp(since, now)
                if timestamp is None:
                    raise self._unknown(since, "--since")
                if timestamp > GIT_LAST_DATE:  # (past the dates git reads: filtered below)
                    after = timestamp
                elif timestamp > 0:
                    arguments.append(f"--since={git_since(timestamp)}")
        if limit is not None:
            arguments.append(f"--max-count={limit}")
        arguments += ["--end-of-options", tip]
        if start is not None:
            arguments.append(f"^{start}")
        commits = [_commit(record) for record in self._git(arguments).stdout.split("\0") if record]
        commits = [commit for commit in commits if commit.timestamp >= after]
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
    def snapshots(
        self, commits: Sequence[Commit], *, config: LoadedConfig | None = None
    ) -> Iterator[Iterator[SnapshotProject | UnreadableSnapshot | None]]:
        """The project at each commit in turn (see :class:`~fitness.application.ports.
        Repository`). With ``config`` (a configuration loaded from the working tree; by
        default the repository's ``today``), each commit is measured with it: its rules,
        its graph settings and the plugins it loaded, never the commit's own
        configuration (a commit without one is measured too)."""
        memory = CodeMemory()
        with scratch_directory("fitness-history-") as directory, self._reader:
            yield self._walk(commits, directory, memory, config or self.today)
            memory.flush()

    def _walk(
        self,
        commits: Sequence[Commit],
        directory: Path,
        memory: CodeMemory,
        config: LoadedConfig | None = None,
    ) -> Iterator[SnapshotProject | UnreadableSnapshot | None]:
        tree = directory / "tree"
        cache = directory / "cache"
        tree.mkdir()
        files = TreeDirectory(tree, self._reader)
        configs: dict[str, LoadedConfig] = {}  # blob -> the configuration read from it
        previous: SnapshotProject | None = None
        for commit in commits:
            try:
                changed = files.show(commit.sha)
            except TreeError as error:
                previous = None
                yield UnreadableSnapshot(error)
                continue
            if previous is not None and not changed and not previous.names_files:
                yield previous  # nothing it reads changed: its graph is built already
                continue
            blob = files.written.get(self.config_name)
            previous = None
            if blob is not None or config is not None:
                previous = SnapshotProject(
                    tree / self.config_name,
                    cache,
                    tree,
                    configs,
                    blob or "",
                    memory,
                    self.cache_dir,
                    locate=functools.partial(self.kind, commit.sha),
                    config=config,
                )
            yield previous

    def kind(self, commit: str, path: str) -> str | None:
        """What ``path`` (relative to the configuration's directory) is at ``commit``:
        ``"file"``, ``"dir"``, or ``None`` (nothing there, or outside the repository)."""
        if posixpath.isabs(path):
            return None
        inside = posixpath.normpath(posixpath.join(self.prefix, path))
        if inside == ".":
            return "dir"
        if inside == ".." or inside.startswith("../"):
            return None
        return self._reader.kind(commit, inside)


class UnreadableSnapshot:
    """A commit whose files could not be read (implements
    :class:`fitness.application.ports.Project`: asking for anything says why)."""

    def __init__(self, error: TreeError) -> None:
        self.error = error

    @property
    def where(self) -> str:
        return ""

    def config(self) -> FitnessConfig:
        raise self.error

    def graph(self) -> ProjectGraph:
        raise self.error

    def baseline(self) -> None:
        return None


def _commit(record: str) -> Commit:
    sha, timestamp, subject = record.strip("\n").split("\x1f", 2)
    seconds = int(timestamp)
    date = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Commit(sha=sha, timestamp=seconds, date=date, subject=subject)


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
        memory: CodeMemory | None = None,
        code_cache: CacheStore | Path | None = None,
        *,
        locate: Callable[[str], str | None] | None = None,
        config: LoadedConfig | None = None,
    ) -> None:
        self._path = config_path
        #: The configuration to measure the commit with (``None``: the commit's own).
        self._given = config
        self._cache = cache
        self._tree = tree
        #: Configurations already read, by blob: the same text in the same place reads
        #: the same (unless a rule names a file, an ADR, which may have changed).
        self._configs = {} if configs is None else configs
        self._blob = blob
        #: The code model's entries by content, kept in memory from commit to commit.
        self._memory = CodeMemory() if memory is None else memory
        self._code_cache = code_cache
        #: What a path (an ADR) is in the commit: "file", "dir" or None.
        self._locate = locate
        #: Whether a rule names a file (an ADR): what it finds may change with any commit.
        self.names_files = False
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
            if self._given is not None:  # (its files were checked in the working tree)
                loaded = _cached_in(self._given._replace(path=self._path), self._cache)
            elif loaded is None:
                try:
                    loaded = load_config(
                        self._path, import_project_code=False, locate_file=self._locate
                    )
                except FitnessError as error:
                    raise self._relocated(error) from None
                loaded = _cached_in(loaded, self._cache)
                self.names_files = any(
                    rule.adr and not is_url(rule.adr) for rule in loaded.config.rules
                )
                if self._blob and not self.names_files:
                    self._configs[self._blob] = loaded
            # The root packages are looked for in the commit's tree only.
            self._session = GraphSession(loaded, sys_path=())
        return self._session

    def config(self) -> FitnessConfig:
        return self.session().config()

    def graph(self) -> ProjectGraph:
        session = self.session()
        try:
            graph = session.graph()
        except FitnessError as error:
            raise self._relocated(error) from None

        reader = _SnapshotReader(
            self._path.parent,
            relocated=self._relocated,
            cache_dir=self._code_cache,
            memory=self._memory,
        )
        # Every commit is measured (the metrics read every class), and its rules checked.
        detail = code_detail(session.config().rules) | Detail.COHESION
        attach_reader(graph, reader, detail=detail)
        return graph

    def baseline(self) -> None:
        return None


class _SnapshotReader(CachedCodeModelReader):
    """The code model of a commit: its entries kept in memory from commit to commit (a
    file unchanged since the last commit is not parsed again), then in the project's
    cache; what an error says names the file as the repository does."""

    def __init__(
        self,
        project_dir: Path,
        *,
        relocated: Callable[[FitnessError], FitnessError],
        cache_dir: CacheStore | Path | None,
        memory: CodeMemory,
    ) -> None:
        super().__init__(project_dir, cache_dir=cache_dir, memory=memory)
        self._relocated = relocated

    def load(self, modules: Sequence[str], detail: Detail) -> dict[str, tuple[Any, ...]]:
        try:
            return super().load(modules, detail)
        except FitnessError as error:
            raise self._relocated(error) from None


def _cached_in(loaded: LoadedConfig, cache: Path) -> LoadedConfig:
    """``loaded`` with its cache in ``cache`` (never where the commit's configuration
    says: that could be outside the temporary directory)."""
    return loaded._replace(config=loaded.config._replace(cache_dir=str(cache)))
