"""pytest-fitness against import-linter, tach, grimp, PyTestArch and pytest-archon, in one run.

    python benchmarks/run.py                   # everything (see docs/speed.md for how long)
    python benchmarks/run.py --quick           # Django, 5k and 20k modules: a few minutes
    python benchmarks/run.py --json results.json
    python benchmarks/run.py --only floor --only modular   # some parts (repeatable)
    python benchmarks/run.py --before ../before  # also another checkout, run by run
    python benchmarks/run.py --docs docs/speed.md          # the output into the docs too

The first run creates a virtualenv in ``benchmarks/.work/`` with pytest-fitness from
this checkout (``--repo`` measures another) and the pinned competitors, each
installed on its own (one that fails to install gives rows that say so), and unpacks
the Django, SQLAlchemy and SymPy wheels there as plain files: nothing of them is
installed or imported. Each part writes its projects under ``benchmarks/.work/projects``
(the codebase's files, hard-linked, and each tool's configuration), where every
command can be run again by hand.

Every figure is CPU time (user + system) of a fresh process, with the children it
waited for, the median of ``--repeat`` runs; the tools of one comparison run in turn,
round by round (the order reversed every other round), so a change in the machine's
load falls on both alike. A ratio is pytest-fitness's time over the other tool's;
each table shows the goal of issue 25 next to what it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from configs import CONTRACTS, forbidden_rules_ini, forbidden_rules_toml  # noqa: E402
from harness import (  # noqa: E402
    Environment,
    Failure,
    Measured,
    Run,
    failed,
    interleave,
    linked_copy,
    log,
    run,
    setup,
)
from report import report  # noqa: E402

TOOLS = {
    "import-linter": "import-linter==2.16",
    "tach": "tach==0.35.*",
    "pytestarch": "pytestarch==5.1.0",
    "pytest-archon": "pytest-archon==0.0.7",
    "pytest": "pytest==9.2.0",
}
#: name -> (package, the wheel to unpack)
CODEBASES = {
    "django": ("django", "django==6.1.3"),
    "sqlalchemy": ("sqlalchemy", "sqlalchemy==2.1.9"),
    "sympy": ("sympy", "sympy==1.14.0"),
}
SIZES = (5_000, 20_000, 100_000)
QUICK_SIZES = (5_000, 20_000)
RULES = 2_000
PARTS = ("contracts", "floor", "modular", "codemodel", "scaling", "rules", "graphs", "pytest")
#: Each part's codebases, when not every one.
DJANGO_ONLY = ("modular", "rules")


@dataclass
class Bench:
    env: Environment
    work: Path
    repeat: int
    #: The environment of every command: a fixed cache key (FITNESS_CACHE_KEY: no key
    #: file made in the home directory), no PYTHONPATH or FITNESS_CACHE_DIR from outside.
    environ: dict[str, str]
    #: The virtualenv of the checkout given with --before, measured as "fitness before".
    before: Environment | None = None

    def project(self, part: str, codebase: str) -> Path:
        """The part's project for a codebase: the package's files, hard-linked."""
        if codebase not in self.env.codebases:
            why = self.env.codebase_missing.get(codebase, "not unpacked")
            raise Failure(f"{codebase} is not there: {why}")
        package = CODEBASES[codebase][0]
        root = self.work / "projects" / f"{part}-{codebase}"
        root.mkdir(parents=True, exist_ok=True)
        linked_copy(self.env.codebases[codebase] / package, root / package)
        return root

    def command(
        self,
        tool: str,
        command: list[str],
        cwd: Path,
        *,
        before: Callable[[], None] | None = None,
        env: dict[str, str] | None = None,
        ok: tuple[int, ...] = (0, 1),
    ) -> Callable[[], Run]:
        """One run of ``command`` by ``tool`` (a Failure if the tool is not installed)."""

        def one() -> Run:
            if tool != "pytest-fitness":
                self.env.require(tool)
            if before is not None:
                before()
            return run(command, cwd, env or self.environ, ok=ok)

        return one

    def fitness(self, *args: str) -> list[str]:
        return [self.env.command("fitness"), *args]

    def fitnesses(
        self,
        args: list[str],
        cwd: Path,
        *,
        cold: bool = False,
        label: str = "fitness",
        forget: str | None = None,
    ) -> dict[str, Callable[[], Run]]:
        """`fitness ARGS` as contenders: this checkout's, and the --before one's, each
        with its own cache (removed before each run if ``cold``; only its ``forget``
        part, such as ``replay``, if that is given)."""

        def emptied(cache: Path) -> Callable[[], None] | None:
            if cold:
                return clear(cache)
            return clear(cache / forget) if forget else None

        found = {
            label: self.command(
                "pytest-fitness",
                self.fitness(*args),
                cwd,
                before=emptied(cwd / ".fitness_cache"),
            )
        }
        if self.before is not None:
            cache = cwd / ".fitness_cache_before"
            found[f"{label} before"] = self.command(
                "pytest-fitness",
                [self.before.command("fitness"), *args],
                cwd,
                before=emptied(cache),
                env={**self.environ, "FITNESS_CACHE_DIR": str(cache)},
            )
        return found

    def pythons(self) -> dict[str, str]:
        """The virtualenvs' interpreters by the name their figures get."""
        found = {"fitness": self.env.command("python")}
        if self.before is not None:
            found["fitness before"] = self.before.command("python")
        return found

    def probe(self, *args: str, python: str | None = None) -> dict[str, Any]:
        python = python or self.env.command("python")
        done = run([python, str(HERE / "probes.py"), *args], HERE, self.environ, ok=(0,))
        return json.loads(done.output.strip().splitlines()[-1])  # type: ignore[no-any-return]


