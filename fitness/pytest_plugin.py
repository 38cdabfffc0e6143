"""The pytest plugin: each rule of ``[tool.fitness]`` is one test item.

Rules are collected from the project's ``pyproject.toml`` (the nearest one with
a ``[tool.fitness]`` table above pytest's rootdir, or ``--fitness-config``),
even when ``testpaths`` leaves that file out. The graph is built once per
session, on first use, and shared with ordinary tests through the
``fitness_graph`` fixture.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import pytest

from fitness.adapters.config.discovery import (
    CONFIG_FILE,
    INI_FILES,
    config_in_directory,
    find_config,
    has_fitness_table,
    has_importlinter_config,
    resolve_config,
)
from fitness.domain.errors import FitnessError

# Only the discovery above is imported with the plugin: every pytest run of
# every project loads it, and most directories hold no fitness configuration.
# The rest is imported when a configuration is collected, in functions marked
# @_plain_imports.
if TYPE_CHECKING:
    from fitness.adapters.config.pyproject import LoadedConfig
    from fitness.adapters.reporters.recorder import SessionRecorder
    from fitness.adapters.session import GraphSession
    from fitness.domain.graph import ProjectGraph
    from fitness.domain.new_since import KnownAt
    from fitness.domain.rules.base import Rule
    from fitness.domain.violations import RuleResult


@contextlib.contextmanager
def _without_assertion_rewriting() -> Iterator[None]:
    """Import through Python's own finders, past pytest's assertion rewriter.

    pytest rewrites the asserts of every module of a distribution that has a
    pytest plugin, so all of fitness: it parses and compiles each module again,
    and with ``PYTHONDONTWRITEBYTECODE`` (common in CI) on every run, about
    75 ms. fitness has no asserts to rewrite. If pytest renames its hook, this
    does nothing and the modules are rewritten, as before.
    """
    hooks = [f for f in sys.meta_path if type(f).__name__ == "AssertionRewritingHook"]
    for hook in hooks:
        sys.meta_path.remove(hook)
    try:
        yield
    finally:
        sys.meta_path[:0] = hooks


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _plain_imports(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` with whatever of fitness it imports (the core, rule types
    named by the configuration, the modules a rule loads on demand) imported past
    pytest's assertion rewriter."""

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with _without_assertion_rewriting():
            return function(*args, **kwargs)

    return wrapper


@_plain_imports
def _line(text: str) -> str:
    """A line of ours for pytest to print (a message, a warning, a rule's name): it may
    echo input, so control characters are escaped."""
    from fitness.domain.rendering import printable_line

    return printable_line(text)


MARKER = "fitness"

_primary_key = pytest.StashKey[Path | None]()
_runs_key = pytest.StashKey["_FitnessRuns"]()
_summary_key = pytest.StashKey[list[str]]()
_recorder_key = pytest.StashKey["SessionRecorder"]()
_messages_key = pytest.StashKey[list[str]]()
_affected_key = pytest.StashKey[str]()


class FitnessWarning(UserWarning):
    """A problem worth showing that does not fail a rule (a stale ignore, when told to warn)."""


class RuleBroken(Exception):
    def __init__(self, result: RuleResult, mistakes: tuple[str, ...] = ()) -> None:
        super().__init__(result.rule_name)
        self.result = result
        #: The module names the rule misspells, each at its line in the configuration.
        self.mistakes = mistakes


