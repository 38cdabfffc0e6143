"""The code model read from the source files: parsed once per file, cached once.

Each module is parsed with ``ast`` (never imported) by the pure
:func:`fitness.domain.code.parsing.module_data`, with the :class:`Detail` the run's
rules read, when the model first asks for it (:class:`~fitness.domain.code.project.CodeModel`
asks for a module when a rule does, for all of them when a rule looks at every class).
Many files are parsed at once, shared between this process and worker processes.

The result is cached under the project's cache directory in one file,
``codemodel/modules.marshal``: ``marshal`` data (plain nested tuples, no code), one
entry per module, keyed by a hash of the file's content, its module name, its path,
Python's version and the model's format, and saying what detail it holds. A changed
file gets a new key; a model read with more detail replaces the entry. The file is
rewritten (atomically) whenever this run parsed something, with the entries of the
project's modules only. It is sealed with the user's key and read only if it is no
larger than a bound set by the sources' size, before ``marshal`` sees a byte
(:mod:`fitness.adapters.cache_store`); a corrupt, forged or unreadable cache is
ignored and rebuilt. The class facts the metrics read are a view of the same model
(:mod:`fitness.domain.code.classfacts`): one parse, one cache.

Reading a source file is :func:`read_source`, the one place this module opens one.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from fitness.adapters.cache_store import CacheStore, size_limit, store_at
from fitness.adapters.files import decode_source
from fitness.adapters.module_finder import ModuleFinder
from fitness.domain.errors import ConfigError
from fitness.domain.graph import ProjectGraph
from fitness.domain.rendering import printable_line

# Imported where they are used: only the rules that read classes and functions (and
# the metrics) need the model, and a run without them should not pay for the parser.
if TYPE_CHECKING:
    from fitness.domain.code.detail import Detail
    from fitness.domain.code.project import CodeModel

CACHE_SUBDIR = "codemodel"
PACK_NAME = "modules.marshal"
#: The pack's name in the cache.
PACK_ENTRY = f"{CACHE_SUBDIR}/{PACK_NAME}"

#: Called with (modules done, modules to read) while reading.
Progress = Callable[[int, int], None]

#: Parse in worker processes from this many uncached files on (below it, starting
#: the processes costs more than it saves).
PARALLEL_FROM = 100
MAX_WORKERS = 4
#: A class statement at the start of a line: a module that has one has classes.
_TOP_LEVEL_CLASS = re.compile(r"^class\b", re.MULTILINE)


def read_source(path: Path, shown: str = "") -> bytes:
    """The bytes of a module's source file (a clear error naming it, as ``shown``, if it
    cannot be read): the one place the code model reads a source."""
    try:
        return path.read_bytes()
    except OSError as error:
        where = printable_line(shown or str(path))
        raise ConfigError(f"cannot read {where}: {error.strerror or error}") from None


class CodeMemory:
    """Cache entries kept in memory by key from one model to the next: ``fitness
    history`` builds a model per commit, and a file unchanged since the last commit
    is not parsed again (nor the cache read again)."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}
        #: The reader of the last model, whose entries :meth:`flush` writes.
        self.last: CachedCodeModelReader | None = None

    def flush(self) -> None:
        """Write the last model's entries to its cache (the commit measured last is
        the next run's nearest)."""
        if self.last is not None:
            self.last.write()


