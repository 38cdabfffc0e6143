"""A ``fitness check`` of what has not changed says again what it said, at the cost of
noticing that nothing changed.

A warm run with the graph cached still imports fitness and grimp, rebuilds grimp's
graph and checks every rule: on SymPy, a fifth of import-linter's warm run. Most
warm runs check exactly what the last one checked. So when a ``fitness check``
ends, what it printed and its exit code are cached (sealed, as every cache entry of
fitness, :mod:`fitness.adapters.cache_store`) with what it was computed from; the
next one with the same command line, before importing anything heavy, compares:

- the fingerprint of the run: the command line, the working directory, the
  environment variables fitness or its output depend on, whether the output is a
  terminal and its encoding, Python, the installed distributions (the names of their
  metadata directories on ``sys.path``: an install, upgrade or removal changes them),
  fitness's own files, and the configuration file's bytes;
- the other files the run read: the baseline (or its absence), the ADR records
  (:data:`Stamp`);
- the root packages, located again, and their listing (every module's file, by time
  and size: the key of the graph cache).

If all match, the output is written again, byte for byte, and nothing else is done.
Only what is known to read nothing else is replayed: the built-in rule types but
``dependencies`` (it reads the installed distributions' metadata), no plugins, no
report file (``--output``), no job summary (``$GITHUB_STEP_SUMMARY``), a run that
wrote nothing to standard error (a note or a warning is said by the run it is
about), an exit code of 0 or 1, and only the options of :data:`_OPTIONS`; anything
else runs in full. ``--no-cache`` runs in full too.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from fitness._version import __version__ as FITNESS_VERSION
from fitness.adapters.cache_store import CacheStore, cache_location, open_cache
from fitness.adapters.config.discovery import resolve_config
from fitness.adapters.package_dirs import find_package_dirs, search_paths
from fitness.adapters.source_files import RACY_NS, listing_digest, scan_package

#: Bump when what an entry holds, or how it is keyed, changes.
FORMAT = 1
#: The configuration's ``cache_dir`` when it names none (``fitness.domain.config``'s,
#: which this light module does not import; a test keeps them equal).
DEFAULT_CACHE_DIR = ".fitness_cache"
#: Environment variables the output may depend on (and every ``FITNESS_*`` one but the key).
_ENVIRONMENT = (
    "PYTHONPATH",
    "PYTHONUTF8",
    "PYTHONIOENCODING",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLUMNS",
    "CI",
    "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY",
)
_SECRET = "FITNESS_CACHE_KEY"
#: The options of ``fitness check`` a replay knows, and whether each takes a value
#: (``None``: an optional one, ``--blind-spots [MODE]``). Any other word: a full run.
_OPTIONS: dict[str, bool | None] = {
    "--config": True,
    "--format": True,
    "--rule": True,
    "--baseline": True,
    "--quiet": False,
    "-q": False,
    "--verbose": False,
    "-v": False,
    "--no-baseline": False,
    "--strict-baseline": False,
    "--full": False,
    "--blind-spots": None,
}
#: The largest entry read (a report of many violations is megabytes).
_LIMIT = 256 * 1024 * 1024
#: A file the run read besides the configuration and the package files, as it was:
#: ``(path, kind, mtime_ns, size)``, ``kind`` being "file", "dir", "other" or "none".
Stamp = tuple[str, str, int, int]


class Command(NamedTuple):
    """A ``fitness check`` command line a replay knows (:func:`parse`)."""

    words: tuple[str, ...]
    config: str | None
    format: str


def parse(words: Sequence[str]) -> Command | None:
    """``words`` (after the program's name) as a replayable ``fitness check``, or None:
    another command, ``--no-cache``, an option not in :data:`_OPTIONS` (abbreviated,
    ``--output``...), a format that writes elsewhere too."""
    if not words or words[0] != "check":
        return None
    values: dict[str, str] = {}
    index = 1
    while index < len(words):
        word = words[index]
        name, equals, value = word.partition("=")
        if name not in _OPTIONS:
            return None
        takes = _OPTIONS[name]
        if takes is False and equals:
            return None
        if takes is True and not equals:
            index += 1
            if index >= len(words):
                return None
            value = words[index]
        optional = takes is None and not equals and index + 1 < len(words)
        if optional and not words[index + 1].startswith("-"):
            index += 1
            value = words[index]
        values[name] = value
        index += 1
    output_format = values.get("--format", "text")
    if output_format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        return None  # (the job summary is appended to: not a replay's to do)
    return Command(tuple(words), values.get("--config"), output_format)


def replay(words: Sequence[str], stdout: TextIO, stderr: TextIO) -> int | None:
    """If ``words`` is a ``fitness check`` whose result is cached and nothing it read
    changed: write what it wrote and return its exit code; else None (and nothing is
    written: the run goes on in full). Never raises."""
    try:
        found = _replayable(words, stdout, stderr)
    except Exception:  # whatever is odd about this run: it runs in full, which says it
        return None
    if found is None:
        return None
    code, out, err = found
    stdout.write(out)
    stderr.write(err)
    return code


def _replayable(
    words: Sequence[str], stdout: TextIO, stderr: TextIO
) -> tuple[int, str, str] | None:
    command = parse(words)
    if command is None:
        return None
    config = resolve_config(Path(command.config) if command.config else None, Path.cwd())
    if config is None or not config.is_file():
        return None
    config_bytes = config.read_bytes()
    store = _store(config, config_bytes)
    if store is None:
        return None
    raw = store.read(_entry_name(command, config), limit=_LIMIT)
    if raw is None:
        _rejected.append(store.rejected)  # (said by the full run: rejected_entries)
        return None
    entry = json.loads(raw)
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    if entry.get("fingerprint") != fingerprint(command, config, config_bytes, stdout, stderr):
        return None
    if any(stamp(path) != list(recorded) for path, *recorded in entry["stamps"]):
        return None
    graph = entry["graph"]
    packages = _listing(
        config.parent,
        graph["roots"],
        max_file_size=graph["max_file_size"],
        namespaces=graph["namespaces"],
    )
    if packages is None or listing_digest(packages) != graph["listing"]:
        return None
    code, out, err = entry["code"], entry["stdout"], entry["stderr"]
    if not (isinstance(code, int) and isinstance(out, str) and isinstance(err, str)):
        return None
    return code, out, err


#: Entries the replay of this process found not sealed with this user's key.
_rejected: list[int] = []


def rejected_entries() -> int:
    """How many cache entries the replay found that fitness did not write here (then the
    run went on in full, and its cache note counts them): once."""
    count = sum(_rejected)
    _rejected.clear()
    return count


def record(
    store: CacheStore | None,
    command: Command | None,
    config: Path,
    graph: Mapping[str, Any],
    inputs: Iterable[Path],
    *,
    code: int,
    out: str,
    err: str,
    stdout: TextIO,
    stderr: TextIO,
) -> bool:
    """Cache what a ``fitness check`` wrote (``out``, ``err``, ``code``) for :func:`replay`.
    ``graph``: how its packages were listed (``roots``, ``max_file_size``,
    ``namespaces``, and the ``listing`` digest); ``inputs``: the other files it read
    (or looked for). ``False`` if it was not cached."""
    if store is None or command is None or code not in (0, 1):
        return False
    stamps = [[str(path), *stamp(str(path))] for path in sorted(set(inputs))]
    if any(mtime >= time.time_ns() - RACY_NS for _, _, mtime, _ in stamps):
        return False  # (changed too recently for its time to tell a change: RACY_NS)
    config_bytes = config.read_bytes()
    entry = {
        "format": FORMAT,
        "fingerprint": fingerprint(command, config, config_bytes, stdout, stderr),
        "stamps": stamps,
        "graph": dict(graph),
        "code": code,
        "stdout": out,
        "stderr": err,
    }
    name = _entry_name(command, config)
    data = json.dumps(entry).encode()
    if store.read(name, limit=_LIMIT) == data:
        return True  # (already cached: a run that was not replayed writes nothing new)
    return store.write(name, data)


def fingerprint(
    command: Command, config: Path, config_bytes: bytes, stdout: TextIO, stderr: TextIO
) -> str:
    """What a run's output depends on besides the files it reads (module docstring)."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if (name.startswith("FITNESS_") and name != _SECRET) or name in _ENVIRONMENT
    }
    streams = [
        (_isatty(s), getattr(s, "encoding", None), getattr(s, "errors", None))
        for s in (stdout, stderr)
    ]
    head = (
        FORMAT,
        FITNESS_VERSION,
        sys.version,
        sys.executable,
        sys.platform,
        command.words,
        os.getcwd(),
        sorted(environment.items()),
        streams,
        str(config.resolve()),
        hashlib.sha256(config_bytes).hexdigest(),
    )
    digest = hashlib.sha256(repr(head).encode())
    digest.update(repr(_distributions()).encode())
    digest.update(repr(_own_files()).encode())
    return digest.hexdigest()


