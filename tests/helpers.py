"""Small builders for test projects: a package tree as a dict, a config as TOML text."""

from __future__ import annotations

import os
import shutil
import signal
import textwrap
import time
from collections.abc import Mapping
from pathlib import Path

import grimp

from fitness.domain.graph import ProjectGraph

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def signals_as_default() -> None:
    """In a child process: SIGHUP's and SIGINT's default dispositions. Under ``nohup``
    SIGHUP is ignored, and in a job a shell starts in the background (``bash .ci/run &``)
    SIGINT is; children inherit that, and fitness (as Python) leaves an ignored signal
    ignored, so a test of what a hang-up or a Ctrl-C does would see nothing."""
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def write_files(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``{"pkg/a.py": "import pkg.b"}`` under ``root`` (text is dedented), each file
    as if written a while ago (:func:`settled`)."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        settled(path)
    return root


def settled(path: Path) -> Path:
    """Date the file at ``path`` back a minute (to the nanosecond of now, so that each
    write gets its own time): a cache does not trust the time of a file changed in the
    last two seconds (``fitness.adapters.source_files.RACY_NS``), and a test of what a
    warm run reuses writes its files as if a user had, a while before the run."""
    now = time.time_ns() - 60_000_000_000
    os.utime(path, ns=(now, now))
    return path


def write_project(root: Path, config: str, files: Mapping[str, str]) -> Path:
    """A project: ``pyproject.toml`` with ``config`` (dedented), plus source files."""
    write_files(root, {"pyproject.toml": config, **files})
    return root


def copy_example(name: str, destination: Path) -> Path:
    """Copy ``examples/<name>`` (without caches) to ``destination`` and return it."""
    target = destination / name
    shutil.copytree(
        EXAMPLES / name,
        target,
        ignore=shutil.ignore_patterns(".fitness_cache", "__pycache__", ".pytest_cache"),
    )
    return target


def read_cache_entry(path: Path) -> bytes:
    """The data of a cache entry fitness wrote, without its seal
    (fitness/adapters/cache_store.py)."""
    from fitness.adapters.cache_store import HEADER_SIZE, MAGIC

    raw = path.read_bytes()
    assert raw.startswith(MAGIC), f"{path} is not sealed"
    return raw[HEADER_SIZE:]


def write_cache_entry(cache_dir: Path, path: Path, data: bytes | str) -> None:
    """Write ``data`` to the cache entry ``path`` (under ``cache_dir``) as fitness on this
    machine would: sealed with this user's key, so that a test reaches what fitness
    does with the data itself."""
    from fitness.adapters.cache_store import store_at

    store = store_at(cache_dir)
    assert store is not None
    raw = data.encode() if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(store.seal(path.relative_to(cache_dir).as_posix(), raw))


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" + textwrap.dedent(text).lstrip("\n"))


def fake_graph(
    imports: Mapping[str, list[str] | tuple[str, ...]] | str,
    *,
    roots: tuple[str, ...] | None = None,
    external: bool = False,
) -> ProjectGraph:
    """A graph built in memory, without files.

    ``imports`` maps each module to the modules it imports, or is text with one
    ``importer -> imported`` per line (a bare name declares a module). Every
    ancestor package is added too. Line numbers are 1, 2, ... per importer.
    """
    if isinstance(imports, str):
        pairs: dict[str, list[str]] = {}
        for line in textwrap.dedent(imports).splitlines():
            line = line.strip()
            if not line:
                continue
            importer, _, imported = (part.strip() for part in line.partition("->"))
            pairs.setdefault(importer, [])
            if imported:
                pairs[importer].append(imported)
        imports = pairs
    graph = grimp.ImportGraph()
    modules = set(imports) | {m for targets in imports.values() for m in targets}
    root_packages = roots or tuple(sorted({m.split(".")[0] for m in imports}))
    for module in sorted(modules):
        parts = module.split(".")
        if parts[0] not in root_packages:  # an external package: one squashed node
            graph.add_module(module, is_squashed=True)
            continue
        for i in range(1, len(parts) + 1):
            graph.add_module(".".join(parts[:i]))
    for importer, targets in imports.items():
        for number, imported in enumerate(targets, start=1):
            graph.add_import(
                importer=importer,
                imported=imported,
                line_number=number,
                line_contents=f"import {imported}",
            )
    files = {m: m.replace(".", "/") + ".py" for m in modules}
    return ProjectGraph(
        graph, root_packages, include_external_packages=external, module_files=files
    )