class CachedCodeModelReader:
    """Reads the code model of a project's modules from their files, cached by content
    hash (implements :class:`~fitness.domain.code.project.CodeSource` once
    :meth:`model` has said which files)."""

    def __init__(
        self,
        project_dir: Path,
        *,
        cache_dir: CacheStore | Path | None = None,
        progress: Progress | None = None,
        workers: int | None = None,
        memory: CodeMemory | None = None,
    ) -> None:
        self.project_dir = project_dir
        #: The run's cache, or a directory to cache in with this user's key.
        self.store = cache_dir if isinstance(cache_dir, CacheStore) else store_at(cache_dir)
        self.progress = progress
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, MAX_WORKERS)
        self.memory = memory
        #: Write the pack when something was parsed (``fitness history`` writes it once,
        #: at the end: :meth:`CodeMemory.flush`).
        self.writes = memory is None
        #: How many modules this reader parsed, and how many came from the cache.
        self.parsed = 0
        self.cached = 0
        self._files: dict[str, str] = {}
        self._pack: dict[str, tuple[str, bytes]] | None = None
        #: This run's entries: module -> (key, entry).
        self._entries: dict[str, tuple[str, bytes]] = {}
        #: Whether each module's text has a class statement (read once).
        self._classes: dict[str, bool] = {}
        #: Sources read already, until they are parsed or looked up in the cache.
        self._read: dict[str, bytes] = {}
        self._paths: dict[str, Path] = {}
        #: The entries the cache held when last written, and those parsed since.
        self._written = 0
        self._unwritten = 0
        self._finder: ModuleFinder | None = None

    # The model ---------------------------------------------------------------------

    def model(self, module_files: Mapping[str, str], *, detail: Detail | None = None) -> CodeModel:
        """The model of these modules (files relative to the project, or absolute),
        each read when first asked for, with at least ``detail`` (default: all)."""
        from fitness.domain.code.detail import Detail
        from fitness.domain.code.project import CodeModel

        self._files = dict(module_files)
        self._pack = None
        self._entries = {}
        self._classes = {}
        self._read = {}
        self._paths = {}
        self._written = self._unwritten = 0
        self.parsed = self.cached = 0
        if self.memory is not None:
            self.memory.last = self
        return CodeModel(self, detail=Detail.ALL if detail is None else detail)

    def modules(self) -> Sequence[str]:
        return sorted(self._files)

    def text(self, module: str) -> str | None:
        """The module's text, for the lines violations quote (read only then)."""
        file = self._files.get(module)
        if file is None:
            return None
        try:
            return decode_source(read_source(self._path(module, file)))
        except (ConfigError, ValueError):
            return None  # the violation is still reported, without its line

    def external_source(self, module: str) -> tuple[str, bool] | None:
        """The source of a module outside the project, found on ``sys.path`` and read
        without importing anything (:mod:`fitness.adapters.module_finder`)."""
        if self._finder is None:
            self._finder = ModuleFinder(self.project_dir)
        return self._finder.source(module)

    def defines_classes(self, module: str) -> bool:
        """Whether a line of the module's source starts with ``class`` (read, not parsed:
        a source's encoding is ASCII-compatible, PEP 263)."""
        found = self._classes.get(module)
        if found is None:
            file = self._files.get(module)
            if file is None:
                return False
            path = self._path(module, file)
            data = read_source(path, self._shown(file, path))
            found = self._classes[module] = _has_class_line(data)
            if found:  # about to be read (not read twice)
                self._read[module] = data
        return found

    def load(self, modules: Sequence[str], detail: Detail) -> dict[str, tuple[Any, ...]]:
        """The data (:func:`~fitness.domain.code.serialisation.to_data`) of each of
        ``modules`` with at least ``detail``: from memory, the cache, or parsed."""
        from fitness.domain.code.serialisation import detail_of

        found: dict[str, tuple[Any, ...]] = {}
        pending: list[_Pending] = []
        memory = self.memory.entries if self.memory is not None else {}
        pack: dict[str, tuple[str, bytes]] | None = None
        items = [self._source(module, detail) for module in modules]
        for item in items:
            module = item.module
            entry = memory.get(item.key)
            if entry is None:
                if pack is None:
                    pack = self._read_pack({i.module: len(i.data) for i in items})
                kept = pack.get(module)
                entry = kept[1] if kept is not None and kept[0] == item.key else None
            data = _entry_data(entry, module) if entry is not None else None
            if entry is not None and data is not None and detail in detail_of(data):
                found[module] = data
                self._keep(module, item.key, entry)
                self.cached += 1
            else:
                # A model read with less detail is read again with what it had too.
                had = detail_of(data) if data is not None else detail
                pending.append(item._replace(detail=(detail | had).value))
        total, done = len(modules), len(found)
        if self.progress is not None and found:
            self.progress(done, total)
        for item, outcome in zip(pending, self._parse_all(pending), strict=True):
            if isinstance(outcome, str):
                raise ConfigError(outcome)
            found[item.module] = marshal.loads(outcome)
            self._keep(item.module, item.key, outcome)
            self.parsed += 1
            done += 1
            if self.progress is not None:
                self.progress(done, total)
        if pending and self.writes:
            # Modules read one by one (a base class's module) would rewrite the whole
            # cache each time: it is written when what was parsed since its last
            # writing is half as much as it held then, or more (so writing it costs at
            # most three times its final size, and at most half of what a run parsed
            # in small reads is left for the next run to parse again).
            self._unwritten += len(pending)
            if self._unwritten * 2 >= self._written:
                self.write()
        return found

    def _keep(self, module: str, key: str, entry: bytes) -> None:
        self._entries[module] = (key, entry)
        if self.memory is not None:
            self.memory.entries[key] = entry

    def _source(self, module: str, detail: Detail) -> _Pending:
        """A module's file read, with its key in the cache."""
        from fitness.domain.code.serialisation import MODEL_VERSION

        file = self._files[module]
        path = self._path(module, file)
        shown = self._shown(file, path)
        data = self._read.pop(module, None)
        if data is None:
            data = read_source(path, shown)
        is_package = path.name == "__init__.py"
        # Python's version too: its parser and builtins change what the model says.
        flags = f"{MODEL_VERSION}\0{sys.version_info[:2]}\0{module}\0{is_package}"
        key = hashlib.blake2b(f"{flags}\0{shown}\0".encode() + data, digest_size=20).hexdigest()
        return _Pending(module, shown, data, is_package, key, detail.value)

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

    def _path(self, module: str, file: str) -> Path:
        path = self._paths.get(module)
        if path is None:
            path = self._paths[module] = self.project_dir / file
        return path

    def _shown(self, file: str, path: Path) -> str:
        """``path`` as messages show it: relative to the project when inside it."""
        if not os.path.isabs(file) and os.sep == "/" and ".." not in file.split("/"):
            return os.path.normpath(file)  # relative already (the usual case, and fast)
        if path.is_relative_to(self.project_dir):
            return path.relative_to(self.project_dir).as_posix()
        return str(path)

    # The cache -----------------------------------------------------------------

    @property
    def pack_path(self) -> Path | None:
        """The cache: one file of every module's entry (a file per module costs more
        to create than to parse on some file systems)."""
        return self.store.root / PACK_ENTRY if self.store is not None else None

    def _read_pack(self, sizes: Mapping[str, int] | None = None) -> dict[str, tuple[str, bytes]]:
        """The cache's entries by module (read once; empty if there are none). ``sizes``
        are those of the sources read already (the others are looked up)."""
        if self._pack is not None:
            return self._pack
        self._pack = {}
        if self.store is None:
            return self._pack
        # The pack is read only up to a size the project's sources could have made.
        known = sizes or {}
        total = sum(known.values())
        for module, file in self._files.items():
            if module not in known:
                with contextlib.suppress(OSError):
                    total += os.stat(self._path(module, file)).st_size
        raw = self.store.read(PACK_ENTRY, limit=size_limit(total, len(self._files)))
        if raw is None:
            return self._pack
        try:
            pack = marshal.loads(raw)  # sealed by us: plain data this reader wrote
        except (EOFError, ValueError, TypeError, MemoryError, RecursionError):
            return self._pack  # Corrupt: parse again, and overwrite it.
        if isinstance(pack, dict):
            self._pack = {
                module: entry
                for module, entry in pack.items()
                if isinstance(module, str)
                and isinstance(entry, tuple)
                and len(entry) == 2
                and isinstance(entry[0], str)
                and isinstance(entry[1], bytes)
            }
        return self._pack

    def write(self) -> None:
        """Write the cache: this run's entries, and the entries kept of the project's
        other modules (those no rule asked for yet)."""
        if self.store is None or not self._entries:
            return
        entries = {
            module: entry
            for module, entry in self._read_pack().items()
            if module in self._files and module not in self._entries
        }
        entries.update(self._entries)
        # A read-only project is still analysed, just without a cache (and no
        # temporary file is left behind, whatever stops the write). Two runs at
        # once both write it whole: the last one wins.
        with contextlib.suppress(ValueError):
            self.store.write(PACK_ENTRY, marshal.dumps(dict(sorted(entries.items()))))
        self._pack = entries
        self._written, self._unwritten = len(entries), 0