def clear(*paths: Path) -> Callable[[], None]:
    def remove() -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)

    return remove


def verdict(output: str) -> str:
    """``kept/broken`` as fitness or import-linter reported it (both tools agree)."""
    import re

    found = re.search(r"(\d+) kept, (\d+) broken", output)
    return f"{found.group(1)}/{found.group(2)}" if found else "?"


def verdicts(measured: dict[str, Measured]) -> dict[str, str]:
    return {tool: verdict(m.last.output) if m.last else "-" for tool, m in measured.items()}


def as_json(measured: dict[str, Measured]) -> dict[str, Any]:
    return {tool: m.as_json() for tool, m in measured.items()}


# --------------------------------------------------------------------------
# The parts
# --------------------------------------------------------------------------


def contracts(b: Bench, name: str) -> dict[str, Any]:
    """`fitness check` against `lint-imports`, same three contracts, cold and warm."""
    project = b.project("contracts", name)
    (project / "pyproject.toml").write_text(CONTRACTS[name].fitness_toml())
    (project / ".importlinter").write_text(CONTRACTS[name].importlinter_ini())
    caches = clear(project / ".import_linter_cache")
    linter = b.env.command("lint-imports")
    cold = interleave(
        b.repeat,
        {
            **b.fitnesses(["check", "--no-cache"], project, cold=True),
            "import-linter": b.command(
                "import-linter", [linter, "--no-cache"], project, before=caches
            ),
        },
    )
    # The caches filled by one run each, then the warm runs: fitness's replayed (nothing
    # changed: its last output written again), and with the rules checked (the graph
    # cached, the replayed output removed before each run).
    warm = interleave(
        b.repeat + 1,
        {
            **b.fitnesses(["check"], project),
            **b.fitnesses(["check"], project, label="fitness checked", forget="replay"),
            "import-linter": b.command("import-linter", [linter], project),
        },
    )
    for measured in warm.values():
        del measured.runs[:1]
    return {
        "codebase": name,
        "cold": as_json(cold),
        "warm": as_json(warm),
        "verdicts": verdicts(cold),
        "project": str(project),
    }


