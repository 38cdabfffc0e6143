"""One graph per run: built on first use, shared by every rule, errors remembered."""

from __future__ import annotations

from pathlib import Path

from fitness.adapters.classfacts import Progress, attach_class_facts
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.adapters.pyproject import LoadedConfig
from fitness.domain.errors import ConfigError
from fitness.domain.graph import ProjectGraph


class GraphSession:
    """Builds the project graph at most once (a failed build is not retried)."""

    def __init__(
        self, loaded: LoadedConfig, *, use_cache: bool = True, progress: Progress | None = None
    ) -> None:
        self.loaded = loaded
        self.use_cache = use_cache
        #: Told how far reading class facts (for metrics) has got.
        self.progress = progress
        self._graph: ProjectGraph | None = None
        self._error: ConfigError | None = None

    @property
    def builder(self) -> GrimpGraphBuilder:
        cache: Path | None = self.loaded.cache_path if self.use_cache else None
        return GrimpGraphBuilder(self.loaded.project_dir, cache_dir=cache)

    def built(self) -> ProjectGraph | None:
        """The graph if it has been built already (without building it)."""
        return self._graph

    def graph(self) -> ProjectGraph:
        if self._error is not None:
            raise self._error
        if self._graph is None:
            try:
                self._graph = self.builder.build(self.loaded.config.graph)
            except ConfigError as error:
                line = self.loaded.line_of_root_packages() if error.key else None
                self._error = error.located(
                    f"{self.loaded.path}:{line}" if line else str(self.loaded.path)
                )
                raise self._error from None
            attach_class_facts(
                self._graph,
                self.loaded.project_dir,
                cache_dir=self.loaded.cache_path if self.use_cache else None,
                progress=self.progress,
            )
        return self._graph