def _entry_data(entry: object, module: str) -> tuple[Any, ...] | None:
    """The data of a cache entry, or None if it is not the module's (corrupt)."""
    from fitness.domain.code.serialisation import DATA_FIELDS

    if not isinstance(entry, bytes):
        return None
    try:
        data = marshal.loads(entry)
    except (EOFError, ValueError, TypeError):
        return None
    if isinstance(data, tuple) and len(data) == DATA_FIELDS and data[0] == module:
        return data
    return None


def _has_class_line(data: bytes) -> bool:
    """Whether a line of the source starts with the word ``class`` (``bytes.find`` is
    much faster than a regular expression anchored at every line's start)."""
    at = 0 if data.startswith(b"class") else data.find(b"\nclass") + 1
    while at > 0 or data.startswith(b"class"):
        after = data[at + 5 : at + 6]
        if not (after.isalnum() or after == b"_"):
            return True
        at = data.find(b"\nclass", at + 5) + 1
        if at == 0:
            return False
    return False


class _Pending(NamedTuple):
    """A file whose model is not cached: parsed, maybe in another process."""

    module: str
    shown: str
    data: bytes
    is_package: bool
    key: str
    #: The :class:`Detail` to read, as its value.
    detail: int


def _parse(item: _Pending) -> bytes | str:
    """The model of one file as ``marshal`` bytes of :func:`to_data`, or the
    message saying why it cannot be read."""
    from fitness.domain.code.detail import Detail
    from fitness.domain.code.model import ModuleCode
    from fitness.domain.code.parsing import module_data
    from fitness.domain.code.serialisation import to_data

    try:
        text = decode_source(item.data)
    except ValueError as error:
        return f"cannot read {item.shown}: {error}"
    detail = Detail(item.detail)
    try:
        data = module_data(
            item.module, text, is_package=item.is_package, file=item.shown, detail=detail
        )
    except (RecursionError, MemoryError):
        # Python's parser gives up on a very long expression (SymPy has tables of
        # them): the module is a blind spot, not the end of every class rule; the
        # metrics refuse to count without its classes, if it has some.
        has_classes = _TOP_LEVEL_CLASS.search(text) is not None
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
            detail=detail,
            classes_unread="too deeply nested (Python's parser gives up)" if has_classes else "",
            exports_unknown="too deeply nested for Python's parser",
        )
        data = to_data(code)
    except ConfigError as error:
        return str(error)
    return marshal.dumps(data)


def attach_code_model(
    graph: ProjectGraph,
    project_dir: Path,
    *,
    cache_dir: CacheStore | Path | None = None,
    progress: Progress | None = None,
    detail: Detail | None = None,
) -> CachedCodeModelReader:
    """Let ``graph.code_model()`` read the internal modules' code on first use, each
    module with at least ``detail`` (what the run's rules read: default, the outline
    only; a rule asking for more gets it, parsed then)."""
    reader = CachedCodeModelReader(project_dir, cache_dir=cache_dir, progress=progress)
    attach_reader(graph, reader, detail=detail)
    return reader


def attach_reader(
    graph: ProjectGraph, reader: CachedCodeModelReader, *, detail: Detail | None = None
) -> None:
    """Let ``graph.code_model()`` read the internal modules' code through ``reader``."""

    def source() -> CodeModel:
        from fitness.domain.code.detail import Detail

        files = {
            module: file
            for module, file in graph.module_files.items()
            if graph.is_internal(module) and file.endswith(".py")
        }
        return reader.model(files, detail=Detail.OUTLINE if detail is None else detail)

    graph.attach_code_model(source)
