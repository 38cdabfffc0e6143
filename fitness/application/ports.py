"""What the use cases need from the outside world: a project (its configuration
loaded once, its graph built once, its baseline read once) and a baseline file
to write. :class:`fitness.adapters.session.GraphSession` and
:class:`fitness.adapters.baseline.BaselineFile` implement them; the tests of the
use cases implement them in memory."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol

if TYPE_CHECKING:
    from fitness.application.plugins import RuleTypeRegistry
    from fitness.domain.affected import Change
    from fitness.domain.affected import Project as AffectedProject
    from fitness.domain.baseline import Baseline
    from fitness.domain.config import FitnessConfig
    from fitness.domain.errors import Key
    from fitness.domain.graph import ProjectGraph
    from fitness.domain.history import Commit, HistoryRow
    from fitness.domain.new_since import KnownAt


class KeyLocator(Protocol):
    """Where the keys of a configuration are: its lines, known from its text."""

    def line_of(self, key: Key) -> int | None:
        """The line of a key in fitness's terms (``("rules", 2, "modules")``)."""
        ...

    def line_of_rule(self, index: int) -> int | None:
        """The line where the rule ``index`` (a contract) is declared."""
        ...

    def line_of_root_packages(self) -> int | None: ...


class ParsedConfig(Protocol):
    """A configuration's text parsed, before its rules are built: the port says which
    kind it is (``[tool.fitness]``, or import-linter's) and how its rules are built."""

    #: How a rule of this kind is named in a message: ``[[tool.fitness.rules]]``, ``contract``.
    rule_label: str

    @property
    def plugins(self) -> object:
        """The project's own plugins it names (validated when they are loaded)."""
        ...

    #: Its root packages, as written: a plugin inside them is refused.
    root_packages: object

    def locator(self, config: FitnessConfig | None = None) -> KeyLocator:
        """Where its keys are (``config``: once built, where each rule of it is)."""
        ...

    def build(self, rule_types: RuleTypeRegistry, *, import_project_code: bool) -> FitnessConfig:
        """The rules built and validated with ``rule_types``: every mistake at once, a
        :class:`ConfigError` (:class:`ConfigErrors`) with their keys."""
        ...

    def adr_key(self, index: int) -> Key:
        """The key at whose line a mistake in rule ``index``'s ``adr`` is shown."""
        ...


class ConfigSource(Protocol):
    """Where a configuration comes from (the project on disk, or a commit's tree), for
    :func:`fitness.application.config.load_configuration`: its file found, its text read
    and parsed, its plugins loaded, the files its rules name looked up. A mistake is a
    :class:`~fitness.domain.errors.ConfigError`."""

    def find(self, given: Path | None) -> Path | None:
        """The configuration file: ``given`` (a directory: the one it declares), else the
        nearest one declared; ``None`` if there is none."""
        ...

    def read(self, path: Path) -> str:
        """The file's text (read from disk at most once)."""
        ...

    def parse(self, path: Path, text: str) -> ParsedConfig:
        """The text parsed as the configuration it is (``[tool.fitness]``, import-linter's)."""
        ...

    def rule_types(
        self, plugins: object, project_dir: Path, *, root_packages: object, import_local: bool
    ) -> RuleTypeRegistry:
        """The built-in rule types, the installed plugins' and (``import_local``) the
        project's own ``plugins`` (validated, never one inside ``root_packages``)."""
        ...

    def file_kind(
        self, directory: Path, relative: str, what: str, *, key: Key
    ) -> Literal["file", "dir"] | None:
        """What ``relative`` (to the configuration's ``directory``) is; a ``ConfigError``
        saying ``what`` cannot be it if it cannot be a file's name."""
        ...

    def files_in(self, directory: Path, relative: str) -> list[str]:
        """The names of the files in a directory (for "did you mean"; none if unknown)."""
        ...


class Project(Protocol):
    """One project under analysis (nothing of it is imported or run)."""

    @property
    def where(self) -> str:
        """The configuration file, as error messages name it."""
        ...

    def config(self) -> FitnessConfig:
        """The configuration (loaded on first use); a ``ConfigError`` if unusable."""
        ...

    def graph(self) -> ProjectGraph:
        """The import graph (built on first use)."""
        ...

    def baseline(self) -> Baseline | None:
        """The baseline a check applies (read on first use), or none."""
        ...


class BaselineStore(Protocol):
    """The baseline file a run writes."""

    def check_may_replace(self) -> None:
        """A ``ConfigError`` if the file must not be replaced: the configuration
        (never), or an existing file that is not a baseline (unless forced)."""
        ...

    def read(self) -> Baseline:
        """What the file holds now (empty if it does not exist); a ``ConfigError``
        if it is unreadable."""
        ...

    def write(self, change: Callable[[Baseline], Baseline], *, merge: bool) -> Baseline:
        """Write ``change(current)``, atomically and under a lock, and return it; with
        ``merge`` the current file is read (a corrupt one is an error), without it the
        new baseline replaces the file whole (``change`` gets an empty baseline)."""
        ...


class Repository(Protocol):
    """The version history of a project (``fitness history``): its commits, and the
    project as it was at each of them, read without touching the working tree."""

    def commits(self, *, since: str | None, until: str, limit: int | None) -> list[Commit]:
        """The commits of the first-parent line ending at ``until``, oldest first: from
        ``since`` (a revision, itself included, or a date) on, at most the ``limit``
        newest; a ``FitnessError`` for a revision that does not exist or a history
        that is cut off (a shallow clone)."""
        ...

    def snapshots(
        self, commits: Sequence[Commit]
    ) -> AbstractContextManager[Iterator[Project | None]]:
        """The project at each commit in turn (``None``: no configuration file there; one
        whose ``config()`` raises :class:`~fitness.domain.history.UnreadableCommit`: its
        files could not be read), valid until the next one is asked for; everything is
        removed on exit."""
        ...


class HistoryCache(Protocol):
    """What ``fitness history`` measured at each commit, kept between runs."""

    def get(self, commit: Commit) -> HistoryRow | None: ...

    def put(self, row: HistoryRow) -> None: ...


class Revision(NamedTuple):
    """A revision as the user named it, the commit it names, and the tree of the
    project's directory there (``None``: the project's directory is not in the commit)."""

    name: str
    commit: str
    tree: str | None


class RevisionSource(Protocol):
    """One revision of the project (``--new-since REV``), measured with today's
    configuration: its files are only the code measured."""

    def resolve(self, revision: str) -> Revision:
        """The revision ``revision`` names; a ``FitnessError`` for one that does not exist
        (a "did you mean", and in a shallow clone how to fetch the history)."""
        ...

    def project_at(self, revision: Revision) -> AbstractContextManager[Project]:
        """The project at the revision, measured with today's configuration; removed on exit."""
        ...


class KnownAtCache(Protocol):
    """What a revision's tree held, measured with today's configuration, kept between runs."""

    def get(self, revision: Revision) -> KnownAt | None: ...

    def put(self, known: KnownAt, revision: Revision) -> None: ...


class ChangedProject(Protocol):
    """A project under version control, for test impact analysis: what changed since a
    revision, and its files with what each can run (nothing is imported)."""

    def changes_since(self, revision: str) -> list[Change]:
        """Committed since ``revision``, staged, unstaged or untracked; a ``FitnessError``
        for a revision that does not exist."""
        ...

    def project(self, tests: Sequence[str]) -> AffectedProject:
        """The project's Python files and what each can run (``tests``: the test files)."""
        ...
