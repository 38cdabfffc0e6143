"""pytest-fitness against import-linter, PyTestArch, pytest-archon and grimp, in one run.

    python benchmarks/run.py             # everything (about 10-15 minutes on 2 cores)
    python benchmarks/run.py --quick     # Django only and 1k modules (under 2 minutes)
    python benchmarks/run.py --json results.json
    python benchmarks/run.py --only codemodel   # the class/function model (bench_codemodel.py)

The first run creates a virtualenv in ``benchmarks/.work/`` and installs into it
pytest-fitness from this repository plus the pinned competitors; the codebases
(Django, SQLAlchemy, SymPy) are unpacked from their PyPI wheels into
``benchmarks/.work/codebases/`` without being installed or imported. Every
number in the printed table is measured in the same run, as the median of
several repetitions, each in a fresh process.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

TOOLS = ["import-linter==2.16", "pytestarch==5.1.0", "pytest-archon==0.0.7", "pytest==9.2.0"]
CODEBASES = {"django": "6.1.3", "sqlalchemy": "2.1.9", "sympy": "1.14.0"}


@dataclass(frozen=True)
class Contracts:
    """The same contracts, written once and rendered for both tools."""

    package: str
    layers: tuple[str, ...]
    sources: tuple[str, ...]
    forbidden: tuple[str, ...]
    independent: tuple[str, ...]

    def fitness_toml(self) -> str:
        def arr(items: tuple[str, ...]) -> str:
            return "[" + ", ".join(f'"{i}"' for i in items) + "]"

        return (
            f'[tool.fitness]\nroot_packages = ["{self.package}"]\n'
            "include_external_packages = true\n\n"
            f'[[tool.fitness.rules]]\nname = "layers"\ntype = "layers"\n'
            f"layers = {arr(self.layers)}\n\n"
            f'[[tool.fitness.rules]]\nname = "forbidden"\ntype = "forbidden"\n'
            f"source_modules = {arr(self.sources)}\nforbidden_modules = {arr(self.forbidden)}\n\n"
            f'[[tool.fitness.rules]]\nname = "independence"\ntype = "independence"\n'
            f"modules = {arr(self.independent)}\n"
        )

    def importlinter_ini(self) -> str:
        def block(items: tuple[str, ...]) -> str:
            return "".join(f"\n    {i}" for i in items)

        return (
            f"[importlinter]\nroot_package = {self.package}\ninclude_external_packages = True\n\n"
            f"[importlinter:contract:layers]\nname = layers\ntype = layers\n"
            f"layers ={block(self.layers)}\n\n"
            f"[importlinter:contract:forbidden]\nname = forbidden\ntype = forbidden\n"
            f"source_modules ={block(self.sources)}\n"
            f"forbidden_modules ={block(self.forbidden)}\n\n"
            f"[importlinter:contract:independence]\nname = independence\ntype = independence\n"
            f"modules ={block(self.independent)}\n"
        )


CONTRACTS = {
    "django": Contracts(
        "django",
        (
            "django.contrib",
            "django.views",
            "django.forms | django.templatetags",
            "django.db",
            "django.utils",
        ),
        ("django.utils", "django.dispatch"),
        ("django.db", "sqlparse", "asgiref"),
        ("django.core.mail", "django.template", "django.middleware"),
    ),
    "sqlalchemy": Contracts(
        "sqlalchemy",
        (
            "sqlalchemy.ext",
            "sqlalchemy.orm",
            "sqlalchemy.engine",
            "sqlalchemy.sql",
            "sqlalchemy.util",
        ),
        ("sqlalchemy.util", "sqlalchemy.sql"),
        ("sqlalchemy.orm", "greenlet", "typing_extensions"),
        (
            "sqlalchemy.dialects.postgresql",
            "sqlalchemy.dialects.mysql",
            "sqlalchemy.dialects.sqlite",
        ),
    ),
    "sympy": Contracts(
        "sympy",
        (
            "sympy.physics",
            "sympy.solvers",
            "sympy.integrals",
            "sympy.simplify",
            "sympy.polys",
            "sympy.core",
        ),
        ("sympy.core", "sympy.logic"),
        ("sympy.physics", "mpmath"),
        ("sympy.physics", "sympy.stats", "sympy.crypto"),
    ),
}


# --------------------------------------------------------------------------
# Set-up
# --------------------------------------------------------------------------


def log(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def quiet(cmd: list[str]) -> None:
    """Run a command; show its output only if it fails."""
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")


def setup(work: Path, repo: Path) -> Path:
    """The virtualenv (created once) and the codebases (unpacked once); its bin/ directory."""
    venv = work / "venv"
    bin_dir = venv / "bin"
    stamp = work / "installed.json"
    wanted = {"tools": TOOLS, "codebases": CODEBASES, "repo": str(repo)}
    if (
        stamp.is_file()
        and json.loads(stamp.read_text()) == wanted
        and (bin_dir / "python").exists()
    ):
        return bin_dir
    log(f"creating {venv} (once)")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    quiet([*pip, str(repo), *TOOLS])  # the checkout's dependencies; reinstalled every run
    for name, version in CODEBASES.items():
        target = work / "codebases" / name
        shutil.rmtree(target, ignore_errors=True)
        log(f"unpacking {name}=={version} into {target}")
        # The wheel's files, not an installation: nothing of it is imported, and
        # --python-version lets a codebase that needs a newer Python be read too.
        quiet(
            [
                *pip,
                "--no-deps",
                "--only-binary=:all:",
                "--python-version",
                "3.12",
                "--ignore-requires-python",
                "--target",
                str(target),
                f"{name}=={version}",
            ]
        )
    stamp.write_text(json.dumps(wanted))
    return bin_dir


def install_checkout(bin_dir: Path, repo: Path) -> None:
    """Install the measured checkout as a user gets it: a wheel, byte-compiled by pip.

    Reinstalled on every run (a few seconds), so the numbers are those of the
    code as it is now. An editable install would measure its import hook too
    (~10 ms per process), which an installed package does not pay.
    """
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    quiet([*pip, "--no-deps", "--force-reinstall", str(repo)])


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------


@dataclass
class Timed:
    seconds: float
    max_rss_kb: int
    returncode: int
    stdout: str


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Timed:
    """Wall time and peak memory (ru_maxrss of this child alone, from wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Timed(elapsed, usage.ru_maxrss, proc.returncode, out)


def median_of(
    repeat: int, cmd: list[str], cwd: Path, before: Any = None, env: dict[str, str] | None = None
) -> tuple[float, Timed]:
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(timed(cmd, cwd, env))
    return statistics.median(r.seconds for r in runs), runs[-1]


def probe(bin_dir: Path, *args: str, cwd: Path = HERE) -> tuple[dict[str, Any], int]:
    result = timed([str(bin_dir / "python"), str(HERE / "probes.py"), *args], cwd)
    if result.returncode != 0:
        raise RuntimeError(f"probe {args} failed:\n{result.stdout}")
    return json.loads(result.stdout.strip().splitlines()[-1]), result.max_rss_kb


def probe_median(bin_dir: Path, repeat: int, *args: str) -> dict[str, Any]:
    outs = [probe(bin_dir, *args) for _ in range(repeat)]
    data = dict(outs[-1][0])
    for key in ("seconds", "graph_seconds", "grimp_searches_seconds", "grimp_seconds"):
        values = [o[0][key] for o in outs if o[0].get(key) is not None]
        if values:
            data[key] = statistics.median(values)
    data["max_rss_mb"] = max(o[1] for o in outs) / 1024
    return data


def clear(*paths: Path) -> Any:
    def run() -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)

    return run


