"""What ``fitness history`` measured at each commit, kept between runs.

One JSON file per commit under the project's cache directory
(``history/<commit>-<key>.json``), written atomically. The key covers what a
row depends on besides the commit: the fitness version, the row format, the
package depth, where the configuration is and the installed plugins (a commit's
rules of their types are checked by them; nothing else from outside the commit
is read: not its own plugins, not ``sys.path``). A file that is missing, corrupt
or of another key is a miss (the commit is measured again); one that cannot be
written (a read-only directory) is skipped. Implements
:class:`fitness.application.ports.HistoryCache`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from fitness._version import __version__ as FITNESS_VERSION
from fitness.adapters.files import write_text_safely
from fitness.domain.history import ROW_FORMAT, Commit, HistoryRow


class HistoryCacheDir:
    def __init__(self, cache_dir: Path, *, depth: int, config: str) -> None:
        self.directory = cache_dir / "history"
        identity = json.dumps([FITNESS_VERSION, ROW_FORMAT, depth, config, installed_plugins()])
        self.key = hashlib.sha256(identity.encode()).hexdigest()[:16]

    def path(self, commit: Commit) -> Path:
        return self.directory / f"{commit.sha}-{self.key}.json"

    def get(self, commit: Commit) -> HistoryRow | None:
        try:
            data = json.loads(self.path(commit).read_text(encoding="utf-8"))
            row = HistoryRow.from_data(data["row"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return row if row.commit == commit else None

    def put(self, row: HistoryRow) -> None:
        text = json.dumps({"format": ROW_FORMAT, "row": row.to_data()}, sort_keys=True)
        with contextlib.suppress(OSError):
            write_text_safely(self.path(row.commit), text + "\n")


def installed_plugins() -> list[str]:
    """The installed plugins (entry points of the ``fitness`` group), with their versions."""
    from fitness.adapters.entry_points import entry_points
    from fitness.application.plugins import ENTRY_POINT_GROUP

    return sorted(
        f"{point.distribution} {point.version} {point.name} = {point.value}"
        for point in entry_points(ENTRY_POINT_GROUP)
    )
