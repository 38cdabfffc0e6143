"""The baseline file: where it is, reading it, writing it atomically and safely.

The file is JSON, sorted, indented, with a trailing newline, so it diffs well
in review. Every write goes through :mod:`fitness.adapters.files` (a temporary
file that replaces the old one, so a crash never leaves half a file; a link is
written through). A file that is not a baseline is never replaced without
``--force``, the configuration file never. Updates read, merge and
write under an exclusive lock (``fcntl.flock`` on its directory)
so that concurrent processes (pytest-xdist workers, two CI jobs in one
checkout) never lose each other's entries.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from fitness._lazy import LazyModule
from fitness.adapters.files import write_text_safely
from fitness.adapters.paths import check_file_name, is_outside
from fitness.application.config import LoadedConfig
from fitness.domain.errors import ConfigError

# (the baseline's model, about 5 ms, when a baseline is read or written: `fitness check`
# imports this module for the baseline's path)
if TYPE_CHECKING:
    from fitness.domain import baseline as _model
    from fitness.domain.baseline import Baseline
else:
    _model = LazyModule("fitness.domain.baseline")


# The baseline's model is imported when a baseline is read or written: most runs
# have none.
DEFAULT_BASELINE = "fitness-baseline.json"

try:  # POSIX; elsewhere updates are still atomic, only not serialised.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def baseline_path(loaded: LoadedConfig, override: Path | None = None) -> Path:
    """The configured baseline file (``baseline = "..."``), or the default one: inside
    the project, links followed (the project is the pull request's to write; a file
    elsewhere is named on the command line, ``override``)."""
    if override is not None:
        check_file_name(override, "--baseline")
        return override
    name = loaded.config.baseline or DEFAULT_BASELINE
    path = loaded.project_dir / name
    if is_outside(loaded.project_dir, name):
        raise ConfigError(
            "the baseline file leads outside the project through a symbolic link; it is "
            "neither read nor written: remove the link, or name a file elsewhere on the "
            "command line (fitness check --baseline FILE)",
            str(path),
        )
    return path


def active_baseline(
    loaded: LoadedConfig, override: Path | None = None
) -> tuple[Path, Baseline | None]:
    """The baseline a check must apply: the configured file (which must exist), or the
    default file if it exists, else none."""
    path = baseline_path(loaded, override)
    explicit = override is not None or loaded.config.baseline is not None
    if not explicit and not path.exists():
        return path, None
    if not path.exists():
        source = "--baseline" if override is not None else f"{loaded.path}: baseline"
        raise ConfigError(
            f"the baseline file {path} does not exist ({source}); create it with "
            "`fitness baseline` or `pytest --fitness-update-baseline`"
        )
    return path, read_baseline(path)


def read_baseline(path: Path, *, legacy_ok: bool = False) -> Baseline:
    """The baseline in ``path``; a :class:`ConfigError` naming the file if it is unusable.

    A file of an earlier format is an error, unless ``legacy_ok`` (for an update, which
    writes it anew): see :meth:`Baseline.from_data`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("no such baseline file", str(path)) from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"corrupt baseline (not valid UTF-8, byte {error.start}); fix it or regenerate it "
            "with `fitness baseline`",
            str(path),
        ) from None
    except OSError as error:
        raise ConfigError(f"cannot read the baseline: {error.strerror}", str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"corrupt baseline (invalid JSON: {error.msg}); fix it or regenerate it with "
            "`fitness baseline`",
            f"{path}:{error.lineno}",
        ) from None
    try:
        return _model.Baseline.from_data(data, legacy_ok=legacy_ok)
    except ConfigError as error:
        raise ConfigError(f"corrupt baseline: {error.message}", str(path)) from None


def dumps(baseline: Baseline) -> str:
    return json.dumps(baseline.to_data(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


#: What every baseline file says it is (``"tool"`` in its JSON object).
BASELINE_TOOL = "pytest-fitness"


def is_fitness_baseline(path: Path) -> bool:
    """Whether ``path`` holds a JSON object with ``"tool": "pytest-fitness"``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("tool") == BASELINE_TOOL


def check_may_replace(path: Path, *, config: Path | None = None, force: bool = False) -> None:
    """Refuse to replace the configuration file (even with ``force``), or an existing file
    that is not a fitness baseline (unless ``force``): a :class:`ConfigError`. A file
    with the default name is fitness's own, even when damaged (it is regenerated)."""
    if config is not None and _same_file(path, config):
        raise ConfigError(
            "is the configuration file; the baseline must be a file of its own "
            f"(default {DEFAULT_BASELINE})",
            str(path),
        )
    if force or not os.path.lexists(path):
        return
    if not path.is_file() or not (path.name == DEFAULT_BASELINE or is_fitness_baseline(path)):
        raise ConfigError(
            f'exists and is not a fitness baseline (a JSON object with "tool": '
            f'"{BASELINE_TOOL}"); it was left as it is: choose another file, or use --force '
            "to replace it",
            str(path),
        )


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return os.path.abspath(one) == os.path.abspath(other)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock for read-merge-write of ``path``: ``flock`` on its directory,
    so that no lock file is left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    descriptor = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def update_baseline(
    path: Path,
    change: Callable[[Baseline], Baseline],
    *,
    read_current: bool = True,
    config: Path | None = None,
    force: bool = False,
) -> Baseline:
    """Read the baseline (empty if absent), apply ``change``, write it back, under the lock.

    A corrupt existing file is an error (it is never silently overwritten), unless
    ``read_current`` is false: the new baseline then replaces it whole, if it is a
    baseline (or ``force``). The configuration file ``config`` is never replaced. A file
    of an earlier format keeps its metric values and loses its entries, which the update
    records anew, chain by chain.
    """
    if config is not None or not read_current:
        check_may_replace(path, config=config, force=force or read_current)
    try:
        with locked(path):
            current = (
                read_baseline(path, legacy_ok=True)
                if read_current and path.exists()
                else _model.Baseline()
            )
            new = change(current)
            write_text_safely(path, dumps(new))
    except OSError as error:
        raise ConfigError(
            f"cannot write the baseline: {os_reason(error, path)}", str(path)
        ) from None
    return new


class BaselineFile:
    """A baseline file to write: implements :class:`fitness.application.ports.BaselineStore`.

    ``config`` (the configuration file) is never replaced; an existing file that is not
    a baseline only with ``force``."""

    def __init__(self, path: Path, *, config: Path | None = None, force: bool = False) -> None:
        self.path = path
        self.config = config
        self.force = force

    def check_may_replace(self) -> None:
        check_may_replace(self.path, config=self.config, force=self.force)

    def read(self) -> Baseline:
        if not os.path.lexists(self.path):
            return _model.Baseline()
        return read_baseline(self.path, legacy_ok=True)

    def write(self, change: Callable[[Baseline], Baseline], *, merge: bool) -> Baseline:
        return update_baseline(
            self.path, change, read_current=merge, config=self.config, force=self.force
        )


def os_reason(error: OSError, path: Path) -> str:
    """Why a file operation on ``path`` failed, naming the file at fault if it is another
    (a parent directory that is a file, for instance)."""
    reason = error.strerror or str(error)
    if error.filename is not None and Path(os.fsdecode(error.filename)) != path:
        culprit = os.fsdecode(error.filename)
        if isinstance(error, FileExistsError | NotADirectoryError):
            return f"{culprit} is not a directory"
        return f"{culprit}: {reason}"
    return reason