def floor(b: Bench, name: str) -> dict[str, Any]:
    """A cold `fitness check --no-cache` with one trivial rule against grimp's bare
    `build_graph` in a fresh interpreter: the fixed cost of a run."""
    project = b.project("floor", name)
    package = CODEBASES[name][0]
    (project / "pyproject.toml").write_text(CONTRACTS[name].floor_toml())
    grimp = [
        b.env.command("python"),
        "-c",
        f"import grimp; grimp.build_graph({package!r}, include_external_packages=True, "
        "cache_dir=None)",
    ]
    python = b.env.command("python")
    measured = interleave(
        b.repeat,
        {
            "grimp": b.command(
                "pytest-fitness",
                grimp,
                project,
                env={**b.environ, "PYTHONPATH": str(project)},
                ok=(0,),
            ),
            **b.fitnesses(["check", "--no-cache"], project),
            # What the two import before any work: the interpreter's start-up and grimp,
            # and the same with the modules of a check.
            "imports: grimp": b.command(
                "pytest-fitness", [python, "-c", "import grimp"], project, ok=(0,)
            ),
            "imports: grimp and fitness": b.command(
                "pytest-fitness",
                [python, "-c", "import grimp, fitness.cli.check"],
                project,
                ok=(0,),
            ),
        },
    )
    # The check's own work, part by part, in one process per round (probes.py floor).
    parts: dict[str, list[float]] = {}
    try:
        for _ in range(b.repeat):
            for part, used in b.probe("floor", str(project), package)["cpu"].items():
                parts.setdefault(part, []).append(used)
    except Failure as failure:
        parts = {}
        measured["parts"] = Measured(failure=str(failure))
    return {
        "codebase": name,
        "runs": as_json(measured),
        "parts": {part: statistics.median(values) for part, values in parts.items()},
        "verdicts": verdicts(measured),
        "project": str(project),
    }


def modular(b: Bench, name: str) -> dict[str, Any]:
    """`modular_monolith` with interfaces against `tach check`, cold: the modules,
    dependencies and interfaces of bench_modular.py, for both tools."""
    try:
        import bench_modular

        modules, interfaces = bench_modular.MODULES, bench_modular.INTERFACES
    except (ImportError, AttributeError) as error:
        return {"codebase": name, "runs": as_json(failed(f"bench_modular.py: {error}", "tach"))}
    b.env.require("tach")
    project = b.project("modular", name)
    tach = b.env.command("tach")
    # The dependencies tach finds (`tach sync`), declared for both: what is measured is
    # checking, not printing thousands of undeclared dependencies.
    (project / "tach.toml").write_text(bench_modular.tach_toml({}, project))
    run([tach, "sync"], project, b.environ, ok=(0,))
    import tomllib

    synced = tomllib.loads((project / "tach.toml").read_text())
    depends = {
        module["path"]: [d if isinstance(d, str) else d["path"] for d in module["depends_on"]]
        for module in synced["modules"]
    }
    (project / "tach.toml").write_text(bench_modular.tach_toml(depends, project))
    (project / "pyproject.toml").write_text(bench_modular.fitness_toml(depends))
    # Cold: neither tool has a cache to read. `tach check` keeps none (its only cache,
    # .tach/, is tach test's, switched off there by --disable-cache); it is removed anyway.
    caches = clear(project / ".tach")
    measured = interleave(
        b.repeat,
        {
            "tach": b.command("tach", [tach, "check"], project, before=caches),
            **b.fitnesses(["check", "--no-cache"], project, cold=True),
        },
    )
    return {
        "codebase": name,
        "modules": len(modules),
        "interfaces": len(interfaces),
        "runs": as_json(measured),
        "exit codes": {t: m.last.returncode if m.last else None for t, m in measured.items()},
        "project": str(project),
    }