class _FitnessRuns:
    """Every configuration file collected in this session, each a project of its own:
    configuration, graph and baseline (:class:`~fitness.adapters.session.GraphSession`)."""

    def __init__(self, config: pytest.Config) -> None:
        self.use_cache = not config.getoption("fitness_no_cache")
        self.updating = bool(config.getoption("fitness_update_baseline"))
        self.strict = bool(config.getoption("fitness_strict_baseline"))
        self.warnings_fail = bool(config.getoption("fitness_strict"))
        #: ``--fitness-new-since``: only what is new since this revision fails.
        self.new_since: str | None = config.getoption("fitness_new_since")
        self._sessions: dict[Path, GraphSession] = {}
        #: What each configuration's rules found at ``new_since`` (measured on first use).
        self._known_at: dict[int, KnownAt] = {}

    @_plain_imports
    def for_path(self, path: Path | None) -> GraphSession:
        key = path.resolve() if path is not None else Path()
        if key not in self._sessions:
            from fitness.adapters.session import GraphSession

            self._sessions[key] = GraphSession(
                config_path=path, use_cache=self.use_cache, updating=self.updating
            )
        return self._sessions[key]

    @_plain_imports
    def loaded(self, path: Path) -> LoadedConfig:
        """The configuration in ``path`` (loaded once in the session)."""
        return self.for_path(path).loaded_config()

    @_plain_imports
    def reported(
        self, session: GraphSession, found: RuleResult, *, configured: bool = True
    ) -> RuleResult:
        """What is reported of what a rule found: the same verdict as ``fitness check``.
        A rule checked in test code (not ``configured``) was not measured at the revision
        of ``--fitness-new-since``: all of its violations count."""
        from fitness.application.check import verdict

        baseline = session.baseline()
        known_at = self.known_at(session) if configured and not self.updating else None
        return verdict(
            found,
            baseline,
            strict=self.strict,
            updating=self.updating,
            warnings_fail=self.warnings_fail,
            known_at=known_at,
        )

    @_plain_imports
    def known_at(self, session: GraphSession) -> KnownAt | None:
        """What the configuration's rules found at the revision of ``--fitness-new-since``
        (measured once per configuration, cached by the revision's tree)."""
        if self.new_since is None:
            return None
        known = self._known_at.get(id(session))
        if known is None:
            from fitness.adapters.revision import measure_known_at

            known = measure_known_at(
                session.loaded_config(),
                self.new_since,
                session.cache(),
                option="--fitness-new-since",
            )
            self._known_at[id(session)] = known
        return known

    def revision_notes(self, session: GraphSession) -> list[str]:
        known = self._known_at.get(id(session))
        if known is None:
            return []
        from fitness.domain.new_since import revision_notes

        return revision_notes(known)

    def summary_lines(self, blind_spots: str | None = None) -> list[str]:
        return [
            line
            for session in self._sessions.values()
            for line in [*_summary(session, blind_spots), *self._revision_lines(session)]
        ]

    def _revision_lines(self, session: GraphSession) -> list[str]:
        from fitness.domain.rendering import printable_line

        return [printable_line(f"note: {note}") for note in self.revision_notes(session)]


@_plain_imports
def _prepare(session: GraphSession) -> LoadedConfig:
    """The configuration and the baseline, read when the file is collected."""
    loaded = session.loaded_config()
    session.baseline()
    return loaded


@_plain_imports
def _graph(session: GraphSession) -> ProjectGraph:
    return session.graph()


@_plain_imports
def _summary(session: GraphSession, blind_spots: str | None = None) -> list[str]:
    """What the static graph cannot see, and stray suppressions (if the graph was built);
    what there is to say about the cache.

    ``blind_spots`` (``--fitness-blind-spots``) overrides the configuration's mode."""
    from fitness.domain.rendering import printable_line

    cache = [printable_line(f"note: {n}") for n in session.cache_notes()]
    graph = session.built()
    if graph is None or session.loaded is None:
        return cache
    from fitness.adapters.reporters.text import render_blind_spots
    from fitness.application.check import project_notes

    config = session.loaded.config
    notes = project_notes(config.rules, graph)
    mode = blind_spots or config.blind_spots
    spots = render_blind_spots(
        graph.blind_dynamic_imports,
        mode,
        "--fitness-blind-spots",
        unread_files=graph.unread_files,
    )
    return spots + [printable_line(f"note: {n}") for n in notes] + cache


