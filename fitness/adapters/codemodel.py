"""Building the code model (classes and functions) from source files, cached by file content.

Each module is parsed with ``ast`` (never imported) by the pure
:func:`fitness.domain.codemodel.module_code`. The result is cached under the
project's cache directory, in ``codemodel/modules.marshal``: one ``marshal`` file
(plain nested tuples, no code) of every module's entry, keyed by a hash of the
file's content, its module name, its path and the model's format. A changed file
gets a new key, and the file is rewritten (atomically) with the entries of this
run's modules only. The file is sealed with the user's key and read only if it is
no larger than a bound set by the sources' size, before ``marshal`` sees a byte
(:mod:`fitness.adapters.cache_store`); a corrupt, forged or unreadable cache is
ignored and rebuilt. Many cold files are parsed in worker processes, one per core.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from fitness.adapters.cache_store import CacheStore, size_limit, store_at
from fitness.adapters.files import decode_source
from fitness.domain.errors import ConfigError
from fitness.domain.graph import ProjectGraph
from fitness.domain.rendering import printable_line

# Imported where they are used: only the class and function rules need the model.
if TYPE_CHECKING:
    from fitness.domain.codemodel import CodeModel, ModuleCode

CACHE_SUBDIR = "codemodel"
PACK_NAME = "modules.marshal"
#: The pack's name in the cache.
PACK_ENTRY = f"{CACHE_SUBDIR}/{PACK_NAME}"

#: Called with (modules done, modules in all) while reading.
Progress = Callable[[int, int], None]

#: Parse in worker processes from this many uncached files on (below it, starting
#: the processes costs more than it saves).
PARALLEL_FROM = 100
MAX_WORKERS = 4
#: The length of a module's data (:func:`fitness.domain.codemodel.to_data`).
DATA_FIELDS = 10


class CachedCodeModelReader:
    """Builds the code model of a project from its files, cached by content hash."""

    def __init__(
        self,
        project_dir: Path,
        *,
        cache_dir: CacheStore | Path | None = None,
        progress: Progress | None = None,
        not_implemented_is_abstract: bool = True,
        workers: int | None = None,
    ) -> None:
        self.project_dir = project_dir
        #: The run's cache, or a directory to cache in with this user's key.
        self.store = cache_dir if isinstance(cache_dir, CacheStore) else store_at(cache_dir)
        self.progress = progress
        self.not_implemented_is_abstract = not_implemented_is_abstract
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, MAX_WORKERS)
        #: How many modules the last :meth:`read` parsed, and how many came from the cache.
        self.parsed = 0
        self.cached = 0

    def read(self, module_files: Mapping[str, str]) -> dict[str, ModuleCode | tuple[Any, ...]]:
        """The code of each module, from its file (relative to the project, or
        absolute): a :class:`ModuleCode`, or its data (:func:`to_data`) for a
        :class:`~fitness.domain.codemodel.ModuleTable` to make it when asked."""
        self.parsed = self.cached = 0
        code: dict[str, ModuleCode | tuple[Any, ...]] = {}
        total = len(module_files)
        sources = [
            self._source(module, self.project_dir / file)
            for module, file in sorted(module_files.items())
        ]
        # The pack is read only up to a size these sources could have made.
        pack = self._load_pack(size_limit(sum(len(s.data) for s in sources), len(sources)))
        entries: dict[str, bytes] = {}  # the next pack: this run's modules only
        pending: list[_Pending] = []
        for item in sources:
            entry = pack.get(item.key)
            cached = _entry_data(entry, item.module) if entry is not None else None
            if cached is None:
                pending.append(item)
            else:
                entries[item.key] = cast(bytes, entry)
                code[item.module] = cached
                self.cached += 1
        del sources, pack
        if self.progress is not None and code:
            self.progress(len(code), total)
        for item, outcome in zip(pending, self._parse_all(pending), strict=True):
            if isinstance(outcome, str):
                raise ConfigError(outcome)
            code[item.module] = marshal.loads(outcome)
            entries[item.key] = outcome
            self.parsed += 1
            if self.progress is not None:
                self.progress(len(code), total)
        if self.parsed:
            self._store_pack(entries)
        return code

    def model(self, module_files: Mapping[str, str]) -> CodeModel:
        from fitness.domain.codemodel import CodeModel, ModuleTable

        def source(module: str) -> str | None:
            """The module's text, for the lines violations quote (read only then)."""
            file = module_files.get(module)
            if file is None:
                return None
            try:
                return decode_source((self.project_dir / file).read_bytes())
            except (OSError, ValueError):
                return None  # the violation is still reported, without its line

        return CodeModel(ModuleTable(self.read(module_files)), source=source)

    def _source(self, module: str, path: Path) -> _Pending:
        """A module's file read, with its key in the cache."""
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ConfigError(
                f"cannot read {printable_line(self._shown(path))}: {error.strerror or error}"
            ) from None
        from fitness.domain.codemodel import MODEL_VERSION

        is_package = path.name == "__init__.py"
        shown = self._shown(path)
        # Python's version too: its parser and builtins change what the model says.
        flags = (
            f"{MODEL_VERSION}\0{sys.version_info[:2]}\0{module}\0{is_package}"
            f"\0{self.not_implemented_is_abstract}"
        )
        key = hashlib.blake2b(f"{flags}\0{shown}\0".encode() + data, digest_size=20).hexdigest()
        return _Pending(module, shown, data, is_package, key, self.not_implemented_is_abstract)

    def _parse_all(self, pending: list[_Pending]) -> Iterator[bytes | str]:
        """The model of each pending file as ``marshal`` bytes (cheap to send between
        processes, written to the cache as they are), or why it cannot be read."""
        from fitness.adapters.parallel import parse_all

        return parse_all(
            _parse,
            pending,
            workers=self.workers,
            parallel_from=PARALLEL_FROM,
            size=lambda item: len(item.data),
        )

    def _shown(self, path: Path) -> str:
        """``path`` as messages show it: relative to the project when inside it."""
        if path.is_relative_to(self.project_dir):
            return path.relative_to(self.project_dir).as_posix()
        return str(path)

    # The cache -----------------------------------------------------------------

    @property
    def pack_path(self) -> Path | None:
        """The cache: one file of every module's entry, by key (a file per module
        costs more to create than to parse on some file systems)."""
        return self.store.root / PACK_ENTRY if self.store is not None else None

    def _load_pack(self, limit: int) -> dict[str, bytes]:
        if self.store is None:
            return {}
        raw = self.store.read(PACK_ENTRY, limit=limit)
        if raw is None:
            return {}
        try:
            pack = marshal.loads(raw)  # sealed by us: plain data this reader wrote
        except (EOFError, ValueError, TypeError, MemoryError, RecursionError):
            return {}  # Corrupt: parse again, and overwrite it.
        return pack if isinstance(pack, dict) else {}

    def _store_pack(self, entries: dict[str, bytes]) -> None:
        if self.store is None:
            return
        # A read-only project is still analysed, just without a cache (and no
        # temporary file is left behind, whatever stops the write). Two runs at
        # once both write it whole: the last one wins.
        with contextlib.suppress(ValueError):
            self.store.write(PACK_ENTRY, marshal.dumps(entries))