def codemodel(b: Bench, name: str) -> dict[str, Any]:
    """The code model against a bare `ast.parse` of the same files: bench_codemodel.py,
    which alternates them round by round in one process (its CPU time and its workers')."""
    if name not in b.env.codebases:
        raise Failure(f"{name} is not there: {b.env.codebase_missing.get(name)}")
    data = codemodel_run(b, name, b.env.command("python"))
    if b.before is not None:
        try:
            data["before"] = codemodel_run(b, name, b.before.command("python"))
        except Failure as failure:
            data["before"] = {"failure": str(failure)}
    return data


def codemodel_run(b: Bench, name: str, python: str) -> dict[str, Any]:
    done = run(
        [
            python,
            str(HERE / "bench_codemodel.py"),
            CODEBASES[name][0],
            "--path",
            str(b.env.codebases[name]),
            "--repeat",
            str(b.repeat),
            "--json",
            "-",
        ],
        HERE,
        b.environ,
        ok=(0,),
    )
    data: dict[str, Any] = json.loads(done.output.strip().splitlines()[-1])
    data["codebase"] = name
    return data


SYNTHETIC_RULES = ["layers", "acyclic"]


def synthetic(b: Bench, size: int) -> tuple[Path, int]:
    """A synthetic codebase of ``size`` modules with two rules, layers and acyclic (made
    once), and how many modules it has (packages included)."""
    project = b.work / "synth" / f"{size}-{'-'.join(SYNTHETIC_RULES)}"
    stamp = project / ".generated.json"
    try:
        made = json.loads(stamp.read_text())
    except (OSError, ValueError):
        made = {}
    if made.get("size") != size or made.get("rules") != SYNTHETIC_RULES:
        shutil.rmtree(project, ignore_errors=True)
        log(f"generating a synthetic codebase of {size} modules")
        synth.generate(size, project, rule_types=SYNTHETIC_RULES)
        modules = sum(1 for _ in (project / "synth").rglob("*.py"))
        made = {"size": size, "rules": SYNTHETIC_RULES, "modules": modules}
        stamp.write_text(json.dumps(made) + "\n")
    return project, made["modules"]


def scaling(b: Bench, sizes: tuple[int, ...]) -> dict[str, Any]:
    """A warm `fitness check` (layers and acyclic) on synthetic codebases; the sizes
    alternate round by round. The cold run that fills the cache is shown too (one run)."""
    made = {str(size): synthetic(b, size) for size in sizes}
    projects = {size: project for size, (project, _) in made.items()}
    cold: dict[str, Measured] = {}
    for size, project in projects.items():
        cold.update(interleave(1, b.fitnesses(["check"], project, cold=True, label=size)))
    warm = interleave(
        b.repeat,
        {
            label: contender
            for size, project in projects.items()
            for label, contender in b.fitnesses(["check"], project, label=size).items()
        },
        runs={"100000": min(b.repeat, 3), "100000 before": min(b.repeat, 3)},
    )
    # Warm with the rules checked: the replayed output removed before each run (what a
    # run after a change costs; the commit before has no replay, its warm runs are these).
    checked = interleave(
        b.repeat,
        {
            label: contender
            for size, project in projects.items()
            for label, contender in b.fitnesses(
                ["check"], project, label=size, forget="replay"
            ).items()
            if not label.endswith("before")
        },
        runs={"100000": min(b.repeat, 3)},
    )
    return {
        "cold": as_json(cold),
        "warm": as_json(warm),
        "checked": as_json(checked),
        "modules": {size: modules for size, (_, modules) in made.items()},
        "projects": {size: str(p) for size, p in projects.items()},
    }


