"""What ``fitness history`` measured at each commit, kept between runs.

One JSON file per commit under the project's cache directory
(``history/<commit>-<key>.json``), sealed with the user's key and written
atomically (:mod:`fitness.adapters.cache_store`). The key covers what a row
depends on besides the commit: the fitness version, the row format, the
package depth, where the configuration is, the installed plugins (a commit's
rules of their types are checked by them; nothing else from outside the commit
is read: not its own plugins, not ``sys.path``) and, when every commit is
measured with today's configuration, that configuration: its text and the
source of the project's own plugins it loaded. A file that is missing, corrupt,
forged, larger than :data:`ROW_LIMIT` or of another key is a miss (the commit is
measured again); one that cannot be written (a read-only directory) is skipped.
Implements :class:`fitness.application.ports.HistoryCache`.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from fitness._version import __version__ as FITNESS_VERSION
from fitness.adapters.cache_store import CacheStore, store_at
from fitness.adapters.entry_points import installed_plugins
from fitness.domain.history import ROW_FORMAT, Commit, HistoryRow

#: The largest row worth reading: a row holds a few numbers per rule and per package
#: (at the history's depth); a file above this was not written by fitness.
ROW_LIMIT = 16 << 20


class HistoryCacheDir:
    """``cache_dir`` is the run's cache, or a directory to cache in with this user's key
    (no cache, every row a miss, if there is none)."""

    def __init__(
        self, cache_dir: CacheStore | Path, *, depth: int, config: str, today: str | None = None
    ) -> None:
        """``today``: the fingerprint of the configuration every commit is measured with
        (:func:`configuration_fingerprint`), ``None`` when each commit's own is used."""
        self.store = cache_dir if isinstance(cache_dir, CacheStore) else store_at(cache_dir)
        identity = json.dumps(
            [FITNESS_VERSION, ROW_FORMAT, depth, config, installed_plugins(), today or "committed"]
        )
        self.key = hashlib.sha256(identity.encode()).hexdigest()[:16]

    def name(self, commit: Commit) -> str:
        return f"history/{commit.sha}-{self.key}.json"

    def path(self, commit: Commit) -> Path | None:
        return self.store.root / self.name(commit) if self.store is not None else None

    def get(self, commit: Commit) -> HistoryRow | None:
        if self.store is None:
            return None
        raw = self.store.read(self.name(commit), limit=ROW_LIMIT)
        if raw is None:
            return None
        try:
            row = HistoryRow.from_data(json.loads(raw)["row"])
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None
        return row if row.commit == commit else None

    def put(self, row: HistoryRow) -> None:
        if self.store is None:
            return
        text = json.dumps({"format": ROW_FORMAT, "row": row.to_data()}, sort_keys=True)
        self.store.write(self.name(row.commit), (text + "\n").encode())


#: Directories of installed code, not the project's own.
_ENVIRONMENTS = frozenset({"site-packages", "dist-packages", "node_modules"})


def configuration_fingerprint(path: Path, text: str) -> str:
    """What a row measured with the configuration in ``path`` (whose ``text`` was read)
    depends on: that text, and the source of every module imported from the
    configuration's directory (the project's own plugins, import-linter contract
    classes: loaded once, from the working tree; not what a virtual environment inside
    it holds, which the installed plugins' versions stand for)."""

    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape"))
    project = path.resolve().parent
    sources = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str):
            continue
        try:
            located = Path(file).resolve()
        except (OSError, RuntimeError):
            continue
        if located.is_relative_to(project) and not any(
            part.startswith(".") or part in _ENVIRONMENTS
            for part in located.relative_to(project).parts[:-1]
        ):
            sources.append((name, located))
    for name, located in sorted(sources):
        digest.update(f"\0{name}\0".encode())
        try:
            digest.update(located.read_bytes())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()
