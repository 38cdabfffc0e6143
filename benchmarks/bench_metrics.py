"""Time every metric of a large package, cold and warm.

    python benchmarks/bench_metrics.py            # SymPy (must be installed here)
    python benchmarks/bench_metrics.py django --repeat 5

Installs nothing: the package must be importable in the running environment
(``pip install sympy``), and is located with ``importlib.util.find_spec``,
which finds a top-level package without importing it. The package's source is
then analysed statically, as pytest-fitness always does.

Cold: no cache at all (the import graph is built by grimp from scratch and
every module is parsed for its classes). Warm: the graph cache and the class
facts cache (keyed by file content) are both filled. Each phase is timed
separately; warm numbers are the median of ``--repeat`` runs. Nothing here is
asserted: the numbers are printed for the README and for regressions to be
noticed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from fitness.adapters.codemodel import attach_code_model
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.domain.config import GraphSettings
from fitness.metrics import measure, stable_abstractions_breaches, stable_dependencies_breaches

T = TypeVar("T")


def locate(package: str) -> Path:
    """The directory that holds ``package`` (its parent), without importing it."""
    if "." in package:
        sys.exit(f"bench_metrics: give a top-level package, not {package!r}")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(
            f"bench_metrics: package {package!r} is not installed here (pip install {package})"
        )
    return Path(next(iter(spec.submodule_search_locations))).parent


def cpu_seconds() -> float:
    """CPU seconds of this process and of the worker processes it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


#: Wall-clock seconds, or CPU seconds of this process and its workers, which a busy
#: shared machine inflates much less.
CLOCKS = {"wall": time.perf_counter, "cpu": cpu_seconds}
clock = CLOCKS["wall"]


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = clock()
    result = action()
    return result, clock() - start


def run_once(package: str, project: Path, cache: Path | None, depth: int) -> dict[str, float]:
    settings = GraphSettings(root_packages=(package,))
    graph, t_graph = timed(lambda: GrimpGraphBuilder(project, cache_dir=cache).build(settings))
    attach_code_model(graph, project, cache_dir=cache)
    facts, t_facts = timed(graph.class_facts)
    report, t_measure = timed(lambda: measure(graph, facts, depth=depth))
    _, t_principles = timed(
        lambda: (
            stable_dependencies_breaches(report.package_graph),
            stable_abstractions_breaches(
                report.package_graph, {p.package: p.abstractness for p in report.packages}
            ),
        )
    )
    return {
        "graph": t_graph,
        "class facts": t_facts,
        "metrics": t_measure + t_principles,
        "total": t_graph + t_facts + t_measure + t_principles,
        "modules": len(graph.internal_modules),
        "classes": len(report.classes),
        "packages": len(report.packages),
        "propagation cost": report.system.propagation_cost or 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", nargs="?", default="sympy")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs (median reported)")
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument(
        "--clock", choices=sorted(CLOCKS), default="wall", help="wall (default) or cpu seconds"
    )
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    project = locate(args.package)

    with tempfile.TemporaryDirectory(prefix="bench-metrics-") as tmp:
        cache = Path(tmp) / "cache"
        cold = run_once(args.package, project, cache, args.depth)  # fills both caches
        uncached = run_once(args.package, project, None, args.depth)
        warm_runs = [run_once(args.package, project, cache, args.depth) for _ in range(args.repeat)]

    warm = {key: statistics.median(run[key] for run in warm_runs) for key in warm_runs[0]}
    print(
        f"{args.package}: {cold['modules']:.0f} modules, {cold['classes']:.0f} classes, "
        f"{cold['packages']:.0f} packages at depth {args.depth}; "
        f"propagation cost {cold['propagation cost']:.3f}"
    )
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
    print(
        f"{'phase':<12} {'cold':>8} {'no cache':>9} {'warm':>8}   "
        f"({args.clock} seconds; warm: median of {args.repeat})"
    )
    for phase in ("graph", "class facts", "metrics", "total"):
        print(f"{phase:<12} {cold[phase]:>8.3f} {uncached[phase]:>9.3f} {warm[phase]:>8.3f}")


if __name__ == "__main__":
    main()
