"""Reading class facts from source files, cached by file content.

The facts of a module (its classes, abstract or not, their methods and what
each uses) are parsed with ``ast`` (never imported) by the pure
:func:`fitness.domain.classfacts.module_facts`. Parsing a large
codebase takes seconds, so the facts are cached under the project's cache
directory, in ``classfacts/``, one JSON file per module version, keyed by a
hash of the file's content (and the module's name and the facts' format). A
changed file gets a new key; each file is sealed with the user's key and read only
up to a bound set by the module's size (:mod:`fitness.adapters.cache_store`); a
corrupt, forged or unreadable cache file is ignored and rebuilt; writes are atomic.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from fitness.adapters.cache_store import CacheStore, size_limit, store_at
from fitness.adapters.files import decode_source
from fitness.domain.errors import ConfigError
from fitness.domain.graph import ProjectGraph
from fitness.domain.rendering import printable_line

# Imported where they are used: only the metrics read class facts, and a run
# without them should not pay for these imports.
if TYPE_CHECKING:
    from fitness.domain.classfacts import ModuleFacts

CACHE_SUBDIR = "classfacts"

#: Called with (modules done, modules in all) while reading.
Progress = Callable[[int, int], None]


class CachedClassFactsReader:
    """Reads class facts from the source files, cached by content hash."""

    def __init__(
        self,
        project_dir: Path,
        *,
        cache_dir: CacheStore | Path | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.project_dir = project_dir
        #: The run's cache, or a directory to cache in with this user's key.
        self.store = cache_dir if isinstance(cache_dir, CacheStore) else store_at(cache_dir)
        #: The size of the source each key was computed from (its entry's bound).
        self._sizes: dict[str, int] = {}
        self.progress = progress
        #: How many modules the last :meth:`read` parsed, and how many came from the cache.
        self.parsed = 0
        self.cached = 0

    def read(self, module_files: Mapping[str, str]) -> dict[str, ModuleFacts]:
        """The facts of each module, from its file (relative to the project, or absolute).

        Files whose facts are not cached are parsed in parallel, one process per
        core, when there are many of them (a cold run on a large codebase).
        """
        from fitness.domain.classfacts import ModuleFacts

        self.parsed = self.cached = 0
        facts: dict[str, ModuleFacts] = {}
        total = len(module_files)
        pending: list[_Pending] = []
        for module, file in sorted(module_files.items()):
            found = self._cached_or_pending(module, self.project_dir / file)
            if isinstance(found, ModuleFacts):
                facts[module] = found
                self.cached += 1
            else:
                pending.append(found)
        if self.progress is not None and facts:
            self.progress(len(facts), total)
        for item, outcome in zip(pending, self._parse_all(pending), strict=True):
            if isinstance(outcome, str):
                raise ConfigError(outcome)
            facts[item.module] = outcome
            self.parsed += 1
            self._store(item.key, outcome)
            if self.progress is not None:
                self.progress(len(facts), total)
        return facts

    def _cached_or_pending(self, module: str, path: Path) -> ModuleFacts | _Pending:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ConfigError(
                f"cannot read {printable_line(self._shown(path))}: {error.strerror or error}"
            ) from None
        from fitness.domain.classfacts import FACTS_VERSION

        is_package = path.name == "__init__.py"
        key = hashlib.blake2b(
            f"{FACTS_VERSION}\0{module}\0{is_package}\0".encode() + data, digest_size=20
        ).hexdigest()
        self._sizes[key] = len(data)
        cached = self._load(key, module)
        if cached is not None:
            return cached
        return _Pending(module, self._shown(path), data, is_package, key)

    def _parse_all(self, pending: list[_Pending]) -> Iterator[ModuleFacts | str]:
        workers = min(os.cpu_count() or 1, MAX_WORKERS)
        from fitness.adapters.parallel import parse_all

        return parse_all(
            _parse, pending, workers=workers, parallel_from=PARALLEL_FROM, chunksize=16
        )

    def _shown(self, path: Path) -> str:
        """``path`` as messages show it: relative to the project when inside it."""
        if path.is_relative_to(self.project_dir):
            return path.relative_to(self.project_dir).as_posix()
        return str(path)

    # The cache -----------------------------------------------------------------

    def _name(self, key: str) -> str:
        return f"{CACHE_SUBDIR}/{key[:2]}/{key}.json"

    def _path(self, key: str) -> Path | None:
        return self.store.root / self._name(key) if self.store is not None else None

    def _load(self, key: str, module: str) -> ModuleFacts | None:
        from fitness.domain.classfacts import ModuleFacts

        if self.store is None:
            return None
        raw = self.store.read(self._name(key), limit=size_limit(self._sizes.get(key, 0)))
        if raw is None:
            return None
        try:
            facts = ModuleFacts.from_data(json.loads(raw))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None  # Corrupt: parse again, and overwrite it.
        return facts if facts.module == module else None

    def _store(self, key: str, facts: ModuleFacts) -> None:
        if self.store is None:
            return
        # A read-only project is still measured, just without a cache (and no
        # temporary file is left behind, whatever stops the write).
        data = json.dumps(facts.to_data(), separators=(",", ":")).encode()
        self.store.write(self._name(key), data)


#: Parse in parallel from this many uncached files on (below it, processes cost more).
PARALLEL_FROM = 200
MAX_WORKERS = 4


class _Pending(NamedTuple):
    """A file whose facts are not cached: parsed, maybe in another process."""

    module: str
    shown: str
    data: bytes
    is_package: bool
    key: str


def _parse(item: _Pending) -> ModuleFacts | str:
    """The facts of one file, or the message saying why it cannot be read."""
    try:
        text = decode_source(item.data)
    except ValueError as error:
        return f"cannot read {item.shown}: {error}"
    from fitness.domain.classfacts import module_facts

    try:
        return module_facts(item.module, text, is_package=item.is_package, filename=item.shown)
    except (RecursionError, MemoryError):  # Python's parser gives up on deep nesting
        return f"cannot parse {item.shown}: too deeply nested (Python's parser gives up)"


def attach_class_facts(
    graph: ProjectGraph,
    project_dir: Path,
    *,
    cache_dir: CacheStore | Path | None = None,
    progress: Progress | None = None,
) -> CachedClassFactsReader:
    """Let ``graph.class_facts()`` read the internal modules' files on first use."""
    reader = CachedClassFactsReader(project_dir, cache_dir=cache_dir, progress=progress)

    def source() -> dict[str, ModuleFacts]:
        files = {
            module: file
            for module, file in graph.module_files.items()
            if graph.is_internal(module) and file.endswith(".py")
        }
        return reader.read(files)

    graph.attach_class_facts(source)
    return reader