def stamp(path: str) -> list[Any]:
    """``[kind, mtime_ns, size]`` of the file at ``path`` (kind: "file", "dir", "other",
    or "none" when there is none)."""
    try:
        info = os.stat(path)
    except OSError:
        return ["none", 0, 0]
    if stat.S_ISREG(info.st_mode):
        kind = "file"
    elif stat.S_ISDIR(info.st_mode):
        kind = "dir"
    else:
        kind = "other"
    return [kind, info.st_mtime_ns, info.st_size]


def _entry_name(command: Command, config: Path) -> str:
    key = repr((command.words, os.getcwd(), str(config.resolve())))
    return f"replay/{hashlib.sha256(key.encode()).hexdigest()[:24]}.json"


def _store(config: Path, config_bytes: bytes) -> CacheStore | None:
    """The run's cache, where the configuration puts it, if it exists (none is made)."""
    cache_dir = DEFAULT_CACHE_DIR
    if config.suffix == ".toml":
        import tomllib  # (only for a TOML configuration)

        table = tomllib.loads(config_bytes.decode("utf-8")).get("tool", {}).get("fitness", {})
        cache_dir = table.get("cache_dir", DEFAULT_CACHE_DIR) if isinstance(table, dict) else ""
        if not isinstance(cache_dir, str) or not cache_dir:
            return None
    located = cache_location(config.parent, cache_dir)
    if located is None or not located[0].is_dir():
        return None
    return open_cache(config.parent, cache_dir).store


