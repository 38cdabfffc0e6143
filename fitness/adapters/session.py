"""One project per run: the configuration loaded once, the graph built once, the
baseline read once, shared by every rule (``fitness`` subcommands and the pytest
plugin alike). Implements :class:`fitness.application.ports.Project`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fitness.adapters.baseline import BaselineFile, active_baseline, baseline_path, read_baseline
from fitness.adapters.cache_store import CacheOpening, CacheStore, open_cache
from fitness.adapters.codemodel import Progress, attach_code_model
from fitness.adapters.config.source import load_config
from fitness.adapters.dependency_metadata import attach_dependency_metadata
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.adapters.replay import rejected_entries
from fitness.application.config import LoadedConfig
from fitness.domain.errors import ConfigError
from fitness.domain.rules.base import code_detail

if TYPE_CHECKING:
    from fitness.domain.baseline import Baseline
    from fitness.domain.config import FitnessConfig
    from fitness.domain.graph import ProjectGraph


class GraphSession:
    """A project's configuration (``loaded``, or read from ``config_path`` on first use),
    its graph (built at most once: a failed build is not retried) and its baseline.

    ``baseline`` overrides the configured baseline file. While ``updating`` the baseline,
    none is applied, but a corrupt one is refused before anything is checked (it must not
    be merged into)."""

    def __init__(
        self,
        loaded: LoadedConfig | None = None,
        *,
        config_path: Path | None = None,
        use_cache: bool = True,
        progress: Progress | None = None,
        baseline: Path | None = None,
        updating: bool = False,
        sys_path: Sequence[str] | None = None,
    ) -> None:
        self._loaded = loaded
        self.config_path = config_path
        self.use_cache = use_cache
        #: Told how far reading the code model (classes, for metrics) has got.
        self.progress = progress
        self.baseline_override = baseline
        self.updating = updating
        #: Where root packages are looked for besides the project's directory and its
        #: ``src/`` (``None``: ``sys.path``; ``()``: nowhere else, as for a commit).
        self.sys_path = sys_path
        self._graph: ProjectGraph | None = None
        self._builder: GrimpGraphBuilder | None = None
        self._error: ConfigError | None = None
        self._baseline: tuple[Baseline | None] | None = None
        self._cache: CacheOpening | None = None
        #: The digest of the package files' listing, once the graph is built.
        self.listing: str | None = None

    # The configuration ---------------------------------------------------------

    def loaded_config(self) -> LoadedConfig:
        if self._loaded is None:
            if self.config_path is None:
                raise ConfigError(
                    "no configuration ([tool.fitness], or an import-linter configuration) "
                    "was found above pytest's rootdir (use --fitness-config PATH)"
                )
            self._loaded = load_config(self.config_path)
        return self._loaded

    def config(self) -> FitnessConfig:
        return self.loaded_config().config

    @property
    def where(self) -> str:
        return str(self.loaded_config().path)

    @property
    def loaded(self) -> LoadedConfig | None:
        """The configuration if it has been loaded already (without loading it)."""
        return self._loaded

    # The cache -----------------------------------------------------------------

    def cache(self) -> CacheStore | None:
        """The run's cache (opened once): ``None`` without one (``--no-cache``, no key,
        a directory that cannot be made or leads outside the project)."""
        if not self.use_cache:
            return None
        if self._cache is None:
            loaded = self.loaded_config()
            self._cache = open_cache(loaded.project_dir, loaded.config.cache_dir)
            if self._cache.store is not None:  # (what `fitness check` found before it)
                self._cache.store.rejected += rejected_entries()
        return self._cache.store

    def cache_notes(self) -> list[str]:
        """What to tell about the cache: why there is none, or that entries someone else
        wrote were ignored and rebuilt (at most one line)."""
        if self._cache is None:
            return []
        note = self._cache.note
        if note is None and self._cache.store is not None:
            note = self._cache.store.note()
        return [note] if note is not None else []

    # The graph -----------------------------------------------------------------

    @property
    def builder(self) -> GrimpGraphBuilder:
        loaded = self.loaded_config()
        return GrimpGraphBuilder(loaded.project_dir, cache_dir=self.cache(), sys_path=self.sys_path)

    def finish(self) -> None:
        """The run is over: keep what it found out that the next run can reuse."""
        if self._builder is not None:
            self._builder.finish()

    def built(self) -> ProjectGraph | None:
        """The graph if it has been built already (without building it)."""
        return self._graph

    def graph(self) -> ProjectGraph:
        if self._error is not None:
            raise self._error
        if self._graph is None:
            loaded = self.loaded_config()
            builder = self._builder = self.builder
            try:
                self._graph = builder.build(loaded.config.graph)
                self.listing = builder.listing
            except ConfigError as error:
                line = loaded.line_of_root_packages() if error.key else None
                self._error = error.located(f"{loaded.path}:{line}" if line else str(loaded.path))
                raise self._error from None
            # The classes and functions, for class and function rules, modular_monolith's
            # interfaces and the metrics: read when the first of them asks
            # (graph.code_model()), each file parsed once, with what every rule reads.
            attach_code_model(
                self._graph,
                loaded.project_dir,
                cache_dir=self.cache(),
                progress=self.progress,
                detail=code_detail(loaded.config.rules),
            )
            # The declared and installed distributions, for the dependencies rule type:
            # read when the first of them asks.
            attach_dependency_metadata(self._graph, loaded.project_dir)
        return self._graph

    # The baseline --------------------------------------------------------------

    def baseline(self) -> Baseline | None:
        """The baseline to apply: the configured file (which must exist), or the default
        file if it exists; none while updating it (every violation is recorded)."""
        if self._baseline is None:
            loaded = self.loaded_config()
            if self.updating:
                path = baseline_path(loaded, self.baseline_override)
                if path.exists():
                    read_baseline(path, legacy_ok=True)
                self._baseline = (None,)
            else:
                self._baseline = (active_baseline(loaded, self.baseline_override)[1],)
        return self._baseline[0]

    def baseline_file(self, *, force: bool = False) -> BaselineFile:
        """The baseline file to write (never the configuration; a file that is not a
        baseline only with ``force``)."""
        loaded = self.loaded_config()
        return BaselineFile(
            baseline_path(loaded, self.baseline_override), config=loaded.path, force=force
        )
