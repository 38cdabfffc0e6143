"""Time test impact analysis (``fitness affected``, ``pytest --fitness-affected``) on a
generated project, against running every test and against ``tach test``.

    python benchmarks/bench_affected.py                      # 1,000 modules
    python benchmarks/bench_affected.py --size 5000 --keep /tmp/affected5k
    python benchmarks/bench_affected.py --tach /tmp/tachvenv/bin/tach

The project is a layered package ``app`` of ``--size`` modules (five layers of ten
packages; each module imports three modules of lower layers and one of its own
package, half of them in a function: no cycles, so the tests can import it), with a
test file for every five modules (each imports two of them and has three small tests)
and a ``conftest.py``, committed to a temporary git repository on ``main``. Each
scenario changes one module in the working tree:

- ``leaf``: a module of the top layer, which no other module imports;
- ``core``: the first module of the bottom layer, which much of the package reaches.

For each: ``fitness affected main`` cold (no cache) and warm (the median of five runs),
the selection's own CPU time inside a warm ``pytest --collect-only
--fitness-affected=main`` (its hook timed), ``pytest --fitness-affected=main`` warm
against plain ``pytest`` (everything), and
``tach test --base main`` when a ``tach`` is given (``--tach``; it needs a
``tach.toml``, written with one tach module per package of ``app`` and the packages
it depends on). Times are
wall-clock and CPU (user + system of the child processes). Nothing is asserted: the
numbers are printed for docs/pytest.md and for regressions to be noticed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


LAYERS = ("interface", "application", "services", "domain", "core")
PACKAGES_PER_LAYER = 10


def build(size: int, target: Path, *, seed: int = 7) -> list[list[list[str]]]:
    """The project, committed on ``main``; its modules by layer and package.

    ``app`` has five layers of ten packages each; a module imports three modules of
    lower layers and one earlier module of its own package (an import graph without
    cycles, so that the tests can import it), half of them in a function. A test file
    for every five modules imports two of them."""
    rng = random.Random(seed)
    per_package = max(1, size // (len(LAYERS) * PACKAGES_PER_LAYER))
    modules = [
        [[f"app.{layer}.p{p}.m{m}" for m in range(per_package)] for p in range(PACKAGES_PER_LAYER)]
        for layer in LAYERS
    ]
    for li, layer in enumerate(modules):
        for pi, package in enumerate(layer):
            directory = target.joinpath("app", LAYERS[li], f"p{pi}")
            directory.mkdir(parents=True, exist_ok=True)
            (directory / "__init__.py").write_text("")
            (directory.parent / "__init__.py").write_text("")
            lower = [m for below in modules[li + 1 :] for p in below for m in p]
            for mi, name in enumerate(package):
                imports = rng.sample(lower, min(3, len(lower)))
                if mi:
                    imports.append(package[rng.randrange(mi)])
                lines = [f'"""Module {name}."""', "import json", ""]
                for index, imported in enumerate(sorted(imports)):
                    if index % 2:
                        lines.append(f"import {imported}")
                lines += ["", "def work(value):"]
                for index, imported in enumerate(sorted(imports)):
                    if not index % 2:
                        lines.append(f"    import {imported}")
                lines += ["    return json.dumps(value)", ""]
                (directory / f"m{mi}.py").write_text("\n".join(lines))
    (target / "app" / "__init__.py").write_text("")
    (target / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\ntestpaths = ["tests"]\npythonpath = ["."]\n'
    )
    tests = target / "tests"
    tests.mkdir()
    (tests / "conftest.py").write_text("import pytest\n")
    flat = [m for layer in modules for package in layer for m in package]
    for index in range(0, len(flat), 5):
        imported = flat[index : index + 2]
        lines = [f"import {name}" for name in imported] + [""]
        for test in range(3):
            lines += [f"def test_{test}():", f"    assert {imported[0]}.work({test})", ""]
        (tests / f"test_{index // 5:04d}.py").write_text("\n".join(lines))
    (target / ".gitignore").write_text(".fitness_cache/\n.tach/\n__pycache__/\n")
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "the project")
    return modules


def git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=repo, env={**os.environ, **ENV}, check=True)


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of ``command``, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout + done.stderr


def median_of(
    runs: int, command: list[str], cwd: Path, env: dict[str, str]
) -> tuple[float, float, str]:
    results = [timed(command, cwd, env) for _ in range(runs)]
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    return wall, cpu, results[-1][2]


def tach_config(project: Path, modules: list[list[list[str]]]) -> None:
    """One tach module per package of ``app``, depending on the packages its modules
    import (as ``tach sync`` would write them)."""
    lines = ['source_roots = ["."]', 'exclude = ["tests"]', ""]
    for li, layer in enumerate(modules):
        for pi in range(len(layer)):
            name = f"app.{LAYERS[li]}.p{pi}"
            directory = project.joinpath(*name.split("."))
            imported = set()
            for file in directory.glob("m*.py"):
                for line in file.read_text().splitlines():
                    words = line.split()
                    if len(words) == 2 and words[0] == "import" and words[1].startswith("app."):
                        imported.add(words[1].rpartition(".")[0])
            depends = ", ".join(f'"{d}"' for d in sorted(imported - {name}))
            lines += ["[[modules]]", f'path = "{name}"', f"depends_on = [{depends}]", ""]
    (project / "tach.toml").write_text("\n".join(lines))


#: pytest --collect-only --fitness-affected=main, printing the CPU time the selection
#: took in the process (its hook timed), on standard error.
SELECTION_IN_PYTEST = """
import sys, time
import pytest
import fitness.pytest_plugin as plugin
original, spent = plugin._affected_files, []
def timed(*args, **kwargs):
    start = time.process_time()
    result = original(*args, **kwargs)
    spent.append(time.process_time() - start)
    return result
