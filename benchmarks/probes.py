"""Measurements that run inside the benchmark's virtualenv, one per process.

``run.py`` starts ``python probes.py PROBE ARGS...``; the probe times only the
work itself (not the interpreter's start-up or its imports) and prints one JSON
object. Each probe runs in a fresh process, so no in-memory cache carries over.

    graph TOOL PROJECT_DIR PACKAGE    build the import graph with one tool, no cache:
                                      CPU seconds (this process and its children)
    pairs PROJECT_DIR PACKAGE COUNT   COUNT (source, forbidden) pairs of packages: most
                                      where the source does not import the other
    floor PROJECT_DIR PACKAGE         what a cold check does besides grimp's build, part by
                                      part (the files listed, read, checked, scanned)
    versions                          the versions of everything measured

and, by hand, to see where a run's time goes:

    phases PROJECT_DIR MODE           fitness's graph, rules and metrics on a project
    chains PROJECT_DIR                the layers rules' routes: grimp's search against
                                      fitness's canonical one (warm graph)
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def cpu() -> float:
    """User + system seconds of this process (all its threads) and its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def graph(tool: str, project: Path, package: str) -> dict[str, Any]:
    """The graph built by one tool: wall seconds and CPU seconds of the build alone."""
    sys.path.insert(0, str(project))  # for the tools that locate packages on sys.path
    used = cpu()
    if tool == "fitness":
        from fitness.adapters.packages import GrimpGraphBuilder
        from fitness.domain.config import GraphSettings

        settings = GraphSettings((package,), include_external_packages=True)
        builder = GrimpGraphBuilder(project, cache_dir=None, sys_path=[])
        start = time.perf_counter()
        built = builder.build(settings)
        elapsed = time.perf_counter() - start
        size = len(built.modules)
    elif tool == "grimp":
        import grimp

        start = time.perf_counter()
        g = grimp.build_graph(package, include_external_packages=True, cache_dir=None)
        elapsed = time.perf_counter() - start
        size = len(g.modules)
    elif tool == "pytestarch":
        from pytestarch import get_evaluable_architecture

        start = time.perf_counter()
        arch = get_evaluable_architecture(str(project / package), str(project / package))
        elapsed = time.perf_counter() - start
        size = len(getattr(getattr(arch, "_graph", None), "nodes", ()))
    elif tool == "pytest-archon":
        from pytest_archon.collect import collect_imports, walk

        start = time.perf_counter()
        imports = collect_imports(package, walk)
        elapsed = time.perf_counter() - start
        size = len(imports)
    else:
        raise SystemExit(f"unknown tool {tool}")
    return {"seconds": elapsed, "cpu": cpu() - used, "modules": size}


def floor_parts(project: Path, package: str) -> dict[str, Any]:
    """CPU seconds of each part of a cold check's own work (what grimp's bare build does
    not do), in this process, next to grimp's build of the same package without its
    imports: listing the package as grimp does (no directory without ``__init__.py``
    inside a package) and with the namespace packages Python can import (issue 20);
    reading every file in Python; the limits checked on the bytes before grimp reads them
    (issue 19); the facts read from them (dynamic imports, suppressions)."""
    import grimp

    from fitness.adapters import source_files
    from fitness.adapters.source_files import scan_package
    from fitness.adapters.source_limits import check_source, read_source
    from fitness.adapters.source_scan import scan_file

    sys.path.insert(0, str(project))
    directory = str(project / package)
    parts: dict[str, Any] = {}

    def timed(name: str, action: Callable[[], T]) -> T:
        used = cpu()
        result = action()
        parts[name] = cpu() - used
        return result

    def check_all(data: list[bytes]) -> None:
        for path, source in zip(files, data, strict=True):
            check_source(path, source)

    timed(
        "grimp build (no imports)",
        lambda: grimp.build_graph(package, include_external_packages=True, cache_dir=None),
    )
    # As grimp lists: without looking into the directories that have no __init__.py.
    holds_python = source_files._holds_python
    source_files._holds_python = lambda directory: False
    try:
        timed("listing, packages only (as grimp)", lambda: scan_package(package, directory))
    finally:
        source_files._holds_python = holds_python
    listed = timed("listing, every directory", lambda: scan_package(package, directory))
    files = [f.path for f in listed.files]
    data = timed("reading each file", lambda: [read_source(path) for path in files])
    timed("limits", lambda: check_all(data))
    timed(
        "facts",
        lambda: [scan_file(package, path, d) for path, d in zip(files, data, strict=True)],
    )
    return {"files": len(files), "cpu": parts}


