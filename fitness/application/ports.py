"""What the use cases need from the outside world: a project (its configuration
loaded once, its graph built once, its baseline read once) and a baseline file
to write. :class:`fitness.adapters.session.GraphSession` and
:class:`fitness.adapters.baseline.BaselineFile` implement them; the tests of the
use cases implement them in memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from fitness.domain.baseline import Baseline
    from fitness.domain.config import FitnessConfig
    from fitness.domain.graph import ProjectGraph


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
