"""The pytest plugin: each rule of ``[tool.fitness]`` is one test item.

Rules are collected from the project's ``pyproject.toml`` (the nearest one with
a ``[tool.fitness]`` table above pytest's rootdir, or ``--fitness-config``),
even when ``testpaths`` leaves that file out. The graph is built once per
session, on first use, and shared with ordinary tests through the
``fitness_graph`` fixture.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from fitness._lazy import LazyModule
from fitness.adapters.config.discovery import find_config, is_declared, resolve_config
from fitness.adapters.plain_imports import plain_imports as _plain_imports
from fitness.adapters.plain_imports import without_assertion_rewriting
from fitness.domain.errors import FitnessError

# Only the discovery above is imported with the plugin: every pytest run of every
# project loads it, and most directories hold no fitness configuration. The rest is
# imported when first used (a configuration collected, an option given), past pytest's
# assertion rewriter: the modules below, and the rule types and modules a rule loads
# on demand, in the functions marked @_plain_imports (fitness.adapters.plain_imports).
if TYPE_CHECKING:
    import fitness.adapters.affected as _affected
    import fitness.adapters.git_revision as _git_revision
    import fitness.adapters.paths as _paths
    import fitness.adapters.pytest_runs as _pytest_runs
    import fitness.adapters.reporters as _reporters
    import fitness.adapters.reporters.recorder as _recording
    import fitness.domain.observation as _observation
    import fitness.domain.rendering as _rendering
    from fitness.adapters.session import GraphSession
    from fitness.domain.graph import ProjectGraph
    from fitness.domain.rules.base import Rule
    from fitness.domain.violations import RuleResult
else:
    _affected = LazyModule("fitness.adapters.affected", without_assertion_rewriting)
    _git_revision = LazyModule("fitness.adapters.git_revision", without_assertion_rewriting)
    _paths = LazyModule("fitness.adapters.paths", without_assertion_rewriting)
    _pytest_runs = LazyModule("fitness.adapters.pytest_runs", without_assertion_rewriting)
    _reporters = LazyModule("fitness.adapters.reporters", without_assertion_rewriting)
    _recording = LazyModule("fitness.adapters.reporters.recorder", without_assertion_rewriting)
    _observation = LazyModule("fitness.domain.observation", without_assertion_rewriting)
    _rendering = LazyModule("fitness.domain.rendering", without_assertion_rewriting)


def _line(text: str) -> str:
    """A line of ours for pytest to print (a message, a warning, a rule's name): it may
    echo input, so control characters are escaped."""
    return _rendering.printable_line(text)


MARKER = "fitness"

_primary_key = pytest.StashKey[Path | None]()
_runs_key = pytest.StashKey["_pytest_runs.ProjectRuns"]()
_summary_key = pytest.StashKey[list[str]]()
_recorder_key = pytest.StashKey["_recording.SessionRecorder"]()
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


@_plain_imports
def _runs(config: pytest.Config) -> _pytest_runs.ProjectRuns:
    """Every configuration collected in this session (made when the first is)."""
    runs = config.stash.get(_runs_key, None)
    if runs is None:
        runs = config.stash[_runs_key] = _pytest_runs.ProjectRuns(
            use_cache=not config.getoption("fitness_no_cache"),
            updating=bool(config.getoption("fitness_update_baseline")),
            strict=bool(config.getoption("fitness_strict_baseline")),
            warnings_fail=bool(config.getoption("fitness_strict")),
            new_since=config.getoption("fitness_new_since"),
        )
    return runs


@_plain_imports
def _recorder(config: pytest.Config) -> _recording.SessionRecorder:
    """The results of this session's rules, for the baseline and the report (made
    when the first rule runs or a worker sends results)."""
    recorder = config.stash.get(_recorder_key, None)
    if recorder is None:
        recorder = config.stash[_recorder_key] = _recording.SessionRecorder()
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
    config.stash[_messages_key] = []
    config.stash[_summary_key] = []
    report = config.getoption("fitness_report")
    if report:
        try:
            _reporters.format_for_path(report)
        except FitnessError as error:
            raise pytest.UsageError(_line(f"--fitness-report: {error}")) from None
    option = config.getoption("fitness_config")
    if option:
        try:
            _paths.check_file_name(option, "--fitness-config")
        except FitnessError as error:
            raise pytest.UsageError(_line(str(error))) from None
        path = resolve_config(Path(option), Path.cwd())
        path = path.resolve()
        config.stash[_primary_key] = path
        if not path.is_file():
            reason = "is a directory, not a file" if path.is_dir() else "no such file"
            raise pytest.UsageError(_line(f"--fitness-config: {path}: {reason}"))
        config.args.append(str(path))
        _check_revisions(config, path)
        return
    primary = find_config(_search_start(config))
    if primary is not None and primary.is_dir():  # must not pass as "no configuration"
        raise pytest.UsageError(_line(f"pytest-fitness: {primary}: is a directory, not a file"))
    config.stash[_primary_key] = primary
    _check_revisions(config, primary)
    # When `testpaths` leaves the project's configuration out, add it, so that a
    # plain `pytest` always checks the architecture.
    if (
        primary is not None
        and config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not any(_is_within(primary, arg) for arg in config.args)
    ):
        config.args.append(str(primary))


@_plain_imports
def _check_revisions(config: pytest.Config, primary: Path | None) -> None:
    """``--fitness-new-since REV`` names a commit of the project's repository, and
    ``--fitness-affected REV`` one of the rootdir's: a usage error at once otherwise (an
    unknown revision, a shallow clone without it)."""
    checks = [
        (primary.parent if primary else None, "--fitness-new-since", "with a commit of one"),
        (config.rootpath, "--fitness-affected", "the working tree with a commit"),
    ]
    for directory, option, compares in checks:
        revision = config.getoption(option.lstrip("-").replace("-", "_"))
        if revision is None or directory is None:
            continue
        try:
            _git_revision.commit_of(directory, revision, option, f"{option} compares {compares}")
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
    explicit = parent.config.stash.get(_primary_key, None)
    if is_declared(file_path) or (explicit is not None and file_path.resolve() == explicit):
        return FitnessFile.from_parent(parent, path=file_path)
    return None


class FitnessFile(pytest.File):
    """A configuration file (``pyproject.toml``, or an import-linter one), collected as one
    item per rule (per contract)."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            session, loaded = _runs(self.config).prepare(self.path)
        except FitnessError as error:
            # One failing item, not a collection error: that would stop the session,
            # and the project's ordinary tests would not run.
            yield ConfigErrorItem.from_parent(self, name=ConfigErrorItem.NAME, error=error)
            return
        for index, rule in enumerate(loaded.config.rules):
            item = FitnessItem.from_parent(
                self,
                name=_pytest_runs.node_name(rule.name),
                rule=rule,
                project=session,
                line=loaded.line_of_rule(index),
                index=index,
            )
            item.add_marker(MARKER)
            yield item


