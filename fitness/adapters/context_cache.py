"""Where imports are made, remembered between runs for the lines a run asked about.

A message marks each import of its chains (``(inside a function)``); finding that out
means reading the importer's file and walking up from the import's line
(:class:`~fitness.adapters.nested_imports.FileContexts`). A warm run with the same
violations asks about the same lines, so the answers are kept in one entry of the
run's cache (sealed, as every entry: a committed or forged one is ignored), named
after the graph's entry and valid for one listing of the files (any file added,
removed or changed forgets them all). The entry is written when the run ends
(:meth:`ContextCache.save`), if the run found anything new.

Only lines asked one by one are remembered; reading every context of a module (what
``exclude_function_level_imports`` does) reads its file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fitness.adapters.cache_store import CacheStore
from fitness.domain.source_facts import CONTEXT_NOTES

#: Bump when what an entry holds changes.
FORMAT = 1
#: What one remembered line may cost in the entry, at most, on average (its bound).
_BYTES_PER_MODULE = 4096


class ContextCache:
    """The remembered contexts of one graph (``name``: its cache entry's) at one
    ``listing`` of its files."""

    def __init__(self, store: CacheStore | None, name: str, listing: str, modules: int) -> None:
        self.store = store
        self.name = f"contexts-{name}"
        self.listing = listing
        self.limit = (modules + 1) * _BYTES_PER_MODULE
        self._known: dict[str, dict[int, str]] | None = None
        self._new = False

    def reader(
        self, read: Callable[[str], Mapping[int, str]]
    ) -> Callable[[str], Mapping[int, str]]:
        """``read`` (a module's contexts, from its file) with what earlier runs found."""

        def remembered(module: str) -> Mapping[int, str]:
            return _Remembered(self, module, read)

        return remembered

    def known(self, module: str) -> dict[int, str]:
        if self._known is None:
            self._known = self._load()
        return self._known.setdefault(module, {})

    def found(self) -> None:
        self._new = True

    def save(self) -> bool:
        """Write what this run found, if anything is new (atomically; ``False`` if it
        could not be written, and nothing is damaged)."""
        if not self._new or self.store is None or self._known is None:
            return False
        data = {
            "format": FORMAT,
            "listing": self.listing,
            "modules": {
                module: sorted([line, context] for line, context in lines.items())
                for module, lines in sorted(self._known.items())
                if lines
            },
        }
        encoded = json.dumps(data, separators=(",", ":")).encode()
        if len(encoded) > self.limit:
            return False
        self._new = False
        return self.store.write(self.name, encoded)

    def _load(self) -> dict[str, dict[int, str]]:
        raw = self.store.read(self.name, limit=self.limit) if self.store is not None else None
        if raw is None:
            return {}
        try:
            data = json.loads(raw)
            if type(data) is not dict or data.get("format") != FORMAT:
                return {}
            if data.get("listing") != self.listing:
                return {}
            return {
                _text(module): {_line(line): _context(context) for line, context in lines}
                for module, lines in _dict(data["modules"]).items()
            }
        except (ValueError, TypeError, KeyError, RecursionError):
            return {}


class _Remembered(Mapping[int, str]):
    """One module's contexts: those remembered, else read from its file (once)."""

    def __init__(
        self, cache: ContextCache, module: str, read: Callable[[str], Mapping[int, str]]
    ) -> None:
        self._cache = cache
        self._module = module
        self._read = read
        self._file: Mapping[int, str] | None = None

    def _from_file(self) -> Mapping[int, str]:
        if self._file is None:
            self._file = self._read(self._module)
        return self._file

    def context(self, line: int) -> str:
        known = self._cache.known(self._module)
        context = known.get(line)
        if context is None:
            context = known[line] = self._from_file().get(line, "")
            self._cache.found()
        return context

    def __getitem__(self, line: int) -> str:
        context = self.context(line)
        if not context:
            raise KeyError(line)
        return context

    def __iter__(self) -> Iterator[int]:
        return iter(self._from_file())

    def __len__(self) -> int:
        return len(self._from_file())


def _dict(value: Any) -> dict[Any, Any]:
    if type(value) is not dict:
        raise TypeError("expected an object")
    return value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("expected a string")
    return value


def _line(value: Any) -> int:
    if type(value) is not int or value < 1:
        raise TypeError("expected a line number")
    return value


def _context(value: Any) -> str:
    if value != "" and value not in CONTEXT_NOTES:
        raise ValueError(f"not a context: {value!r}")
    return str(value)