def verdict(tool: str, out: str) -> str:
    """``kept/broken`` as the tool reported it, to show both tools agree."""
    import re

    if tool == "fitness":
        m = re.search(r"(\d+) kept, (\d+) broken", out)
    else:
        m = re.search(r"Contracts: (\d+) kept, (\d+) broken", out)
    return f"{m.group(1)}/{m.group(2)}" if m else "?"


def bench_contracts(bin_dir: Path, work: Path, name: str, repeat: int) -> dict[str, Any]:
    project = work / "codebases" / name
    contracts = CONTRACTS[name]
    (project / "pyproject.toml").write_text(contracts.fitness_toml())
    (project / ".importlinter").write_text(contracts.importlinter_ini())
    fitness = [str(bin_dir / "fitness"), "check"]
    linter = [str(bin_dir / "lint-imports")]
    caches = clear(project / ".fitness_cache", project / ".import_linter_cache")
    result: dict[str, Any] = {"codebase": name}
    cold_f, run_f = median_of(repeat, [*fitness, "--no-cache"], project, caches)
    cold_l, run_l = median_of(repeat, [*linter, "--no-cache"], project, caches)
    result["verdicts"] = {
        "fitness": verdict("fitness", run_f.stdout),
        "import-linter": verdict("import-linter", run_l.stdout),
    }
    if run_f.returncode == 2 or run_l.returncode not in (0, 1):
        raise RuntimeError(
            f"{name}: a tool failed:\n{run_f.stdout[-2000:]}\n{run_l.stdout[-2000:]}"
        )
    timed(fitness, project)  # populate the caches
    timed(linter, project)
    warm_f, _ = median_of(repeat, fitness, project)  # nothing changed: the run is replayed
    warm_l, _ = median_of(repeat, linter, project)
    # The graph cached, the rules checked: the replayed result removed before each run.
    checked_f, _ = median_of(repeat, fitness, project, clear(project / ".fitness_cache/replay"))
    result.update(
        cold_fitness=cold_f,
        cold_importlinter=cold_l,
        warm_fitness=warm_f,
        warm_checked=checked_f,
        warm_importlinter=warm_l,
        cold_ratio=cold_f / cold_l,
        warm_ratio=warm_f / warm_l,
        warm_checked_ratio=checked_f / warm_l,
    )

    # What choosing chains canonically costs (same input, same bytes), on the warm graph.
    chains = probe_median(bin_dir, repeat, "chains", str(project))
    result.update(
        chains_canonical=chains["seconds"],
        chains_grimp=chains["grimp_seconds"],
        chains_routes=chains["routes"],
        chains_cost=(chains["seconds"] - chains["grimp_seconds"]) / checked_f,
    )

    # The floor: grimp's build alone, in a fresh interpreter, against fitness's whole run.
    grimp_cmd = [
        str(bin_dir / "python"),
        "-c",
        f"import grimp; grimp.build_graph({name!r}, include_external_packages=True, "
        "cache_dir=None)",
    ]
    env = {**os.environ, "PYTHONPATH": str(project)}
    floor, _ = median_of(repeat, grimp_cmd, project, env=env)
    result.update(grimp_alone=floor, floor_ratio=cold_f / floor)

    # pytest running the same rules (warm), over pytest's own start-up and `fitness check`.
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    (empty / "test_empty.py").write_text("def test_empty():\n    pass\n")
    pytest = [str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    # pytest's own start-up: without this plugin (which every pytest run loads).
    startup, _ = median_of(repeat, [*pytest, "-p", "no:fitness", "test_empty.py"], empty)
    with_plugin, _ = median_of(repeat, [*pytest, "test_empty.py"], empty)
    in_pytest, _ = median_of(repeat, [*pytest, "-m", "fitness", "pyproject.toml"], project)
    result.update(
        pytest_startup=startup,
        pytest_plugin_idle=with_plugin - startup,
        pytest_fitness=in_pytest,
        pytest_overhead=in_pytest - startup - checked_f,
    )
    return result


def bench_graphs(bin_dir: Path, work: Path, name: str, repeat: int) -> dict[str, Any]:
    project = work / "codebases" / name
    result: dict[str, Any] = {"codebase": name}
    for tool in ("fitness", "grimp", "pytestarch", "pytest-archon"):
        runs = repeat if tool in ("fitness", "grimp") else max(1, repeat // 2)
        data = probe_median(bin_dir, runs, "graph", tool, str(project), name)
        result[tool] = data["seconds"]
        if tool == "fitness":
            result["modules"] = data["modules"]
    return result


def bench_scaling(bin_dir: Path, work: Path, size: int, repeat: int) -> dict[str, Any]:
    project = work / "synth" / str(size)
    versions = probe(bin_dir, "versions")[0]
    if not (project / "pyproject.toml").exists():
        log(f"generating a synthetic codebase of {size} modules")
        shutil.rmtree(project, ignore_errors=True)
        synth.generate(size, project, rule_types=versions["rule_types"])
    result: dict[str, Any] = {"size": size}
    cache = project / ".fitness_cache"
    shutil.rmtree(cache, ignore_errors=True)
    cold = probe_median(bin_dir, repeat, "phases", str(project), "graph-cold")
    probe(bin_dir, "phases", str(project), "graph-warm")  # populate the cache
    warm = probe_median(bin_dir, repeat, "phases", str(project), "graph-warm")
    rules = probe_median(bin_dir, repeat, "phases", str(project), "rules")
    metrics = probe_median(bin_dir, repeat, "phases", str(project), "metrics")
    result.update(
        modules=cold["modules"],
        imports=cold["imports"],
        graph_cold=cold["seconds"],
        graph_cold_mb=cold["max_rss_mb"],
        graph_warm=warm["seconds"],
        graph_warm_mb=warm["max_rss_mb"],
        rules=rules["seconds"],
        rules_without_grimp_searches=rules["seconds"] - rules.get("grimp_searches_seconds", 0.0),
        rules_count=rules["rules"],
        rules_mb=rules["max_rss_mb"],
        violations=rules["violations"],
        rule_errors=rules["errors"],
        per_rule=rules["per_rule"],
        metrics=metrics.get("seconds"),
        metrics_mb=metrics["max_rss_mb"],
    )
    return result


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------


def bench_codemodel(bin_dir: Path, work: Path, name: str, repeat: int) -> dict[str, Any]:
    """The code model (classes and functions) of a codebase, cold and warm, next to a
    plain ast.parse of its files (bench_codemodel.py, in the benchmark's virtualenv)."""
    result = timed(
        [
            str(bin_dir / "python"),
            str(HERE / "bench_codemodel.py"),
            name,
            "--path",
            str(work / "codebases" / name),
            "--repeat",
            str(repeat),
            "--json",
            "-",
        ],
        HERE,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench_codemodel on {name} failed:\n{result.stdout}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    data["codebase"] = name
    return data


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
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds:.2f}s" if seconds >= 0.995 else f"{seconds * 1000:.0f}ms"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    return "\n".join([line, rule, *body])


def report(results: dict[str, Any]) -> str:
    v = results["versions"]
    m = results["machine"]
    out = [
        f"pytest-fitness {v['pytest-fitness']} ({results['revision']}), grimp {v['grimp']}, "
        f"import-linter {v['import-linter']}, pytestarch {v['pytestarch']}, "
        f"pytest-archon {v['pytest-archon']}, pytest {v['pytest']}, Python {v['python']}",
        "codebases: " + ", ".join(f"{k} {c}" for k, c in CODEBASES.items()),
        f"machine: {m['cpus']} cores, {m['cpu']}; median of {results['repeat']} runs",
        "",
    ]
    if results["contracts"]:
        out += [
            "fitness check vs lint-imports, same 3 contracts (layers, forbidden with "
            "externals, independence); kept/broken shown by each",
            table(
                [
                    "codebase",
                    "cold fitness",
                    "cold import-linter",
                    "ratio",
                    "warm fitness",
                    "warm import-linter",
                    "ratio",
                    "warm, rules checked",
                    "ratio",
                    "verdicts (f / il)",
                ],
                [
                    [
                        r["codebase"],
                        fmt(r["cold_fitness"]),
                        fmt(r["cold_importlinter"]),
                        f"{r['cold_ratio']:.2f}",
                        fmt(r["warm_fitness"]),
                        fmt(r["warm_importlinter"]),
                        f"{r['warm_ratio']:.2f}",
                        fmt(r["warm_checked"]),
                        f"{r['warm_checked_ratio']:.2f}",
                        f"{r['verdicts']['fitness']} / {r['verdicts']['import-linter']}",
                    ]
                    for r in results["contracts"]
                ],
            ),
            "",
            "the floor: grimp's graph build alone (fresh interpreter) vs the whole cold "
            "`fitness check --no-cache`",
            table(
                ["codebase", "grimp alone", "fitness check", "ratio"],
                [
                    [
                        r["codebase"],
                        fmt(r["grimp_alone"]),
                        fmt(r["cold_fitness"]),
                        f"{r['floor_ratio']:.2f}",
                    ]
                    for r in results["contracts"]
                ],
            ),
            "",
            "choosing chains canonically: the layers rule's routes found by grimp (ties "
            "broken by the order it holds modules in) and by fitness (the smallest of the "
            "shortest), on the warm graph; the difference as a share of the warm run",
            table(
                ["codebase", "routes", "grimp", "canonical", "cost of a warm run"],
                [
                    [
                        r["codebase"],
                        str(r["chains_routes"]),
                        fmt(r["chains_grimp"]),
                        fmt(r["chains_canonical"]),
                        f"{r['chains_cost'] * 100:+.1f} %",
                    ]
                    for r in results["contracts"]
                ],
            ),
            "",
            "pytest running the same rules (warm): `pytest -m fitness` minus pytest's own "
            "start-up (an empty test, `-p no:fitness`), against `fitness check`; and what "
            "the plugin adds to a run with no fitness configuration",
            table(
                [
                    "codebase",
                    "pytest empty",
                    "pytest -m fitness",
                    "fitness check (rules checked)",
                    "overhead",
                    "plugin, no rules",
                ],
                [
                    [
                        r["codebase"],
                        fmt(r["pytest_startup"]),
                        fmt(r["pytest_fitness"]),
                        fmt(r["warm_checked"]),
                        f"{r['pytest_overhead'] * 1000:+.0f}ms",
                        f"{r.get('pytest_plugin_idle', 0) * 1000:+.0f}ms",
                    ]
                    for r in results["contracts"]
                ],
            ),
            "",
        ]
    if results["graphs"]:
        out += [
            "building the graph (in process, no cache), seconds and ratio to fitness",
            table(
                ["codebase", "modules", "fitness", "grimp", "pytestarch", "pytest-archon"],
                [
                    [
                        r["codebase"],
                        str(r["modules"]),
                        fmt(r["fitness"]),
                        *(
                            f"{fmt(r[t])} ({r[t] / r['fitness']:.1f}x)"
                            for t in ("grimp", "pytestarch", "pytest-archon")
                        ),
                    ]
                    for r in results["graphs"]
                ],
            ),
            "",
        ]
    if results.get("codemodel"):
        phases = list(results["codemodel"][0]["phases"])
        out += [
            "code model (classes, functions, calls): wall time (CPU time of all processes)",
            table(
                ["codebase", "modules", *phases],
                [
                    [
                        r["codebase"],
                        str(r["modules"]),
                        *(
                            f"{fmt(r['phases'][p]['wall'])} ({fmt(r['phases'][p]['cpu'])})"
                            for p in phases
                        ),
                    ]
                    for r in results["codemodel"]
                ],
            ),
            "",
        ]
    if results["scaling"]:

        def per(r: dict[str, Any], key: str) -> str:
            value = r[key]
            return "n/a" if value is None else f"{fmt(value)} ({value / r['modules'] * 1e6:.0f}us)"

        out += [
            "scaling on synthetic codebases (~8 imports per module, 5 layers, cycles): "
            "time (per module) and peak RSS of the process",
            table(
                [
                    "modules",
                    "imports",
                    "graph cold",
                    "graph warm",
                    "rules",
                    "rules minus grimp's searches*",
                    "metrics",
                    "peak RSS",
                ],
                [
                    [
                        str(r["modules"]),
                        str(r["imports"]),
                        per(r, "graph_cold"),
                        per(r, "graph_warm"),
                        per(r, "rules") + f" [{r['rules_count']} rules]",
                        per(r, "rules_without_grimp_searches"),
                        per(r, "metrics"),
                        f"{max(r['graph_cold_mb'], r['rules_mb'], r['metrics_mb']):.0f}MB",
                    ]
                    for r in results["scaling"]
                ],
            ),
            "* without the time in grimp's nominate_cycle_breakers (acyclic, acyclic_siblings) "
            "and in forbidden's search for shortest chains (grimp's find_shortest_chains, "
            "made canonical), which import-linter makes the same way",
            "",
        ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Django and 1k modules only")
    parser.add_argument("--json", metavar="FILE", type=Path, help="also save the results here")
    parser.add_argument("--repeat", type=int, help="runs per measurement (default 5, quick 3)")
    parser.add_argument(
        "--work",
        type=Path,
        default=HERE / ".work",
        help="where the virtualenv and codebases live (default benchmarks/.work)",
    )
    parser.add_argument(
        "--repo",
        type=Path,
        default=REPO,
        help="the pytest-fitness checkout to measure (default: this one; a clone pins a commit)",
    )
    parser.add_argument(
        "--only",
        choices=["contracts", "graphs", "scaling", "codemodel"],
        action="append",
        help="run only these parts (repeatable)",
    )
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 5)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    bin_dir = setup(work, args.repo.resolve())
    install_checkout(bin_dir, args.repo.resolve())
    parts = set(args.only or ["contracts", "graphs", "scaling", "codemodel"])
    codebases = ["django"] if args.quick else list(CODEBASES)
    sizes = [1000] if args.quick else [1000, 5000, 20000]
    results: dict[str, Any] = {
        "versions": probe(bin_dir, "versions")[0],
        "machine": machine(),
        "revision": git_revision(args.repo.resolve()),
        "repeat": repeat,
        "quick": args.quick,
        "contracts": [],
        "graphs": [],
        "scaling": [],
        "codemodel": [],
    }
    started = time.perf_counter()
    for name in codebases:
        if "contracts" in parts:
            log(f"contracts on {name}")
            results["contracts"].append(bench_contracts(bin_dir, work, name, repeat))
        if "graphs" in parts:
            log(f"graph building on {name}")
            results["graphs"].append(bench_graphs(bin_dir, work, name, repeat))
        if "codemodel" in parts:
            log(f"code model of {name}")
            results["codemodel"].append(bench_codemodel(bin_dir, work, name, repeat))
    if "scaling" in parts:
        for size in sizes:
            log(f"scaling: {size} modules")
            results["scaling"].append(bench_scaling(bin_dir, work, size, repeat))
    results["seconds"] = time.perf_counter() - started
    text = report(results)
    sys.stdout.write(text + f"\n(measured in {results['seconds']:.0f}s)\n")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