def many_rules(b: Bench, name: str) -> dict[str, Any]:
    """2,000 forbidden rules, warm, against import-linter with the same contracts."""
    project = b.project("rules", name)
    package = CODEBASES[name][0]
    chosen = b.probe("pairs", str(project), package, str(RULES))
    pairs = [tuple(p) for p in chosen["pairs"]]
    (project / "pyproject.toml").write_text(forbidden_rules_toml(package, pairs))
    (project / ".importlinter").write_text(forbidden_rules_ini(package, pairs))
    linter = b.env.command("lint-imports")
    measured = interleave(
        b.repeat + 1,
        {
            **b.fitnesses(["check"], project),
            "import-linter": b.command("import-linter", [linter], project),
        },
    )
    for runs in measured.values():
        del runs.runs[:1]  # the run that filled the cache
    return {
        "codebase": name,
        "rules": len(pairs),
        "holding": chosen["holding"],
        "runs": as_json(measured),
        "verdicts": verdicts(measured),
        "project": str(project),
    }


def graphs(b: Bench, name: str) -> dict[str, Any]:
    """Building the graph, in one process per build (the build alone is timed):
    fitness, grimp, PyTestArch, pytest-archon."""
    if name not in b.env.codebases:
        raise Failure(f"{name} is not there: {b.env.codebase_missing.get(name)}")
    project = b.env.codebases[name]
    package = CODEBASES[name][0]
    modules: dict[str, int] = {}

    def build(tool: str, python: str | None = None) -> Callable[[], Run]:
        def one() -> Run:
            if tool in TOOLS:
                b.env.require(tool)
            data = b.probe("graph", tool, str(project), package, python=python)
            modules[tool] = data["modules"]
            return Run(data["cpu"], data["seconds"], 0.0, 0, "")

        return one

    slow = max(1, b.repeat // 2)
    tools = {label: build("fitness", python) for label, python in b.pythons().items()}
    tools.update({tool: build(tool) for tool in ("grimp", "pytestarch", "pytest-archon")})
    measured = interleave(b.repeat, tools, runs={"pytestarch": slow, "pytest-archon": slow})
    return {"codebase": name, "modules": modules.get("fitness"), "runs": as_json(measured)}


def pytest_runs(b: Bench, name: str) -> dict[str, Any]:
    """pytest running the contracts' rules (warm) against pytest's own start-up and a
    warm `fitness check`; and what the plugin adds to a run with no configuration."""
    project = b.project("contracts", name)
    if not (project / "pyproject.toml").exists():
        (project / "pyproject.toml").write_text(CONTRACTS[name].fitness_toml())
    empty = b.work / "projects" / "pytest-empty"
    empty.mkdir(parents=True, exist_ok=True)
    (empty / "test_empty.py").write_text("def test_empty():\n    pass\n")
    pytest = [b.env.command("python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    run(b.fitness("check"), project, b.environ)  # the graph cache, filled
    measured = interleave(
        b.repeat,
        {
            "pytest, no plugin": b.command(
                "pytest", [*pytest, "-p", "no:fitness", "test_empty.py"], empty, ok=(0,)
            ),
            "pytest, plugin": b.command("pytest", [*pytest, "test_empty.py"], empty, ok=(0,)),
            "pytest -m fitness": b.command(
                "pytest", [*pytest, "-m", "fitness", "pyproject.toml"], project
            ),
            "fitness check": b.command("pytest-fitness", b.fitness("check"), project),
        },
    )
    return {"codebase": name, "runs": as_json(measured)}


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "system": platform.platform()}


def git_revision(repo: Path) -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="Django only, 5k and 20k synthetic modules"
    )
    parser.add_argument("--json", metavar="FILE", type=Path, help="also save the results here")
    parser.add_argument("--repeat", type=int, help="runs per measurement (default 5, quick 3)")
    parser.add_argument(
        "--work",
        type=Path,
        default=HERE / ".work",
        help="where the virtualenv, codebases and projects live (default benchmarks/.work)",
    )
    parser.add_argument(
        "--repo",
        type=Path,
        default=REPO,
        help="the pytest-fitness checkout to measure (default: this one; a clone pins a commit)",
    )
    parser.add_argument(
        "--only", choices=PARTS, action="append", help="run only these parts (repeatable)"
    )
    parser.add_argument(
        "--before",
        type=Path,
        metavar="CHECKOUT",
        help="also measure another checkout (git worktree add ../before COMMIT), in the "
        "same rounds: its rows are marked (before)",
    )
    parser.add_argument(
        "--docs",
        type=Path,
        metavar="FILE",
        help="also put the output in FILE (docs/speed.md), between its markers",
    )
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 5)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    repo = args.repo.resolve()
    started = time.perf_counter()
    load_before = os.getloadavg()
    env = setup(work, repo, TOOLS, CODEBASES)
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "FITNESS_CACHE_DIR", "FITNESS_CACHE_KEY", "VIRTUAL_ENV")
    }
    environ["FITNESS_CACHE_KEY"] = "pytest-fitness-benchmarks"
    bench = Bench(env, work, repeat, environ)
    if args.before:
        bench.before = setup(work, args.before.resolve(), {}, {}, venv_name="venv-before")
    parts = [p for p in PARTS if p in (args.only or PARTS)]
    codebases = ["django"] if args.quick else list(CODEBASES)
    try:
        versions = bench.probe("versions")
    except Failure as failure:
        raise SystemExit(f"benchmarks: pytest-fitness does not run: {failure}") from None
    versions.pop("rule_types", None)
    results: dict[str, Any] = {
        "versions": versions,
        "codebases": {name: pin for name, (_, pin) in CODEBASES.items()},
        "missing": env.missing,
        "machine": machine(),
        "revision": git_revision(repo),
        "before": git_revision(args.before.resolve()) if args.before else None,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": " ".join(["python", "benchmarks/run.py", *(argv or sys.argv[1:])]),
        "repeat": repeat,
        "quick": args.quick,
        "load": {"before": load_before},
        "parts": {},
        "seconds": {},
    }
    steps: list[tuple[str, str, Callable[[], dict[str, Any]]]] = []
    for part in parts:
        if part == "scaling":
            sizes = QUICK_SIZES if args.quick else SIZES
            steps.append((part, "synthetic", lambda sizes=sizes: scaling(bench, sizes)))
            continue
        function = {
            "contracts": contracts,
            "floor": floor,
            "modular": modular,
            "codemodel": codemodel,
            "rules": many_rules,
            "graphs": graphs,
            "pytest": pytest_runs,
        }[part]
        for name in ["django"] if part in DJANGO_ONLY else codebases:
            steps.append((part, name, lambda f=function, n=name: f(bench, n)))
    for part, name, step in steps:
        log(f"{part}: {name}")
        began = time.perf_counter()
        try:
            outcome = step()
        except Failure as failure:
            outcome = {"codebase": name, "failure": str(failure)}
        outcome["load"] = os.getloadavg()[0]
        results["parts"].setdefault(part, []).append(outcome)
        results["seconds"][f"{part} {name}"] = round(time.perf_counter() - began, 1)
    results["load"]["after"] = os.getloadavg()
    results["seconds"]["total"] = round(time.perf_counter() - started, 1)
    text = report(results)
    sys.stdout.write(text + "\n")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    if args.docs:
        return into_docs(args.docs, text)
    return 0


#: The lines of docs/speed.md between which --docs puts the output.
BEGIN = "<!-- benchmarks/run.py output: begin -->"
END = "<!-- benchmarks/run.py output: end -->"


def into_docs(path: Path, text: str) -> int:
    """Replace what is between the markers of ``path`` with ``text`` (in a code block)."""
    try:
        page = path.read_text()
    except OSError as error:
        sys.stderr.write(f"benchmarks: --docs {path}: {error.strerror}\n")
        return 2
    start, end = page.find(BEGIN), page.find(END)
    if start < 0 or end < start:
        sys.stderr.write(f"benchmarks: --docs {path}: no lines {BEGIN} ... {END}\n")
        return 2
    block = f"{BEGIN}\n```text\n{text}\n```\n"
    path.write_text(page[:start] + block + page[end:])
    log(f"wrote the output into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
