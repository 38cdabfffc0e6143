"""What a pytest session checks, without pytest: every configuration collected, each a
project of its own (:class:`~fitness.adapters.session.GraphSession`), loaded by the one
use case (:func:`fitness.application.config.load_configuration`) as ``fitness check``
loads it; the verdict of each rule (the same as ``fitness check``'s), what the summary
says, the baselines written. :mod:`fitness.pytest_plugin` is the glue to pytest.

The plugin imports it when a session first needs it (a configuration collected), past
pytest's assertion rewriter; the plugin itself stays light (:mod:`fitness._lazy`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fitness._lazy import LazyModule
from fitness.adapters.cache_store import open_cache
from fitness.adapters.plain_imports import plain_imports
from fitness.adapters.reporters.text import (
    baseline_note,
    progress_line,
    render_blind_spots,
    summary_line,
)
from fitness.adapters.session import GraphSession
from fitness.application.baseline import record_checked
from fitness.application.check import name_mistakes as mistakes_of
from fitness.application.check import project_notes, verdict
from fitness.application.checking import check_rule
from fitness.domain.config import DEFAULT_CACHE_DIR
from fitness.domain.errors import ConfigErrors, FitnessError, combined
from fitness.domain.new_since import revision_notes
from fitness.domain.rendering import printable_line, render_failure

# (only with --new-since: reading the revision's history imports git and the metrics,
# about 90 ms)
if TYPE_CHECKING:
    from fitness.adapters import revision as _revision
else:
    _revision = LazyModule("fitness.adapters.revision")


if TYPE_CHECKING:
    from fitness.adapters.reporters.recorder import SessionRecorder
    from fitness.application.config import LoadedConfig
    from fitness.domain.graph import ProjectGraph
    from fitness.domain.new_since import KnownAt
    from fitness.domain.rules.base import Rule
    from fitness.domain.violations import RuleResult

#: The name of the item that stands for an unusable configuration.
CONFIGURATION_ITEM = "configuration"


class ProjectRuns:
    """Every configuration file collected in this session, each a project of its own:
    configuration, graph and baseline, each read once."""

    def __init__(
        self,
        *,
        use_cache: bool = True,
        updating: bool = False,
        strict: bool = False,
        warnings_fail: bool = False,
        new_since: str | None = None,
    ) -> None:
        self.use_cache = use_cache
        self.updating = updating
        self.strict = strict
        self.warnings_fail = warnings_fail
        #: ``--fitness-new-since``: only what is new since this revision fails.
        self.new_since = new_since
        self._sessions: dict[Path, GraphSession] = {}
        #: What each configuration's rules found at ``new_since`` (measured on first use).
        self._known_at: dict[int, KnownAt] = {}

    @plain_imports
    def for_path(self, path: Path | None) -> GraphSession:
        key = path.resolve() if path is not None else Path()
        if key not in self._sessions:
            self._sessions[key] = GraphSession(
                config_path=path, use_cache=self.use_cache, updating=self.updating
            )
        return self._sessions[key]

    @plain_imports
    def loaded(self, path: Path) -> LoadedConfig:
        """The configuration in ``path`` (loaded once in the session)."""
        return self.for_path(path).loaded_config()

    @plain_imports
    def prepare(self, path: Path) -> tuple[GraphSession, LoadedConfig]:
        """The project of ``path``: its configuration and baseline, read when the file is
        collected."""
        session = self.for_path(path)
        loaded = session.loaded_config()
        session.baseline()
        return session, loaded

    @plain_imports
    def graph(self, path: Path | None) -> ProjectGraph:
        return self.for_path(path).graph()

    @plain_imports
    def check(
        self, session: GraphSession, rule: Rule, index: int, recorder: SessionRecorder
    ) -> tuple[RuleResult, tuple[str, ...]]:
        """Rule ``index`` of the configuration checked: its verdict (recorded, for the
        baseline and the report) and the module names it misspells, each at its line."""

        graph = session.graph()
        found = check_rule(rule, graph)
        result = self.reported(session, found)
        loaded = session.loaded_config()
        rule_names = [r.name for r in loaded.config.rules]
        recorder.record(loaded.path, rule_names, index, found, result)
        return result, name_mistakes(rule, loaded, graph) if found.errors else ()

    @plain_imports
    def reported(
        self, session: GraphSession, found: RuleResult, *, configured: bool = True
    ) -> RuleResult:
        """What is reported of what a rule found: the same verdict as ``fitness check``.
        A rule checked in test code (not ``configured``) was not measured at the revision
        of ``--fitness-new-since``: all of its violations count."""

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

    @plain_imports
    def known_at(self, session: GraphSession) -> KnownAt | None:
        """What the configuration's rules found at the revision of ``--fitness-new-since``
        (measured once per configuration, cached by the revision's tree)."""
        if self.new_since is None:
            return None
        known = self._known_at.get(id(session))
        if known is None:
            known = _revision.measure_known_at(
                session.loaded_config(),
                self.new_since,
                session.cache(),
                option="--fitness-new-since",
            )
            self._known_at[id(session)] = known
        return known

    def finish(self) -> None:
        """Keep what each configuration's run found out that the next can reuse."""
        for session in self._sessions.values():
            session.finish()

    @plain_imports
    def summary_lines(self, blind_spots: str | None = None) -> list[str]:
        """What the summary says of each project (``blind_spots``: ``--fitness-blind-spots``)."""

        lines = []
        for session in self._sessions.values():
            lines += summary(session, blind_spots)
            known = self._known_at.get(id(session))
            notes = revision_notes(known) if known is not None else []
            lines += [printable_line(f"note: {note}") for note in notes]
        return lines

    @plain_imports
    def update_baselines(self, recorder: SessionRecorder) -> list[str]:
        """Merge what each configuration's rules found into its baseline; one line per
        file written, for the terminal summary."""

        messages = []
        for run in recorder.by_config():
            store = self.for_path(run.config_path).baseline_file()
            new, checked = record_checked(store, run.found, run.rule_names, run.fluent)
            count = new.violation_count
            messages.append(
                f"baseline updated: {store.path} ({count} violation"
                f"{'s' if count != 1 else ''}, {checked} rule{'s' if checked != 1 else ''} "
                "checked)"
            )
        return messages

    @plain_imports
    def affected_cache(self, primary: Path | None, rootpath: Path) -> Any:
        """The cache the facts of the files are kept in (``--fitness-affected``): the
        configuration's, or the default one of the rootdir (none without the cache)."""
        if not self.use_cache:
            return None

        if primary is not None:
            try:
                return self.for_path(primary).cache()
            except FitnessError:
                pass

        return open_cache(rootpath, DEFAULT_CACHE_DIR).store


class FluentObserver:
    """Takes the verdicts of the rules a test checks in code (``rule.check(fitness_graph)``)
    into the session: named (``.named()``, else after the test, ``nodeid``), the baseline
    applied, recorded for the baseline update and the report; each warning told (``warn``)."""

    def __init__(
        self,
        nodeid: str,
        runs: ProjectRuns,
        session: GraphSession,
        recorder: Callable[[], SessionRecorder],
        warn: Callable[[str], None],
    ) -> None:
        self.nodeid = nodeid
        self.runs = runs
        self.session = session
        self.recorder = recorder
        self.warn = warn
        self.names: dict[str, str] = {}

    def name_for(self, description: str) -> str:
        """The test's node id; a second rule checked in the same test gets `` (2)``."""
        name = self.names.get(description)
        if name is None:
            count = len(self.names) + 1
            name = self.nodeid if count == 1 else f"{self.nodeid} ({count})"
            self.names[description] = name
        return name

    @plain_imports
    def __call__(self, found: RuleResult, named: bool) -> RuleResult:
        if not named:
            found = dataclasses.replace(found, rule_name=self.name_for(found.description))
        reported = self.runs.reported(self.session, found, configured=False)
        loaded = self.session.loaded_config()
        self.recorder().record_fluent(
            loaded.path, [r.name for r in loaded.config.rules], found, reported
        )
        # As for a rule of the configuration: a warning (a name that matches nothing,
        # a class the rule could not follow) must not pass unseen.
        for warning in reported.warnings:
            self.warn(f"{reported.rule_name}: {warning}")
        return reported


@plain_imports
def failure_text(result: RuleResult, mistakes: tuple[str, ...]) -> str:
    """How a broken rule's item shows it: the failure, what the baseline hides, the
    module names it misspells."""

    text = render_failure(result)
    note = baseline_note(result)
    if note:
        text += f"(not shown: {note})\n"
    if mistakes:
        text += "\n" + "".join(f"pytest-fitness: {m}\n" for m in mistakes)
    return text


def summary(session: GraphSession, blind_spots: str | None = None) -> list[str]:
    """What the static graph cannot see, and stray suppressions (if the graph was built);
    what there is to say about the cache. ``blind_spots`` overrides the configuration's."""

    cache = [printable_line(f"note: {n}") for n in session.cache_notes()]
    graph = session.built()
    if graph is None or session.loaded is None:
        return cache

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


@plain_imports
def name_mistakes(rule: Rule, loaded: LoadedConfig, graph: ProjectGraph) -> tuple[str, ...]:
    """The module names the rule misspells, each at its line in the configuration (as
    ``fitness check`` lists them)."""

    mistakes = mistakes_of([rule], loaded.config.rules, graph)
    return tuple(loaded.locate(combined(mistakes)).lines()) if mistakes else ()


@plain_imports
def error_text(error: FitnessError) -> str:
    """How an item shows an error: several mistakes one per line, under a count."""

    if isinstance(error, ConfigErrors):
        lines = error.lines()
        count = len(error.mistakes)
        return f"pytest-fitness: {count} mistakes in the configuration:\n" + "".join(
            f"  {printable_line(line)}\n" for line in lines
        )
    return printable_line(f"pytest-fitness: {error}")


@plain_imports
def progress_lines(recorder: SessionRecorder) -> list[str]:
    """Each migration's progress (``strangler_fig`` rules), one line per rule."""

    return [
        f"{printable_line(result.rule_name)}: {line}"
        for result in recorder.reported_results()
        if (line := progress_line(result))
    ]


@plain_imports
def since_lines(recorder: SessionRecorder) -> list[str]:
    """The verdict of the configurations' rules with ``--fitness-new-since``: how many of
    their violations are new, how many existed at the revision."""

    results = [r for r in recorder.reported_results() if r.since is not None]
    return [f"rules: {summary_line(results)}"] if results else []


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
    return "%63" + name[1:] if name == CONFIGURATION_ITEM else name
