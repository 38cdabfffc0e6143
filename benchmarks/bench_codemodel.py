"""Time building the code model (classes and functions) of a package, cold and warm,
next to a plain ``ast.parse`` of the same files.

    python benchmarks/bench_codemodel.py                    # Django (must be installed here)
    python benchmarks/bench_codemodel.py sqlalchemy --repeat 5 --workers 2
    python benchmarks/bench_codemodel.py django --path benchmarks/.work/codebases/django --json -

Installs nothing: the package is located with ``importlib.util.find_spec`` (which
does not import it), or in ``--path`` (the directory that holds it). Its source is
analysed statically.

- ast.parse: read and ``ast.parse`` every file, in this process (one core), as a
  plain loop does it;
- ast.parse, collector paused: the same without the garbage collector's passes over
  the trees (the model pauses it while it parses: compare with this row too);
- ast.parse + bare walk: the same, then every node of each tree visited and nothing
  else done (:func:`parse_and_walk`): what any detail that reads every expression
  costs at least, in Python;
- cold, outline: no cache: every file parsed and its outline read (imports,
  ``__all__``, classes and functions with their bases, decorators and methods: what
  class rules and ``modular_monolith`` read), in ``--workers`` processes when there
  are many, the cache written;
- cold, calls: the same with the calls of every function (what call rules read);
- cold, all: the same with every detail (the calls, and what every method uses:
  what call rules and the class metrics read);
- cold, all, 1 core: the same without worker processes;
- warm: every file read and hashed, its model loaded from the cache (modules are
  made when first asked for);
- warm + all: warm, then every class and function made (what a rule over the
  whole codebase pays).

Each figure is the median of ``--repeat`` runs, in wall-clock seconds and in CPU
seconds (this process and its worker processes), which a busy machine inflates
less, with the CPU time as a multiple of ``ast.parse``'s. Nothing is asserted: the
numbers are for the docs and for regressions to be noticed.
"""

from __future__ import annotations

import argparse
import ast
import gc
import importlib.util
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fitness.adapters.codemodel import CachedCodeModelReader
from fitness.domain.code import Detail


def locate(package: str) -> Path:
    """The directory that holds ``package`` (its parent), without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"bench_codemodel: package {package!r} is not installed here")
    return Path(next(iter(spec.submodule_search_locations))).parent


def module_files(project: Path, package: str) -> dict[str, str]:
    files = {}
    for path in sorted((project / package).rglob("*.py")):
        relative = path.relative_to(project)
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if all(part.isidentifier() for part in parts):
            files[".".join(parts)] = relative.as_posix()
    return files


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action: Callable[[], Any]) -> tuple[float, float]:
    wall, used = time.perf_counter(), cpu()
    action()
    return time.perf_counter() - wall, cpu() - used


def parse_all(project: Path, files: dict[str, str]) -> None:
    for file in files.values():
        ast.parse((project / file).read_bytes())


def parse_all_paused(project: Path, files: dict[str, str]) -> None:
    """:func:`parse_all` with the garbage collector paused, as the code model parses: a
    plain loop pays for collections of the trees it makes (8 % of the parse on Django,
    24 % on SymPy), which the model does not."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        parse_all(project, files)
    finally:
        if collecting:
            gc.enable()


#: Fields that never hold a node to visit (what a walk over the code skips at once).
_LEAF_FIELDS = frozenset({"ctx", "op", "ops", "id", "attr", "arg", "name", "names", "module",
                          "level", "kind", "is_async", "conversion", "simple", "type_ignores",
                          "type_comment", "value_kind"})  # fmt: skip
_FIELDS: dict[type, tuple[str, ...]] = {}