def _error_text(error: FitnessError) -> str:
    return _pytest_runs.error_text(error)


class ConfigErrorItem(pytest.Item):
    """A configuration fitness cannot use: one failing item in place of its rules."""

    NAME = "configuration"  # (fitness.adapters.pytest_runs.CONFIGURATION_ITEM)

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
        result, mistakes = _runs(self.config).check(
            self.project, self.rule, self._index, _recorder(self.config)
        )
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
            warnings.warn_explicit(
                FitnessWarning(
                    f"{_line(self.rule.name)} (severity warning, --fitness-strict fails it): "
                    f"{_rendering.render_failure(result)}"
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
            return _pytest_runs.failure_text(excinfo.value.result, excinfo.value.mistakes)
        if isinstance(excinfo.value, FitnessError):
            return _error_text(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self._line - 1 if self._line else None
        return self.path, line, _line(f"fitness: {self.rule.name}")


@pytest.fixture(scope="session")
def fitness_graph(request: pytest.FixtureRequest) -> ProjectGraph:
    """The project's import graph (built once per session, shared with the fitness items)."""
    primary = request.config.stash.get(_primary_key, None)
    try:
        return _runs(request.config).graph(primary)
    except FitnessError as error:
        pytest.fail(_line(f"pytest-fitness: {error}"), pytrace=False)


@_plain_imports
def _observing(
    item: pytest.Item, runs: _pytest_runs.ProjectRuns, path: Path
) -> contextlib.AbstractContextManager[None]:
    """Rules a test checks in code take part in the session (their warnings at the test)."""

    def warn(text: str) -> None:
        line = (item.location[1] or 0) + 1
        warnings.warn_explicit(FitnessWarning(_line(text)), FitnessWarning, str(item.path), line)

    def recorder() -> _recording.SessionRecorder:  # (made when a rule is checked)
        return _recorder(item.config)

    return _observation.observed(
        _pytest_runs.FluentObserver(item.nodeid, runs, runs.for_path(path), recorder, warn)
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Rules checked in a test that uses ``fitness_graph`` take part in the session."""
    primary = item.config.stash.get(_primary_key, None)
    if primary is None or "fitness_graph" not in getattr(item, "fixturenames", ()):
        return (yield)
    with _observing(item, _runs(item.config), primary):
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
    line that says how many (:func:`fitness.adapters.affected.affected_files`)."""
    no_cache = config.getoption("fitness_no_cache")
    primary = config.stash.get(_primary_key, None)
    store = None if no_cache else _runs(config).affected_cache(primary, config.rootpath)
    plugins = [
        file
        for plugin in config.pluginmanager.get_plugins()
        if (file := getattr(plugin, "__file__", None)) and Path(file).name != "conftest.py"
    ]
    return _affected.affected_files(
        config.rootpath,
        revision,
        files,
        store=store,
        plugins=plugins,
        settings=(" ".join(config.getini("addopts")), _ini(config, "DJANGO_SETTINGS_MODULE", str)),
        pythonpath=[str(p) for p in _ini(config, "pythonpath", list)],
        always=config.getini("fitness_affected_always"),
        never=config.getini("fitness_affected_never"),
    )


def _ini(config: pytest.Config, name: str, kind: type) -> Any:
    """pytest's setting ``name`` if it is a ``kind`` (else empty: pytest-django, say, is
    not installed)."""
    try:
        value = config.getini(name)
    except ValueError:
        return kind()
    return value if isinstance(value, kind) else kind()


def pytest_report_collectionfinish(config: pytest.Config) -> str | None:
    """``fitness: 12 of 140 test files affected by 3 changed modules``."""
    return config.stash.get(_affected_key, None)


@_plain_imports
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the baseline and the report once: in the only process, or in the xdist
    controller (workers hand their results over through ``workeroutput``)."""
    config = session.config
    recorder = config.stash.get(_recorder_key, None)
    finished = config.stash.get(_runs_key, None)
    if finished is not None:
        finished.finish()
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
    runs = _runs(config)
    try:
        if config.getoption("fitness_update_baseline") and recorder:
            messages.extend(runs.update_baselines(recorder))
        report = config.getoption("fitness_report")
        if report:
            path = Path(config.invocation_params.dir, report)
            messages.append(recorder.write_report(path, config.invocation_params.dir, runs.loaded))
    except FitnessError as error:
        messages.append(f"error: {error}")
        session.exitstatus = pytest.ExitCode.USAGE_ERROR


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
def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    runs = config.stash.get(_runs_key, None)
    stored = config.stash.get(_summary_key, None)
    lines = [*stored] if stored else []
    if runs is not None:
        mode = config.getoption("fitness_blind_spots")
        lines += [line for line in runs.summary_lines(mode) if line not in lines]
    recorder = config.stash.get(_recorder_key, None)
    if recorder and not config.getoption("fitness_update_baseline"):
        lines += _pytest_runs.progress_lines(recorder)
        if config.getoption("fitness_new_since"):
            lines += _pytest_runs.since_lines(recorder)
    if lines:
        terminalreporter.write_sep("-", "pytest-fitness")
        for line in lines:
            terminalreporter.write_line(line)
    for message in config.stash.get(_messages_key, []):
        terminalreporter.write_line(_line(f"pytest-fitness: {message}"))