plugin._affected_files = timed
pytest.main(["-q", "-p", "no:cacheprovider", "--collect-only", "--fitness-affected=main"])
print(spent[0], file=sys.stderr)
"""


def summary_line(output: str, marker: str) -> str:
    return next((line for line in output.splitlines() if marker in line), "?").strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="build the project here and keep it")
    parser.add_argument("--tach", help="a tach executable (in an environment with pytest)")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="fitness-affected-bench-"))
    project = base / "project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    modules = build(args.size, project)
    cache = base / "cache"
    env = {**os.environ, "FITNESS_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    python = sys.executable
    fitness = [python, "-m", "fitness"]
    pytest = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    scenarios = {
        "leaf": project / "app" / "interface" / "p0" / "m1.py",
        "core": project / "app" / "core" / "p0" / "m0.py",
    }
    print(f"{args.size} modules, {len(list((project / 'tests').glob('test_*.py')))} test files")
    for name, module in scenarios.items():
        original = module.read_text()
        module.write_text(original + "\nCHANGED = True\n")
        shutil.rmtree(cache, ignore_errors=True)
        wall, cpu, out = timed([*fitness, "affected", "main"], project, env)
        print(f"\n[{name}] {summary_line(out, 'fitness:')}")
        print(f"  fitness affected, cold:        {wall:6.2f} s wall {cpu:6.2f} s CPU")
        wall, cpu, _ = median_of(5, [*fitness, "affected", "main"], project, env)
        print(f"  fitness affected, warm:        {wall:6.2f} s wall {cpu:6.2f} s CPU")
        spent = []
        for _ in range(5):
            done = subprocess.run(
                [python, "-c", SELECTION_IN_PYTEST],
                cwd=project,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            spent.append(float(done.stderr.split()[-1]))
        print(
            f"  the selection in pytest, warm:  {statistics.median(spent):6.2f} s CPU "
            "(median of five, in the process)"
        )
        wall, cpu, out = timed([*pytest, "--fitness-affected=main"], project, env)
        print(
            f"  pytest --fitness-affected:     {wall:6.2f} s wall {cpu:6.2f} s CPU  "
            f"({summary_line(out, 'passed')})"
        )
        wall, cpu, out = timed(pytest, project, env)
        print(
            f"  pytest (every test):           {wall:6.2f} s wall {cpu:6.2f} s CPU  "
            f"({summary_line(out, 'passed')})"
        )
        if args.tach:
            tach_config(project, modules)
            tach_env = {**env, "PATH": f"{Path(args.tach).parent}{os.pathsep}{env['PATH']}"}
            wall, cpu, out = timed(
                [
                    args.tach,
                    "test",
                    "--base",
                    "main",
                    "--disable-cache",
                    "--",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                ],
                project,
                tach_env,
            )
            print(
                f"  tach test --base main:         {wall:6.2f} s wall {cpu:6.2f} s CPU  "
                f"({summary_line(out, 'passed') if 'passed' in out else out.strip()[-300:]})"
            )
            (project / "tach.toml").unlink()
        module.write_text(original)
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