def _entry_data(entry: object, module: str) -> tuple[Any, ...] | None:
    """The data of a cache entry, or None if it is not the module's (corrupt)."""
    if not isinstance(entry, bytes):
        return None
    try:
        data = marshal.loads(entry)
    except (EOFError, ValueError, TypeError):
        return None
    if isinstance(data, tuple) and len(data) == DATA_FIELDS and data[0] == module:
        return data
    return None


class _Pending(NamedTuple):
    """A file whose model is not cached: parsed, maybe in another process."""

    module: str
    shown: str
    data: bytes
    is_package: bool
    key: str
    not_implemented_is_abstract: bool


def _parse(item: _Pending) -> bytes | str:
    """The model of one file as ``marshal`` bytes of :func:`to_data`, or the
    message saying why it cannot be read."""
    from fitness.domain.codemodel import module_code, to_data

    try:
        text = decode_source(item.data)
    except ValueError as error:
        return f"cannot read {item.shown}: {error}"
    try:
        code = module_code(
            item.module,
            text,
            is_package=item.is_package,
            file=item.shown,
            not_implemented_is_abstract=item.not_implemented_is_abstract,
        )
    except (RecursionError, MemoryError):
        # Python's parser gives up on a very long expression (SymPy has tables of
        # them): the module is a blind spot, not the end of every class rule.
        from fitness.domain.codemodel import ModuleCode

        code = ModuleCode(
            module=item.module,
            file=item.shown,
            imports=(),
            exports=None,
            classes=(),
            functions=(),
            blind_spots=(
                "too deeply nested for Python's parser: its classes and functions are unknown",
            ),
        )
    except ConfigError as error:
        return str(error)
    return marshal.dumps(to_data(code))


def attach_code_model(
    graph: ProjectGraph,
    project_dir: Path,
    *,
    cache_dir: CacheStore | Path | None = None,
    progress: Progress | None = None,
    not_implemented_is_abstract: bool = True,
) -> CachedCodeModelReader:
    """Let ``graph.code_model()`` build the model of the internal modules on first use."""
    reader = CachedCodeModelReader(
        project_dir,
        cache_dir=cache_dir,
        progress=progress,
        not_implemented_is_abstract=not_implemented_is_abstract,
    )

    def source() -> CodeModel:
        files = {
            module: file
            for module, file in graph.module_files.items()
            if graph.is_internal(module) and file.endswith(".py")
        }
        return reader.model(files)

    graph.attach_code_model(source)
    return reader
