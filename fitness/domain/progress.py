"""A migration's progress: who still imports the code being replaced (the burndown).

The ``strangler_fig`` rule type measures it: how many modules outside the legacy
package import it (*importers*) and how many direct imports they make (*imports*).
A baseline adds what it recorded, what was fixed since and what is new. A result
carries it typed (``RuleResult.progress``); as plain data (JSON, between pytest-xdist
workers) the figures are ``details["progress"]`` and the importers left
``details["legacy_importers"]``. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from fitness.domain.baseline_summary import BaselineEntry

#: The keys of a result's plain data (``details``): the figures, and the importers left.
PROGRESS_KEY = "progress"
BACKLOG_KEY = "legacy_importers"
#: The figures that depend on a baseline.
_BASELINE_FIGURES = ("recorded_", "fixed_", "new_")


@dataclass(frozen=True)
class MigrationProgress:
    """How far the code has moved off ``legacy`` onto ``replacement``.

    ``importers`` and ``imports`` are what is left now: the modules outside the
    legacy package (and outside the replacement) that import it, and their direct
    imports of it. The ``recorded_*`` figures are the baseline's (``None`` without a
    baseline); ``fixed_*`` are gone since the baseline, ``new_*`` are not in it.
    An importer is fixed when it imports the legacy code no more. ``backlog`` is the
    to-do list behind ``importers`` and ``imports`` (``None`` if not known): each
    importer left, with the legacy modules it imports (two progresses are equal when
    their figures are).
    """

    legacy: str
    replacement: str
    importers: int
    imports: int
    recorded_importers: int | None = None
    recorded_imports: int | None = None
    fixed_importers: int = 0
    fixed_imports: int = 0
    new_importers: int = 0
    new_imports: int = 0
    backlog: Mapping[str, tuple[str, ...]] | None = field(default=None, compare=False)

    def to_data(self) -> dict[str, object]:
        """The figures as plain data (JSON)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "backlog"}

    def to_details(self) -> dict[str, object]:
        """A result's plain data: the figures, and the importers left with what they import."""
        if self.backlog is None:
            return {PROGRESS_KEY: self.to_data()}
        return {
            PROGRESS_KEY: self.to_data(),
            BACKLOG_KEY: {importer: list(modules) for importer, modules in self.backlog.items()},
        }

    @classmethod
    def from_details(cls, details: Mapping[str, object]) -> MigrationProgress | None:
        """What :meth:`to_details` wrote (``None`` if ``details`` holds no progress)."""
        progress = cls.from_data(details.get(PROGRESS_KEY))
        backlog = details.get(BACKLOG_KEY)
        if progress is None or not isinstance(backlog, Mapping):
            return progress
        return replace(
            progress,
            backlog={
                str(importer): tuple(str(m) for m in modules)
                for importer, modules in backlog.items()
                if isinstance(modules, list | tuple)
            },
        )

    @classmethod
    def from_data(cls, data: object) -> MigrationProgress | None:
        """What :meth:`to_data` wrote (``None`` for anything else)."""
        if not isinstance(data, Mapping):
            return None
        values: dict[str, object] = {}
        for f in fields(cls):
            if f.name == "backlog":
                continue
            value = data.get(f.name, f.default)
            if f.name in ("legacy", "replacement"):
                if not isinstance(value, str):
                    return None
            elif not (value is None or (isinstance(value, int) and not isinstance(value, bool))):
                return None
            values[f.name] = value
        if not isinstance(values["importers"], int) or not isinstance(values["imports"], int):
            return None
        return cls(**values)  # type: ignore[arg-type]

    @property
    def done(self) -> float | None:
        """The share of the recorded imports fixed since the baseline (0.0 to 1.0;
        ``None`` without a baseline or when it recorded none)."""
        if not self.recorded_imports:
            return None
        return min(self.fixed_imports / self.recorded_imports, 1.0)

    def figures(self) -> tuple[tuple[str, int], ...]:
        """The whole numbers that need no baseline (``importers``, ``imports``): what
        ``fitness history`` follows from commit to commit."""
        return figures_of(self.to_data())

    def summary(self) -> str:
        """One line: ``3 importers, 5 imports of app.legacy left (1 importer, 2 imports
        fixed since the baseline; 1 new import)``; once nothing imports the legacy code,
        ``no importer of app.legacy left: it can be removed (...)``."""
        left = f"{_count(self.importers, 'importer')}, {_count(self.imports, 'import')}"
        text = f"{left} of {self.legacy} left"
        if not self.imports:
            text = f"no importer of {self.legacy} left: it can be removed"
        if self.recorded_imports is None:
            return f"{text} (no baseline)"
        fixed = self.fixed_summary()
        since = [
            "none fixed since the baseline"
            if fixed == "none"
            else f"{fixed} fixed since the baseline"
        ]
        if self.new_imports:
            since.append(self.new_summary(" new"))
        return f"{text} ({'; '.join(since)})"

    def fixed_summary(self) -> str:
        """``1 importer, 2 imports`` fixed since the baseline (an importer counts once it
        imports the legacy code no more), or ``none``."""
        return _importers_and_imports(self.fixed_importers, self.fixed_imports)

    def new_summary(self, adjective: str = "") -> str:
        """``1 importer, 1 import`` not in the baseline (``adjective``: `` new`` gives
        ``1 new importer, 1 new import``), or ``none``."""
        return _importers_and_imports(self.new_importers, self.new_imports, adjective)


def figures_of(data: object) -> tuple[tuple[str, int], ...]:
    """The whole numbers of a progress as plain data, in its order, but those that depend
    on a baseline (``recorded_*``, ``fixed_*``, ``new_*``)."""
    if not isinstance(data, Mapping):
        return ()
    return tuple(
        (str(key), value)
        for key, value in data.items()
        if isinstance(value, int)
        and not isinstance(value, bool)
        and not str(key).startswith(_BASELINE_FIGURES)
    )


def _importers_and_imports(importers: int, imports: int, adjective: str = "") -> str:
    if not imports:
        return "none"
    parts = [_count(imports, f"{adjective.strip()} import".strip())]
    if importers:
        parts.insert(0, _count(importers, f"{adjective.strip()} importer".strip()))
    return ", ".join(parts)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


class _Reporting(Protocol):
    @property
    def progress(self) -> MigrationProgress | None: ...


def progress_of(result: _Reporting) -> MigrationProgress | None:
    """The progress a result reports (``None`` if its rule reports none): its
    ``progress``."""
    return result.progress


def _imports(entries: Iterable[BaselineEntry]) -> set[tuple[str, str]]:
    """(importer module, imported module) of each entry's chain."""
    return {(e.first or e.importer, e.last or e.imported) for e in entries}


def against_baseline(
    progress: MigrationProgress,
    current: Iterable[BaselineEntry],
    recorded: Iterable[BaselineEntry],
) -> MigrationProgress:
    """``progress`` with the baseline's figures: ``current`` are the entries of what the
    rule found now, ``recorded`` the baseline's entries of the rule."""
    now, then = _imports(current), _imports(recorded)
    importers_now = {importer for importer, _ in now}
    importers_then = {importer for importer, _ in then}
    return replace(
        progress,
        recorded_importers=len(importers_then),
        recorded_imports=len(then),
        fixed_importers=len(importers_then - importers_now),
        fixed_imports=len(then - now),
        new_importers=len(importers_now - importers_then),
        new_imports=len(now - then),
    )