def parse_and_walk(project: Path, files: dict[str, str]) -> int:
    """``ast.parse`` every file, then visit every node of its tree doing nothing else, on
    an explicit stack as the code model's scans do: the least that any detail that
    reads every expression (the calls, what a method uses) can cost in Python."""
    visited = 0
    for file in files.values():
        stack: list[Any] = [ast.parse((project / file).read_bytes())]
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            visited += 1
            kind = node.__class__
            fields = _FIELDS.get(kind)
            if fields is None:
                fields = _FIELDS[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
            for field in fields:
                child = getattr(node, field)
                if child.__class__ is list:
                    for item in child:
                        if isinstance(item, ast.AST):
                            push(item)
                elif isinstance(child, ast.AST):
                    push(child)
    return visited


def build(
    project: Path,
    files: dict[str, str],
    cache: Path,
    workers: int,
    *,
    detail: Detail = Detail.ALL,
    full: bool = False,
) -> None:
    reader = CachedCodeModelReader(project, cache_dir=cache, workers=workers)
    model = reader.model(files, detail=detail)
    model.modules.read_all()
    if full:
        for _ in model.functions():
            pass


def measure(project: Path, package: str, repeat: int, workers: int) -> dict[str, Any]:
    files = module_files(project, package)
    runs: dict[str, list[tuple[float, float]]] = {}

    def record(name: str, action: Callable[[], Any]) -> None:
        runs.setdefault(name, []).append(timed(action))

    with tempfile.TemporaryDirectory(prefix="bench-codemodel-") as tmp:
        for index in range(repeat):
            record("ast.parse (1 core)", lambda: parse_all(project, files))
            record("ast.parse, collector paused (1 core)", lambda: parse_all_paused(project, files))
            record("ast.parse + bare walk (1 core)", lambda: parse_and_walk(project, files))
            outline = Path(tmp) / f"outline{index}"
            record(
                f"cold, outline ({workers} workers)",
                lambda outline=outline: build(
                    project, files, outline, workers, detail=Detail.OUTLINE
                ),
            )
            calls = Path(tmp) / f"calls{index}"
            record(
                f"cold, calls ({workers} workers)",
                lambda calls=calls: build(project, files, calls, workers, detail=Detail.CALLS),
            )
            cold = Path(tmp) / f"cold{index}"
            record(
                f"cold, all ({workers} workers)",
                lambda cold=cold: build(project, files, cold, workers),
            )
            single = Path(tmp) / f"single{index}"
            record("cold, all (1 core)", lambda single=single: build(project, files, single, 1))
            record("warm", lambda cold=cold: build(project, files, cold, workers))
            record("warm + all", lambda cold=cold: build(project, files, cold, workers, full=True))
    return {
        "package": package,
        "modules": len(files),
        "workers": workers,
        "repeat": repeat,
        "cores": os.cpu_count(),
        "load": os.getloadavg()[0],
        "phases": {
            name: {
                "wall": statistics.median(w for w, _ in times),
                "cpu": statistics.median(c for _, c in times),
            }
            for name, times in runs.items()
        },
    }


def report(result: dict[str, Any]) -> str:
    lines = [
        f"code model of {result['package']}: {result['modules']} modules; "
        f"{result['cores']} cores, load average {result['load']:.1f} at the end; "
        f"median of {result['repeat']}",
        f"{'phase':<30} {'wall s':>8} {'cpu s':>8} {'cpu / ast.parse':>16}",
    ]
    parse = result["phases"]["ast.parse (1 core)"]["cpu"]
    for name, figures in result["phases"].items():
        ratio = figures["cpu"] / parse if parse else float("nan")
        lines.append(f"{name:<30} {figures['wall']:>8.3f} {figures['cpu']:>8.3f} {ratio:>15.2f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", nargs="?", default="django")
    parser.add_argument("--path", type=Path, help="the directory that holds the package")
    parser.add_argument("--repeat", type=int, default=3, help="runs per phase (median)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes when cold")
    parser.add_argument("--json", metavar="FILE", help="also write the results here (- : stdout)")
    args = parser.parse_args(argv)
    project = args.path.resolve() if args.path else locate(args.package)
    result = measure(project, args.package, args.repeat, args.workers)
    if args.json == "-":
        sys.stdout.write(json.dumps(result) + "\n")
        return 0
    print(report(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