@_plain_imports
def _recorder(config: pytest.Config) -> SessionRecorder:
    """The results of this session's rules, for the baseline and the report (made
    when the first rule runs or a worker sends results)."""
    recorder = config.stash.get(_recorder_key, None)
    if recorder is None:
        from fitness.adapters.reporters.recorder import SessionRecorder

        recorder = config.stash[_recorder_key] = SessionRecorder()
    return recorder


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fitness", "architecture fitness functions (pytest-fitness)")
    group.addoption(
        "--fitness-config",
        metavar="PATH",
        default=None,
        help="the configuration to read the rules from: pyproject.toml, setup.cfg or "
        ".importlinter (default: the nearest one with [tool.fitness], else an import-linter "
        "configuration, from the rootdir upwards)",
    )
    group.addoption(
        "--fitness-no-cache",
        action="store_true",
        default=False,
        help="build the import graph from scratch instead of using the disk cache (which "
        "lives in cache_dir of the configuration, or in $FITNESS_CACHE_DIR)",
    )
    group.addoption(
        "--fitness-update-baseline",
        action="store_true",
        default=False,
        help="record every violation of the rules run in the baseline file (they pass); "
        "fixed ones are dropped",
    )
    group.addoption(
        "--fitness-strict-baseline",
        action="store_true",
        default=False,
        help="baseline entries that no longer match a violation (fixed ones) fail their rule",
    )
    group.addoption(
        "--fitness-strict",
        action="store_true",
        default=False,
        help='rules of severity "warning" fail like the others when broken (by default '
        "their items pass, with a warning)",
    )
    group.addoption(
        "--fitness-report",
        metavar="FILE",
        default=None,
        help="write the results of the fitness rules to FILE at the end of the session; "
        "the format follows the extension: .json, .sarif, .md",
    )
    group.addoption(
        "--fitness-new-since",
        metavar="REV",
        default=None,
        help="fail only the violations that are new since REV (a branch, tag or commit): "
        "REV's files are read from git (never run) and checked with today's configuration; "
        "a baseline still applies",
    )
    group.addoption(
        "--fitness-affected",
        metavar="REV",
        default=None,
        help="run only the test files that the changes since REV (committed, staged, "
        "unstaged, untracked) can affect, through their imports; deselect the others "
        "(safe: when in doubt a test runs; see fitness_affected_always and _never)",
    )
    parser.addini(
        "fitness_affected_always",
        type="linelist",
        default=[],
        help="pytest-fitness: globs of changed files that select every test with "
        "--fitness-affected (besides conftest.py, configuration and non-Python files)",
    )
    parser.addini(
        "fitness_affected_never",
        type="linelist",
        default=[],
        help="pytest-fitness: globs of changed files that select no test with "
        "--fitness-affected (docs/**, *.md); fitness_affected_always wins",
    )
    group.addoption(
        "--fitness-blind-spots",
        nargs="?",
        const="list",
        default=None,
        choices=("summary", "list", "off"),
        metavar="MODE",
        help="how the summary reports the dynamic imports the rules cannot see, and the "
        "files not read: list (without a value), summary (one line) or off; default: "
        "blind_spots in "
        "[tool.fitness], else summary",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: an architecture fitness rule (pytest-fitness)")
    config.stash[_runs_key] = _FitnessRuns(config)
    config.stash[_messages_key] = []
    config.stash[_summary_key] = []
    report = config.getoption("fitness_report")
    if report:
        from fitness.adapters.reporters import format_for_path

        try:
            format_for_path(report)
        except FitnessError as error:
            raise pytest.UsageError(_line(f"--fitness-report: {error}")) from None
    option = config.getoption("fitness_config")
    if option:
        from fitness.adapters.paths import check_file_name

        try:
            check_file_name(option, "--fitness-config")
        except FitnessError as error:
            raise pytest.UsageError(_line(str(error))) from None
        path = resolve_config(Path(option), Path.cwd())
        path = path.resolve()
        config.stash[_primary_key] = path
        if not path.is_file():
            reason = "is a directory, not a file" if path.is_dir() else "no such file"
            raise pytest.UsageError(_line(f"--fitness-config: {path}: {reason}"))
        config.args.append(str(path))
        _check_revision(config, path)
        _check_affected_revision(config)
        return
    primary = find_config(_search_start(config))
    if primary is not None and primary.is_dir():  # must not pass as "no configuration"
        raise pytest.UsageError(_line(f"pytest-fitness: {primary}: is a directory, not a file"))
    config.stash[_primary_key] = primary
    _check_revision(config, primary)
    _check_affected_revision(config)
    # When `testpaths` leaves the project's configuration out, add it, so that a
    # plain `pytest` always checks the architecture.
    if (
        primary is not None
        and config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not any(_is_within(primary, arg) for arg in config.args)
    ):
        config.args.append(str(primary))


@_plain_imports
def _check_revision(config: pytest.Config, primary: Path | None) -> None:
    """``--fitness-new-since REV`` names a commit of the project's repository: a usage
    error at once otherwise (an unknown revision, a shallow clone without it)."""
    revision = config.getoption("fitness_new_since")
    if revision is None or primary is None:
        return
    from fitness.adapters.git_revision import commit_of

    try:
        commit_of(
            primary.parent,
            revision,
            "--fitness-new-since",
            "--fitness-new-since compares with a commit of one",
        )
    except FitnessError as error:
        raise pytest.UsageError(f"pytest-fitness: {error}") from None


@_plain_imports
def _check_affected_revision(config: pytest.Config) -> None:
    """``--fitness-affected REV`` names a commit of the rootdir's repository."""
    revision = config.getoption("fitness_affected")
    if revision is None:
        return
    from fitness.adapters.git_revision import commit_of

    try:
        commit_of(
            config.rootpath,
            revision,
            "--fitness-affected",
            "--fitness-affected compares the working tree with a commit",
        )
    except FitnessError as error:
        raise pytest.UsageError(f"pytest-fitness: {error}") from None


def _search_start(config: pytest.Config) -> Path:
    """Where to look for the project's configuration: the first path argument, or the
    directory pytest was started in."""
    invocation = config.invocation_params.dir
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        for arg in config.args:
            candidate = Path(invocation, arg.split("::")[0])
            if candidate.exists():
                return candidate if candidate.is_dir() else candidate.parent
    return invocation


def _is_within(path: Path, arg: str) -> bool:
    try:
        base = Path(arg.split("::")[0]).resolve()
    except OSError:
        return False
    return path == base or base in path.parents


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Any ``pyproject.toml`` with a ``[tool.fitness]`` table pytest visits is collected, and
    so is an import-linter configuration (``setup.cfg``, ``.importlinter``,
    ``[tool.importlinter]``) that is the one its directory declares."""
    if file_path.name == CONFIG_FILE and has_fitness_table(file_path):
        return FitnessFile.from_parent(parent, path=file_path)
    if (
        file_path.name in (*INI_FILES, CONFIG_FILE)
        and has_importlinter_config(file_path)
        and config_in_directory(file_path.parent) == file_path
    ):
        return FitnessFile.from_parent(parent, path=file_path)
    explicit = parent.config.stash.get(_primary_key, None)
    if explicit is not None and file_path.resolve() == explicit:
        return FitnessFile.from_parent(parent, path=file_path)
    return None


#: What a rule's name must not hold as it is, in a node id: ``[`` (pytest takes what follows
#: for parameters), ``:`` before another (``::`` separates the names of a node id), control
#: characters, bidirectional and line-breaking ones (escaped as every line we print), and
#: ``%`` where it would read as an escape.
_NOT_IN_NODE_IDS = re.compile(
    "\\[|:(?=:)|%(?=[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4})"
    "|[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]"
)


def node_name(rule_name: str) -> str:
    """A rule's name as its item's name: what ``pytest 'pyproject.toml::<name>'`` selects,
    and ``--lf`` finds again. The name as it is, but for what pytest would read otherwise
    (``[``, ``::``), and control characters: those are written ``%5B``, ``%3A:``, ``%1B``
    (``%uXXXX`` above ``%FF``). One name, one item name (a ``%`` that would read as an
    escape is escaped too), the same on every run; never ``configuration``, the name of
    the item that stands for an unusable configuration."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"%{code:02X}" if code < 0x100 else f"%u{code:04X}"

    name = _NOT_IN_NODE_IDS.sub(escape, rule_name)
    return "%63" + name[1:] if name == ConfigErrorItem.NAME else name


class FitnessFile(pytest.File):
    """A configuration file (``pyproject.toml``, or an import-linter one), collected as one
    item per rule (per contract)."""

    def collect(self) -> Iterator[pytest.Item]:
        runs = self.config.stash[_runs_key]
        try:
            session = runs.for_path(self.path)
            loaded = _prepare(session)
        except FitnessError as error:
            # One failing item, not a collection error: that would stop the session,
            # and the project's ordinary tests would not run.
            yield ConfigErrorItem.from_parent(self, name=ConfigErrorItem.NAME, error=error)
            return
        for index, rule in enumerate(loaded.config.rules):
            item = FitnessItem.from_parent(
                self,
                name=node_name(rule.name),
                rule=rule,
                project=session,
                line=loaded.line_of_rule(index),
                index=index,
            )
            item.add_marker(MARKER)
            yield item


def _error_text(error: FitnessError) -> str:
    """How an item shows an error: several mistakes one per line, under a count."""
    from fitness.domain.errors import ConfigErrors

    if isinstance(error, ConfigErrors):
        lines = error.lines()
        count = len(error.mistakes)
        return f"pytest-fitness: {count} mistakes in the configuration:\n" + "".join(
            f"  {_line(line)}\n" for line in lines
        )
    return _line(f"pytest-fitness: {error}")


class ConfigErrorItem(pytest.Item):
    """A configuration fitness cannot use: one failing item in place of its rules."""

    NAME = "configuration"

    def __init__(self, *, error: FitnessError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error
        self.add_marker(MARKER)

    def runtest(self) -> None:
        raise self.error

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        return _error_text(self.error)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, "fitness: the configuration"


class FitnessItem(pytest.Item):
    """One rule, checked against the session's graph."""

    def __init__(
        self,
        *,
        rule: Rule,
        project: GraphSession,
        line: int | None = None,
        index: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.rule = rule
        #: The configuration, graph and baseline this rule shares with the others.
        self.project = project
        self._line = line
        self._index = index

    @_plain_imports
    def runtest(self) -> None:
        graph = self.project.graph()
        from fitness.application.checking import check_rule

        found = check_rule(self.rule, graph)
        result = self.config.stash[_runs_key].reported(self.project, found)
        loaded = self.project.loaded_config()
        _recorder(self.config).record(
            loaded.path, [r.name for r in loaded.config.rules], self._index, found, result
        )
        mistakes = _name_mistakes(self.rule, loaded, graph) if found.errors else ()
        for warning in result.warnings:  # pointing at the rule in the configuration
            warnings.warn_explicit(
                FitnessWarning(_line(f"{self.rule.name}: {warning}")),
                FitnessWarning,
                filename=str(self.path),
                lineno=self._line or 1,
            )
        self.user_properties.append(("fitness_rule_type", self.rule.type_name))
        self.user_properties.append(("fitness_violations", len(result.violations)))
        if result.fails:
            raise RuleBroken(result, mistakes)
        if result.warned:  # severity = "warning": the item passes, the failure is told
            from fitness.domain.rendering import render_failure

            warnings.warn_explicit(
                FitnessWarning(
                    f"{_line(self.rule.name)} (severity warning, --fitness-strict fails it): "
                    f"{render_failure(result)}"
                ),
                FitnessWarning,
                filename=str(self.path),
                lineno=self._line or 1,
            )

    @_plain_imports
    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        if isinstance(excinfo.value, RuleBroken):
            from fitness.domain.rendering import render_failure

            result = excinfo.value.result
            text = render_failure(result)
            from fitness.adapters.reporters.text import baseline_note

            note = baseline_note(result)
            if note:
                text += f"(not shown: {note})\n"
            if excinfo.value.mistakes:
                text += "\n" + "".join(f"pytest-fitness: {m}\n" for m in excinfo.value.mistakes)
            return text
        if isinstance(excinfo.value, FitnessError):
            return _error_text(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self._line - 1 if self._line else None
        return self.path, line, _line(f"fitness: {self.rule.name}")


def _name_mistakes(rule: Rule, loaded: LoadedConfig, graph: ProjectGraph) -> tuple[str, ...]:
    """The module names the rule misspells, each at its line in the configuration (as
    ``fitness check`` lists them)."""
    from fitness.application.check import name_mistakes
    from fitness.domain.errors import combined

    mistakes = name_mistakes([rule], loaded.config.rules, graph)
    return tuple(loaded.locate(combined(mistakes)).lines()) if mistakes else ()


@pytest.fixture(scope="session")
def fitness_graph(request: pytest.FixtureRequest) -> ProjectGraph:
    """The project's import graph (built once per session, shared with the fitness items)."""
    primary = request.config.stash.get(_primary_key, None)
    try:
        return _graph(request.config.stash[_runs_key].for_path(primary))
    except FitnessError as error:
        pytest.fail(_line(f"pytest-fitness: {error}"), pytrace=False)


class _FluentObserver:
    """Takes the verdicts of the rules a test checks in code (``rule.check(fitness_graph)``)
    into the session: named (``.named()``, else after the test), the baseline applied,
    recorded for the baseline update and the report."""

    def __init__(self, item: pytest.Item, runs: _FitnessRuns, session: GraphSession) -> None:
        self.item = item
        self.runs = runs
        self.session = session
        self.names: dict[str, str] = {}

    def name_for(self, description: str) -> str:
        """The test's node id; a second rule checked in the same test gets `` (2)``."""
        name = self.names.get(description)
        if name is None:
            count = len(self.names) + 1
            name = self.item.nodeid if count == 1 else f"{self.item.nodeid} ({count})"
            self.names[description] = name
        return name

    @_plain_imports
    def __call__(self, found: RuleResult, named: bool) -> RuleResult:
        if not named:
            found = dataclasses.replace(found, rule_name=self.name_for(found.description))
        reported = self.runs.reported(self.session, found, configured=False)
        loaded = self.session.loaded_config()
        _recorder(self.item.config).record_fluent(
            loaded.path, [r.name for r in loaded.config.rules], found, reported
        )
        # As for a rule of the configuration: a warning (a name that matches nothing,
        # a class the rule could not follow) must not pass unseen.
        for warning in reported.warnings:
            warnings.warn_explicit(
                FitnessWarning(_line(f"{reported.rule_name}: {warning}")),
                FitnessWarning,
                filename=str(self.item.path),
                lineno=(self.item.location[1] or 0) + 1,
            )
        return reported


@_plain_imports
def _observing(
    item: pytest.Item, runs: _FitnessRuns, path: Path
) -> contextlib.AbstractContextManager[None]:
    from fitness.domain.observation import observed

    return observed(_FluentObserver(item, runs, runs.for_path(path)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Rules checked in a test that uses ``fitness_graph`` take part in the session."""
    primary = item.config.stash.get(_primary_key, None)
    if primary is None or "fitness_graph" not in getattr(item, "fixturenames", ()):
        return (yield)
    with _observing(item, item.config.stash[_runs_key], primary):
        return (yield)


# Test impact analysis (--fitness-affected) ------------------------------------------------


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """With ``--fitness-affected REV``: deselect the test files the changes cannot affect.
    Items that are not in a Python test file (the rules, doctests of text files) stay."""
    revision = config.getoption("fitness_affected")
    if revision is None:
        return
    files: dict[Path, list[pytest.Item]] = {}
    for item in items:
        path = Path(item.path)
        if path.suffix == ".py" and not isinstance(item, FitnessItem | ConfigErrorItem):
            files.setdefault(path, []).append(item)
    try:
        keep, line = _affected_files(config, revision, list(files))
    except FitnessError as error:
        raise pytest.UsageError(f"pytest-fitness: {error}") from None
    config.stash[_affected_key] = line
    deselected = [item for path, group in files.items() if path not in keep for item in group]
    if deselected:
        dropped = {id(item) for item in deselected}
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if id(item) not in dropped]


@_plain_imports
def _affected_files(
    config: pytest.Config, revision: str, files: list[Path]
) -> tuple[set[Path], str]:
    """The test files (of ``files``) the changes since ``revision`` can affect, and the
    line that says how many."""
    from fitness.adapters.affected import GitChangedProject, declared_plugins
    from fitness.application.affected import affected_tests
    from fitness.domain.affected import Policy

    store = _affected_cache(config)
    plugins = [
        file
        for plugin in config.pluginmanager.get_plugins()
        if (file := getattr(plugin, "__file__", None)) and Path(file).name != "conftest.py"
    ]
    addopts = " ".join(config.getini("addopts"))
    settings = _ini_value(config, "DJANGO_SETTINGS_MODULE")
    plugins += declared_plugins(config.rootpath, addopts, settings, installed=False)
    pythonpath = [str(p) for p in _ini_paths(config, "pythonpath")]
    source = GitChangedProject(config.rootpath, store=store, pythonpath=pythonpath, plugins=plugins)
    relative = {path: source.relative(path) for path in files}
    tests = sorted(r for r in relative.values() if r is not None)
    policy = Policy(
        always=tuple(config.getini("fitness_affected_always")),
        never=tuple(config.getini("fitness_affected_never")),
    )
    selection = affected_tests(source, revision, tests, policy)
    chosen = set(selection.tests)
    keep = {path for path, r in relative.items() if r is None or r in chosen}
    from fitness.domain.rendering import printable_line  # (paths are the change's)

    return keep, printable_line(selection.line())


def _ini_value(config: pytest.Config, name: str) -> str:
    try:
        value = config.getini(name)
    except ValueError:  # not a known setting (pytest-django not installed)
        return ""
    return value if isinstance(value, str) else ""


def _ini_paths(config: pytest.Config, name: str) -> list[Any]:
    try:
        value = config.getini(name)
    except ValueError:
        return []
    return list(value) if isinstance(value, list) else []


@_plain_imports
def _affected_cache(config: pytest.Config) -> Any:
    """The cache the facts of the files are kept in: the configuration's, or the default
    one of the rootdir (none: ``--fitness-no-cache``)."""
    if config.getoption("fitness_no_cache"):
        return None
    primary = config.stash.get(_primary_key, None)
    if primary is not None:
        try:
            return config.stash[_runs_key].for_path(primary).cache()
        except FitnessError:
            pass
    from fitness.adapters.cache_store import open_cache
    from fitness.domain.config import DEFAULT_CACHE_DIR

    return open_cache(config.rootpath, DEFAULT_CACHE_DIR).store


def pytest_report_collectionfinish(config: pytest.Config) -> str | None:
    """``fitness: 12 of 140 test files affected by 3 changed modules``."""
    return config.stash.get(_affected_key, None)


@_plain_imports
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the baseline and the report once: in the only process, or in the xdist
    controller (workers hand their results over through ``workeroutput``)."""
    config = session.config
    recorder = config.stash.get(_recorder_key, None)
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        if recorder is not None:
            workeroutput["fitness_results"] = recorder.to_data()
        runs = config.stash.get(_runs_key, None)
        if runs is not None:
            workeroutput["fitness_summary"] = runs.summary_lines(
                config.getoption("fitness_blind_spots")
            )
        affected = config.stash.get(_affected_key, None)
        if affected is not None:
            workeroutput["fitness_affected"] = affected
        return
    if recorder is None:
        return
    messages = config.stash[_messages_key]
    runs = config.stash[_runs_key]
    try:
        if config.getoption("fitness_update_baseline") and recorder:
            messages.extend(_update_baselines(recorder, runs))
        report = config.getoption("fitness_report")
        if report:
            path = Path(config.invocation_params.dir, report)
            messages.append(recorder.write_report(path, config.invocation_params.dir, runs.loaded))
    except FitnessError as error:
        messages.append(f"error: {error}")
        session.exitstatus = pytest.ExitCode.USAGE_ERROR


def _update_baselines(recorder: SessionRecorder, runs: _FitnessRuns) -> list[str]:
    """Merge what each configuration's rules found into its baseline; one line per file
    written, for the terminal summary."""
    from fitness.application.baseline import record_checked

    messages = []
    for run in recorder.by_config():
        store = runs.for_path(run.config_path).baseline_file()
        new, checked = record_checked(store, run.found, run.rule_names, run.fluent)
        count = new.violation_count
        messages.append(
            f"baseline updated: {store.path} ({count} violation{'s' if count != 1 else ''}, "
            f"{checked} rule{'s' if checked != 1 else ''} checked)"
        )
    return messages


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist: a worker finished; keep the results it sends."""
    output = getattr(node, "workeroutput", {})
    summary = node.config.stash.get(_summary_key, None)
    if summary is not None:
        affected = output.get("fitness_affected")
        lines = [
            *([affected] if isinstance(affected, str) else []),
            *output.get("fitness_summary", ()),
        ]
        summary.extend(line for line in lines if line not in summary)
    data = output.get("fitness_results")
    if data:
        _recorder(node.config).merge_data(data)


@_plain_imports
def _progress_lines(recorder: SessionRecorder) -> list[str]:
    """Each migration's progress (``strangler_fig`` rules), one line per rule."""
    from fitness.adapters.reporters.text import progress_line
    from fitness.domain.rendering import printable_line

    return [
        f"{printable_line(result.rule_name)}: {line}"
        for result in recorder.reported_results()
        if (line := progress_line(result))
    ]


@_plain_imports
def _since_lines(recorder: SessionRecorder) -> list[str]:
    """The verdict of the configurations' rules with ``--fitness-new-since``: how many of
    their violations are new, how many existed at the revision."""
    from fitness.adapters.reporters.text import summary_line

    results = [r for r in recorder.reported_results() if r.since is not None]
    return [f"rules: {summary_line(results)}"] if results else []


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    runs = config.stash.get(_runs_key, None)
    stored = config.stash.get(_summary_key, None)
    lines = [*stored] if stored else []
    if runs is not None:
        mode = config.getoption("fitness_blind_spots")
        lines += [line for line in runs.summary_lines(mode) if line not in lines]
    recorder = config.stash.get(_recorder_key, None)
    if recorder and not config.getoption("fitness_update_baseline"):
        lines += _progress_lines(recorder)
        if config.getoption("fitness_new_since"):
            lines += _since_lines(recorder)
    if lines:
        terminalreporter.write_sep("-", "pytest-fitness")
        for line in lines:
            terminalreporter.write_line(line)
    for message in config.stash.get(_messages_key, []):
        terminalreporter.write_line(_line(f"pytest-fitness: {message}"))
