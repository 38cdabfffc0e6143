"""``event_driven``: publishers do not know their subscribers; events are plain data.

1. Publishers never import subscribers, directly or through a chain
   (``forbidden``): a publisher raises an event, and whoever listens reacts.
2. An event module is plain data: it imports only the standard library, other
   event modules, and the domain's value types named in ``events_may_import``
   (each direct import checked, as the ``hexagonal`` domain's purity is).

External packages are needed to tell the standard library from the rest, so a
configuration with an event_driven rule builds the graph with
``include_external_packages``.
"""

from __future__ import annotations

from dataclasses import dataclass

from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph, in_package
from fitness.domain.modules import (
    MODULES,
    MODULES_OR_EXTERNAL,
    governed_by,
    require_in_graph,
    resolve_all,
)
from fitness.domain.options import option
from fitness.domain.rules.base import Findings, join_names
from fitness.domain.rules.compose import apart, delegate, refused_imports
from fitness.domain.rules.imports.forbidden import ForbiddenRule
from fitness.domain.rules.support import STANDARD_LIBRARY, IgnoringRule
from fitness.domain.violations import Violation


@dataclass(frozen=True, kw_only=True)
class EventDrivenRule(IgnoringRule):
    """Publishers that do not know their subscribers; events that are plain data."""

    type_name = "event_driven"
    needs_external_packages = True
    how_to_fix = (
        "A publisher raises an event and does not call its subscribers: move the call into "
        "a subscriber that listens for the event, and let the composition root (or an event "
        "bus) connect them. Keep events plain data (dataclasses of the standard library's "
        "types and the domain's value types): behaviour, frameworks and serialisation live "
        "with the publishers and subscribers."
    )

    publishers: tuple[str, ...] = option(
        doc="the modules that publish events (a list; wildcards such as 'app.*.services')",
        names=MODULES,
    )
    subscribers: tuple[str, ...] = option(
        doc="the modules that handle events: no publisher may import them",
        names=MODULES,
    )
    events: tuple[str, ...] = option(
        (),
        doc="the event modules: plain data, importing only the standard library and "
        "events_may_import",
        names=MODULES,
    )
    events_may_import: tuple[str, ...] = option(
        (),
        doc="modules besides the standard library the events may import (the domain's value "
        "types, such as 'app.domain.money')",
        names=MODULES_OR_EXTERNAL,
    )

    def __post_init__(self) -> None:
        for key in ("publishers", "subscribers"):
            if not getattr(self, key):
                raise ConfigError(f"option '{key}' must name at least one module", key=(key,))

    def governed_modules(self, graph: ProjectGraph) -> set[str]:
        return governed_by(graph, self.publishers, self.subscribers, self.events)

    def describe(self) -> str:
        events = (
            f"; the events {join_names(self.events)} are plain data, importing only the "
            "standard library"
            + (f" and {join_names(self.events_may_import)}" if self.events_may_import else "")
            if self.events
            else ""
        )
        return (
            f"Event-driven: the publishers {join_names(self.publishers)} never import the "
            f"subscribers {join_names(self.subscribers)}{events}"
        )

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        parts = {}
        for key in ("publishers", "subscribers", "events"):
            modules = resolve_all(graph, getattr(self, key), option=key)
            require_in_graph(graph, modules, option=key)
            parts[key] = tuple(sorted(modules))
        allowed = resolve_all(graph, self.events_may_import, option="events_may_import")
        for publisher in parts["publishers"]:
            for subscriber in parts["subscribers"]:
                if in_package(publisher, subscriber) or in_package(subscriber, publisher):
                    raise RuleError(
                        f"publishers: '{publisher}' overlaps the subscriber '{subscriber}'"
                    )
        if parts["events"] and not graph.include_external_packages:
            raise RuleError(
                "the graph was built without external packages, so the events' imports "
                "cannot be checked (set include_external_packages = true)"
            )
        violations = [
            *self._publishers(graph, parts["publishers"], parts["subscribers"]),
            *self._plain_events(graph, parts["events"], allowed),
        ]
        return Findings.of(violations, warnings)

    def _publishers(
        self, graph: ProjectGraph, publishers: tuple[str, ...], subscribers: tuple[str, ...]
    ) -> list[Violation]:
        # A chain through another publisher is that publisher's violation: the imports
        # into the others are left out (not the chains through them, so that no chain
        # around them is hidden behind one through them). A chain that reaches a
        # subscriber before its end is reported where it does.
        return [
            violation
            for publisher in publishers
            for violation in delegate(
                self, ForbiddenRule, source_modules=(publisher,), forbidden_modules=subscribers
            )
            .without_imports_into(apart(publisher, publishers))
            .without_chains_through(subscribers)
            .reworded(
                lambda v: (
                    f"the publisher {v.importer} imports the subscriber {v.imported}: "
                    "publishers never know their subscribers; publish an event and let the "
                    "subscriber listen for it"
                )
            )
            .violations(graph)
        ]

    def _plain_events(
        self, graph: ProjectGraph, events: tuple[str, ...], allowed: set[str]
    ) -> list[Violation]:
        def refused(imported: str) -> bool:
            if not graph.is_internal(imported) and imported.partition(".")[0] in STANDARD_LIBRARY:
                return False
            return not any(in_package(imported, m) for m in (*events, *allowed))

        def summary(importer: str, imported: str) -> str:
            what = "the package" if not graph.is_internal(imported) else "the module"
            return (
                f"the event module {importer} imports {what} {imported}: events are plain "
                "data, importing only the standard library and the domain's value types (add "
                "it to events_may_import if it is one)"
            )

        importers = {m for e in events for m in {e} | _descendants(graph, e)}
        return refused_imports(graph, importers, refused, summary)


def _descendants(graph: ProjectGraph, module: str) -> set[str]:
    return set(graph.grimp.find_descendants(module)) if graph.is_internal(module) else set()