def pairs(project: Path, package: str, count: int) -> dict[str, Any]:
    """``count`` pairs (source, forbidden) of the package's modules two and three names
    deep, one in twenty where the source imports the other (directly or not), the rest
    where it does not; picked evenly from the sorted candidates, so always the same."""
    import grimp

    sys.path.insert(0, str(project))
    built = grimp.build_graph(package, cache_dir=None)
    candidates = sorted(m for m in built.modules if m.count(".") in (1, 2))
    below = {b: {m for m in built.modules if m == b or m.startswith(b + ".")} for b in candidates}
    holding, broken = [], []
    for source in candidates:
        reached = built.find_upstream_modules(source, as_package=True)
        for target in candidates:
            if (
                source == target
                or target.startswith(source + ".")
                or source.startswith(target + ".")
            ):
                continue
            (broken if below[target] & reached else holding).append((source, target))
    wanted_broken = count // 20

    def evenly(items: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
        n = min(n, len(items))
        return [items[i * len(items) // n] for i in range(n)] if n else []

    chosen = sorted(evenly(holding, count - wanted_broken) + evenly(broken, wanted_broken))
    return {"pairs": chosen, "holding": min(len(holding), count - wanted_broken)}


def phases(project: Path, mode: str) -> dict[str, Any]:
    """``graph-cold``, ``graph-warm``, ``rules`` or ``metrics`` (each after a graph)."""
    from fitness.adapters.config.source import load_config
    from fitness.adapters.session import GraphSession
    from fitness.application.checking import check_rules

    loaded = load_config(project / "pyproject.toml")
    session = GraphSession(loaded, use_cache=mode != "graph-cold")
    start = time.perf_counter()
    built = session.graph()
    result: dict[str, Any] = {"graph_seconds": time.perf_counter() - start}
    result["modules"] = len(built.internal_modules)
    result["imports"] = built.grimp.count_imports()
    if mode == "rules":
        rules = [r for r in loaded.config.rules if r.type_name != "metrics"]
        results = []
        result["per_rule"] = {}
        in_grimp = _time_grimp_searches()
        for rule in rules:
            start = time.perf_counter()
            results += check_rules([rule], built)
            result["per_rule"][rule.type_name] = time.perf_counter() - start
        result["seconds"] = sum(result["per_rule"].values())
        # grimp's own searches that grow faster than the graph (the same calls
        # import-linter makes): the rest of the rules' time is fitness's.
        result["grimp_searches_seconds"] = in_grimp[0]
        result["rules"] = len(rules)
        result["violations"] = sum(len(r.violations) for r in results)
        result["errors"] = [e for r in results for e in r.errors]
    elif mode == "metrics":
        try:
            from fitness.metrics import measure
        except ImportError:
            return {**result, "seconds": None, "missing": "fitness.metrics.measure"}
        start = time.perf_counter()
        report = measure(built, depth=3)
        result["seconds"] = time.perf_counter() - start
        result["packages"] = len(report.packages)
        result["classes"] = len(report.classes)
    else:
        result["seconds"] = result["graph_seconds"]
    return result


def chains(project: Path) -> dict[str, Any]:
    """What choosing chains canonically costs: the routes of every ``layers`` rule
    found by grimp (ties broken by the order it holds modules in) and by fitness
    (the lexicographically smallest of the shortest), on the same warm graph."""
    import grimp

    from fitness.adapters.config.source import load_config
    from fitness.adapters.session import GraphSession
    from fitness.domain.rules.support import Level, illegal_dependencies_for_layers

    loaded = load_config(project / "pyproject.toml")
    built = GraphSession(loaded, use_cache=True).graph()
    layered = [r for r in loaded.config.rules if r.type_name == "layers"]
    grimp_seconds = canonical_seconds = 0.0
    routes = 0
    for rule in layered:
        layers = rule.parsed_layers  # type: ignore[attr-defined]
        start = time.perf_counter()
        built.grimp.find_illegal_dependencies_for_layers(
            layers=[grimp.Layer(*layer.names, independent=layer.independent) for layer in layers]
        )
        grimp_seconds += time.perf_counter() - start
        fresh = built.copy()  # nothing memoised from an earlier search
        start = time.perf_counter()
        found = illegal_dependencies_for_layers(
            fresh, [Level(layer.names, layer.independent) for layer in layers]
        )
        canonical_seconds += time.perf_counter() - start
        routes += sum(len(d.routes) for d in found)
    return {
        "seconds": canonical_seconds,
        "grimp_seconds": grimp_seconds,
        "routes": routes,
    }


def _time_grimp_searches() -> list[float]:
    """Time spent in grimp's ``nominate_cycle_breakers`` and in the chain search of
    ``forbidden`` (grimp's ``find_shortest_chains`` made canonical: ``ForbiddenRule._chains``)
    from now on (a one-item list, updated as they are called)."""
    import grimp

    from fitness.domain.rules.imports.forbidden import ForbiddenRule

    total = [0.0]
    for owner, name in (
        (grimp.ImportGraph, "nominate_cycle_breakers"),
        (ForbiddenRule, "_chains"),
    ):
        original = getattr(owner, name)

        def timed(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                total[0] += time.perf_counter() - start

        setattr(owner, name, timed)
    return total


def versions() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    names = [
        "pytest-fitness",
        "grimp",
        "import-linter",
        "tach",
        "pytestarch",
        "pytest-archon",
        "pytest",
    ]
    found: dict[str, Any] = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    from fitness.domain import rules

    # --repo may pin a commit from before builtin_rule_types() (BUILTIN_RULE_TYPES then).
    types = (
        rules.builtin_rule_types()
        if hasattr(rules, "builtin_rule_types")
        else rules.BUILTIN_RULE_TYPES
    )
    found["rule_types"] = [t.type_name for t in types]
    found["python"] = sys.version.split()[0]
    return found


def main(argv: list[str]) -> None:
    probe, *args = argv
    if probe == "graph":
        out = graph(args[0], Path(args[1]), args[2])
    elif probe == "phases":
        out = phases(Path(args[0]), args[1])
    elif probe == "chains":
        out = chains(Path(args[0]))
    elif probe == "floor":
        out = floor_parts(Path(args[0]), args[1])
    elif probe == "pairs":
        out = pairs(Path(args[0]), args[1], int(args[2]))
    elif probe == "versions":
        out = versions()
    else:
        raise SystemExit(f"unknown probe {probe}")
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
