"""A revision of the project measured with today's configuration (``--new-since REV``),
and what it held, cached.

The revision is read as ``fitness history`` reads a commit
(:meth:`fitness.adapters.git.GitRepository.snapshots`: every path validated, sizes
capped, writes kept in a temporary tree removed whatever ends the run), with the
configuration loaded from the working tree: its rules, its graph settings, the
plugins it loaded. Nothing of the revision is imported or run.

What it held is cached by the tree of the project's directory at the revision and
what today's measurement depends on (the configuration's text and place, fitness's
and grimp's versions, the installed plugins, the source of the project's own
plugins): one sealed entry of the project's cache
(:mod:`fitness.adapters.cache_store`), ``new-since/<tree>-<key>.json``. A missing,
forged or damaged entry is a miss: the revision is measured again. Implements
:class:`fitness.application.ports.RevisionSource` and
:class:`fitness.application.ports.KnownAtCache`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp

from fitness._version import __version__ as FITNESS_VERSION
from fitness.adapters.baseline import locked
from fitness.adapters.cache_store import CacheStore
from fitness.adapters.entry_points import installed_plugins
from fitness.adapters.git import GitRepository
from fitness.adapters.git_env import run_git
from fitness.adapters.git_revision import commit_of
from fitness.application.config import LoadedConfig
from fitness.application.new_since import known_at
from fitness.application.ports import Project, Revision
from fitness.domain.baseline import Baseline
from fitness.domain.errors import ConfigError
from fitness.domain.new_since import KnownAt

#: Bump when what an entry holds changes.
ENTRY_FORMAT = 1
#: The largest entry worth reading: a revision's violations as baseline entries.
ENTRY_LIMIT = 64 << 20
#: The option errors name.
OPTION = "--new-since"


class TodayAtRevision:
    """The revisions of the repository that holds the configuration ``loaded`` (loaded
    from the working tree), each measured with it.

    A revision is resolved with two ``git rev-parse`` commands; the machinery that reads
    a commit (:class:`~fitness.adapters.git.GitRepository`, whose imports cost about
    100 ms) is loaded only to measure one, or to say why a revision does not exist."""

    def __init__(
        self, loaded: LoadedConfig, *, store: CacheStore | None = None, option: str = OPTION
    ) -> None:
        self.loaded = loaded
        self.store = store
        self.option = option
        self.directory = loaded.path.resolve().parent
        prefix = self._git("rev-parse", "--show-prefix")
        if prefix is None:
            self.repository()  # says why (not in a git repository)
        #: The configuration's directory inside the repository ("" at its top).
        self.prefix = (prefix or "").rstrip("/")

    def _git(self, *arguments: str) -> str | None:
        done = run_git(list(arguments), self.directory)
        return (
            done.stdout.decode("utf-8", "surrogateescape").strip() if not done.returncode else None
        )

    def repository(self) -> GitRepository:

        return GitRepository(
            self.loaded.path,
            cache_dir=self.store,
            purpose=f"{self.option} compares with a commit of one",
        )

    def resolve(self, revision: str) -> Revision:
        purpose = f"{self.option} compares with a commit of one"
        commit = commit_of(self.directory, revision, self.option, purpose)
        # ``<commit>:./`` is the tree of the current directory: the configuration's.
        tree = self._git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{commit}:./")
        return Revision(revision, commit, tree)

    @contextlib.contextmanager
    def project_at(self, revision: Revision) -> Iterator[Project]:
        repository = self.repository()
        commit = repository.commit(revision.commit)
        with repository.snapshots([commit], config=self.loaded) as projects:
            project = next(projects)
            assert project is not None  # (with a configuration given, never None)
            yield project


class KnownAtCacheDir:
    """What each revision's tree held, in the project's cache (``store``)."""

    def __init__(self, store: CacheStore, loaded: LoadedConfig, *, prefix: str = "") -> None:
        self.store = store
        self.key = identity(loaded, prefix)

    def name(self, revision: Revision) -> str:
        return f"new-since/{revision.tree}-{self.key}.json"

    def get(self, revision: Revision) -> KnownAt | None:
        if revision.tree is None:
            return None
        raw = self.store.read(self.name(revision), limit=ENTRY_LIMIT)
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            if data.get("format") != ENTRY_FORMAT or data.get("tree") != revision.tree:
                return None
            problem, errors = data["problem"], data["errors"]
            if not isinstance(problem, str) or not (
                isinstance(errors, list) and all(isinstance(e, str) for e in errors)
            ):
                return None
            known = Baseline.from_data(data["known"])
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError, ConfigError):
            return None
        return KnownAt(revision.name, revision.commit, known, problem, tuple(errors))

    def put(self, known: KnownAt, revision: Revision) -> None:
        if revision.tree is None:
            return
        data = {
            "format": ENTRY_FORMAT,
            "tree": revision.tree,
            "known": known.known.to_data(),
            "problem": known.problem,
            "errors": list(known.errors),
        }
        self.store.write(self.name(revision), json.dumps(data, sort_keys=True).encode())


def identity(loaded: LoadedConfig, prefix: str = "") -> str:
    """What a revision's measurement depends on besides its tree: the configuration (its
    text and place), the versions of fitness, grimp and Python, the installed plugins and
    the source of the project's own plugins."""

    try:
        text = loaded.path.read_bytes()
    except OSError:
        text = (loaded.text or "").encode()
    parts = [
        ENTRY_FORMAT,
        FITNESS_VERSION,
        getattr(grimp, "__version__", ""),
        list(sys.version_info[:2]),
        f"{prefix}/{loaded.path.name}",
        hashlib.sha256(text).hexdigest(),
        installed_plugins(),
        _local_plugin_sources(loaded),
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def _local_plugin_sources(loaded: LoadedConfig) -> list[str]:
    """A digest of each project-local plugin's source (``plugins``; loaded already)."""
    digests = []
    for name in loaded.config.plugins:
        module = sys.modules.get(name)
        file = getattr(module, "__file__", None)
        try:
            data = Path(file).read_bytes() if file else b""
        except OSError:
            data = b""
        digests.append(f"{name} {hashlib.sha256(data).hexdigest()}")
    return digests


def measure_known_at(
    loaded: LoadedConfig, revision: str, store: CacheStore | None, *, option: str = OPTION
) -> KnownAt:
    """The violations of the configuration's rules that existed at ``revision``, measured
    with today's configuration ``loaded`` (cached in ``store``, if any); a
    ``FitnessError`` for an unknown revision."""

    source = TodayAtRevision(loaded, store=store, option=option)
    if store is None:
        return known_at(source, None, revision, loaded.config.rules)
    cache = KnownAtCacheDir(store, loaded, prefix=source.prefix)
    # One process measures a revision at a time (pytest-xdist workers, parallel jobs
    # sharing a cache): the others then find it in the cache.
    with locked(store.root / "new-since.lock"):
        return known_at(source, cache, revision, loaded.config.rules)