def _listing(
    project_dir: Path, roots: Sequence[str], *, max_file_size: int, namespaces: bool
) -> list[Any] | None:
    """The root packages, located and listed as the run did (None if one is not found)."""
    paths = search_paths(project_dir.resolve())
    located = {name: find_package_dirs(name, paths) for name in roots}
    inside = [str(project_dir.resolve())] + [str(d) for ds in located.values() for d in ds]
    return [
        scan_package(
            name,
            str(directory),
            stat=True,
            inside=inside,
            max_file_size=max_file_size,
            namespaces=namespaces,
        )
        for name, directories in located.items()
        for directory in directories
    ]


def _distributions() -> list[tuple[str, list[str]]]:
    """The metadata directories (and ``.pth`` files) of each directory on ``sys.path``."""
    found = []
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as entries:
                names = sorted(
                    e.name for e in entries if e.name.endswith((".dist-info", ".egg-info", ".pth"))
                )
        except OSError:
            continue
        found.append((entry, names))
    return found


def _own_files() -> list[tuple[str, int, int]]:
    """fitness's own files (an editable install changes without a new version)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # (fitness/)
    found = []
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        stack.append(entry.path)
                else:
                    info = entry.stat()
                    found.append((entry.path[len(root) :], info.st_mtime_ns, info.st_size))
    return sorted(found)


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Recording:
    """Passes what is written on to ``stream``, and keeps it (:func:`record`)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return self.stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    @property
    def text(self) -> str:
        return "".join(self.parts)
