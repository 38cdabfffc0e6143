"""In-memory ports for the use cases: a project and a baseline file, no file system."""

from __future__ import annotations

from collections.abc import Callable

from fitness.domain.baseline import Baseline
from fitness.domain.config import FitnessConfig, GraphSettings
from fitness.domain.errors import ConfigError
from fitness.domain.graph import ProjectGraph
from fitness.domain.rules.base import Rule


class FakeProject:
    """A project whose configuration, graph and baseline are given; counts what is asked."""

    def __init__(
        self,
        graph: ProjectGraph,
        rules: tuple[Rule, ...] = (),
        *,
        baseline: Baseline | None = None,
        roots: tuple[str, ...] = ("app",),
    ) -> None:
        self._config = FitnessConfig(graph=GraphSettings(root_packages=roots), rules=rules)
        self._graph = graph
        self._baseline = baseline
        self.graphs_built = 0
        self.baselines_read = 0

    @property
    def where(self) -> str:
        return "project/pyproject.toml"

    def config(self) -> FitnessConfig:
        return self._config

    def graph(self) -> ProjectGraph:
        self.graphs_built += 1
        return self._graph

    def baseline(self) -> Baseline | None:
        self.baselines_read += 1
        return self._baseline


class FakeBaselineStore:
    """A baseline file in memory; ``refuse`` makes it one that must not be replaced,
    ``corrupt`` one that cannot be read."""

    def __init__(
        self, content: Baseline | None = None, *, refuse: bool = False, corrupt: bool = False
    ) -> None:
        self.content = content
        self.refuse = refuse
        self.corrupt = corrupt
        self.writes: list[bool] = []  # merge, per write

    def check_may_replace(self) -> None:
        if self.refuse:
            raise ConfigError("is the configuration file", "pyproject.toml")

    def read(self) -> Baseline:
        if self.corrupt:
            raise ConfigError("corrupt baseline", "fitness-baseline.json")
        return self.content or Baseline()

    def write(self, change: Callable[[Baseline], Baseline], *, merge: bool) -> Baseline:
        self.check_may_replace()
        current = self.read() if merge else Baseline()
        self.content = change(current)
        self.writes.append(merge)
        return self.content
