"""The tables ``run.py`` prints: each measured figure with the goal it is held to.

Times are CPU seconds (user + system, median of the runs); a ratio is pytest-fitness's
time over the other tool's. A cell that could not be measured shows ``n/a``, and a
note under the table says why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Issue 25's goals.
WARM_SYMPY = 0.10
FLOOR = 1.05
MODULAR = 1.0
CODEMODEL = 1.2
LARGEST = 10.0
GROWTH = 5.0
RULES_SECONDS = 0.8


def seconds(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def met(value: float | None, limit: float, *, strict: bool = False) -> str:
    if value is None:
        return "n/a"
    ok = value < limit if strict else value <= limit
    return "yes" if ok else "NO"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


class Notes:
    """Why a cell is n/a: one line per failure, under the table."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def of(self, where: str, measured: dict[str, Any]) -> None:
        for tool, figures in measured.items():
            if figures.get("failure"):
                self.lines.append(f"  n/a ({where}, {tool}): {figures['failure']}")

    def failure(self, where: str, entry: dict[str, Any]) -> bool:
        if "failure" in entry:
            self.lines.append(f"  n/a ({where}): {entry['failure']}")
            return True
        return False


def cpu(measured: dict[str, Any], tool: str) -> float | None:
    figures = measured.get(tool) or {}
    return figures.get("cpu")  # type: ignore[no-any-return]


class Goals:
    def __init__(self) -> None:
        self.rows: list[list[str]] = []

    def add(self, goal: str, measured: str, verdict: str) -> None:
        self.rows.append([goal, measured, verdict])


def contracts_part(entries: list[dict[str, Any]], goals: Goals) -> list[str]:
    notes, rows = Notes(), []
    for e in entries:
        name = e["codebase"]
        if notes.failure(name, e):
            rows.append([name, *["n/a"] * 10])
            continue
        notes.of(f"{name} cold", e["cold"])
        notes.of(f"{name} warm", e["warm"])
        cold = ratio(cpu(e["cold"], "fitness"), cpu(e["cold"], "import-linter"))
        warm = ratio(cpu(e["warm"], "fitness"), cpu(e["warm"], "import-linter"))
        checked = ratio(cpu(e["warm"], "fitness checked"), cpu(e["warm"], "import-linter"))
        goal = "-"
        if name == "sympy":
            goal = f"<= {WARM_SYMPY:.2f}x: {met(warm, WARM_SYMPY)}"
            goals.add(
                f"warm check on SymPy <= {WARM_SYMPY:.2f}x import-linter's",
                times(warm),
                met(warm, WARM_SYMPY),
            )
        rows.append(
            [
                name,
                seconds(cpu(e["cold"], "fitness")),
                seconds(cpu(e["cold"], "import-linter")),
                times(cold),
                seconds(cpu(e["warm"], "fitness")),
                seconds(cpu(e["warm"], "import-linter")),
                times(warm),
                goal,
                seconds(cpu(e["warm"], "fitness checked")),
                times(checked),
                f"{e['verdicts'].get('fitness')} / {e['verdicts'].get('import-linter')}",
            ]
        )
    return [
        "fitness check vs lint-imports, the same 3 contracts (layers, forbidden with external "
        "packages, independence); cold: --no-cache for both; warm: each tool's own cache "
        "(fitness's replays its last output when nothing it read changed); warm, rules "
        "checked: fitness with its graph cached and the replay removed before each run",
        table(
            [
                "codebase",
                "cold fitness",
                "cold import-linter",
                "ratio",
                "warm fitness",
                "warm import-linter",
                "ratio",
                "goal (warm ratio)",
                "warm, rules checked",
                "ratio",
                "kept/broken (f / il)",
            ],
            rows,
        ),
        *notes.lines,
    ]


def floor_part(entries: list[dict[str, Any]], goals: Goals) -> list[str]:
    notes, rows = Notes(), []
    for e in entries:
        name = e["codebase"]
        if notes.failure(name, e):
            rows.append([name, *["n/a"] * 5])
            continue
        notes.of(name, e["runs"])
        value = ratio(cpu(e["runs"], "fitness"), cpu(e["runs"], "grimp"))
        goals.add(
            f"floor on {name} <= {FLOOR:.2f}x grimp's bare build", times(value), met(value, FLOOR)
        )
        rows.append(
            [
                name,
                seconds(cpu(e["runs"], "grimp")),
                seconds(cpu(e["runs"], "fitness")),
                times(value),
                f"<= {FLOOR:.2f}x: {met(value, FLOOR)}",
                e.get("verdicts", {}).get("fitness", "?"),
            ]
        )
    return [
        "the floor: `fitness check --no-cache` with one trivial rule against grimp's bare "
        "`build_graph` (external packages included) in a fresh interpreter",
        table(
            ["codebase", "grimp build_graph", "fitness check", "ratio", "goal", "kept/broken"],
            rows,
        ),
        *notes.lines,
        *floor_parts(entries),
    ]


#: The parts of a cold check that grimp's build does not do, as ``probes.py floor`` names
#: them (each a difference of two figures, or one), and why each is done.
_FLOOR_PARTS = (
    ("imports beyond grimp's", "the modules of a check (start-up, configuration, rules, output)"),
    ("namespace packages", "every directory without __init__.py looked into (issue 20)"),
    ("reading each file", "each file read once in Python, before grimp reads it (issue 19)"),
    ("limits", "size, null bytes, line copies, nesting checked on those bytes (issue 19)"),
    ("facts", "dynamic imports, suppressions, __main__ blocks read from them"),
)


def floor_parts(entries: list[dict[str, Any]]) -> list[str]:
    """Where the floor's time goes beyond grimp's: CPU ms of each part and its share of
    grimp's bare build; the parts issues 19 and 20 require, added up, against the goal's
    margin of 5 %."""
    rows = []
    for e in entries:
        if str(e.get("codebase", "")).endswith("(before)"):
            continue  # (its parts are this checkout's: measured once)
        parts, runs = e.get("parts") or {}, e.get("runs") or {}
        base = cpu(runs, "grimp")
        imports = cpu(runs, "imports: grimp and fitness")
        grimp_imports = cpu(runs, "imports: grimp")
        listed = parts.get("listing, every directory")
        as_grimp = parts.get("listing, packages only (as grimp)")
        figures = {
            "imports beyond grimp's": (
                imports - grimp_imports if imports is not None and grimp_imports else None
            ),
            # (a difference of two small figures: noise can make it negative)
            "namespace packages": (
                max(0.0, listed - as_grimp) if listed is not None and as_grimp else None
            ),
            "reading each file": parts.get("reading each file"),
            "limits": parts.get("limits"),
            "facts": parts.get("facts"),
        }
        if base is None or all(v is None for v in figures.values()):
            continue
        required = [figures[k] for k in ("namespace packages", "reading each file", "limits")]
        for part, why in _FLOOR_PARTS:
            value = figures[part]
            rows.append(
                [
                    e["codebase"],
                    part,
                    "n/a" if value is None else f"{value * 1000:.0f}",
                    "n/a" if value is None else f"{value / base:.0%}",
                    why,
                ]
            )
        if all(v is not None for v in required):
            total = sum(v for v in required if v is not None)
            rows.append(
                [
                    e["codebase"],
                    "issues 19 and 20's parts",
                    f"{total * 1000:.0f}",
                    f"{total / base:.0%}",
                    f"namespace packages + reading + limits (the goal leaves {FLOOR - 1:.0%})",
                ]
            )
    if not rows:
        return []
    return [
        "",
        "where the floor's time goes beyond grimp's: CPU ms of each part (probes.py floor, "
        "median of the rounds; imports from `python -c` runs in the same rounds) and its "
        "share of grimp's bare build",
        table(["codebase", "part", "CPU ms", "of grimp's", "what it is for"], rows),
    ]


def modular_part(entries: list[dict[str, Any]], goals: Goals) -> list[str]:
    notes, rows = Notes(), []
    for e in entries:
        name = e["codebase"]
        if notes.failure(name, e):
            rows.append([name, *["n/a"] * 6])
            continue
        notes.of(name, e["runs"])
        value = ratio(cpu(e["runs"], "fitness"), cpu(e["runs"], "tach"))
        goals.add(
            f"modular_monolith on {name}, cold: faster than tach check",
            times(value),
            met(value, MODULAR, strict=True),
        )
        codes = e.get("exit codes", {})
        rows.append(
            [
                name,
                f"{e.get('modules', '?')} ({e.get('interfaces', '?')})",
                seconds(cpu(e["runs"], "tach")),
                seconds(cpu(e["runs"], "fitness")),
                times(value),
                f"< {MODULAR:.2f}x: {met(value, MODULAR, strict=True)}",
                f"{codes.get('tach')} / {codes.get('fitness')}",
            ]
        )
    return [
        "modular_monolith with interfaces against `tach check`, cold (no cache for either): "
        "the same modules, dependencies (from `tach sync`) and interfaces (bench_modular.py)",
        table(
            [
                "codebase",
                "modules (with interface)",
                "tach check",
                "fitness check",
                "ratio",
                "goal",
                "exit (tach / f)",
            ],
            rows,
        ),
        *notes.lines,
    ]


def codemodel_part(entries: list[dict[str, Any]], goals: Goals) -> list[str]:
    notes, rows = Notes(), []
    for e in entries:
        name = e["codebase"]
        if notes.failure(name, e):
            rows.append([name, "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"])
            continue
        phases: dict[str, dict[str, float]] = e["phases"]
        parse = next((v["cpu"] for k, v in phases.items() if k.startswith("ast.parse")), None)
        paused = next((v["cpu"] for k, v in phases.items() if "collector paused" in k), None)
        # The goal holds the whole model, cold, in worker processes: the last such phase.
        cold = [k for k in phases if k.startswith("cold") and "worker" in k]
        for phase, figures in phases.items():
            value = ratio(figures["cpu"], parse)
            goal = "-"
            if cold and phase == cold[-1]:
                goal = f"<= {CODEMODEL:.1f}x: {met(value, CODEMODEL)}"
                goals.add(
                    f"code model of {name}, {phase}: <= {CODEMODEL:.1f}x ast.parse",
                    times(value),
                    met(value, CODEMODEL),
                )
            rows.append(
                [
                    f"{name} ({e.get('modules', '?')} modules)",
                    phase,
                    seconds(figures["cpu"]),
                    seconds(figures["wall"]),
                    times(value),
                    times(ratio(figures["cpu"], paused)),
                    goal,
                ]
            )
    return [
        "the code model (classes, functions, calls) against a bare `ast.parse` of the same "
        "files: bench_codemodel.py, CPU of the process and its workers; the last ratio "
        "against the same parse with the garbage collector paused, as the model parses",
        table(
            ["codebase", "phase", "CPU s", "wall s", "x ast.parse", "x paused parse", "goal"],
            rows,
        ),
        *notes.lines,
    ]


def scaling_part(entries: list[dict[str, Any]], goals: Goals) -> list[str]:
    notes, rows = Notes(), []
    warm_cpu: dict[str, float | None] = {}
    for e in entries:
        if notes.failure("synthetic", e):
            continue
        notes.of("cold", e["cold"])
        notes.of("warm", e["warm"])
        for size in e["warm"]:
            number, _, before = size.partition(" ")
            modules = e["modules"].get(number)
            warm = e["warm"][size]
            warm_cpu[size] = warm.get("cpu")
            per = (
                f"{warm['cpu'] / modules * 1e6:.0f}"
                if modules and warm.get("cpu") is not None
                else "n/a"
            )
            goal = "-"
            if size == "100000":
                goal = f"< {LARGEST:.0f} s: {met(warm.get('cpu'), LARGEST, strict=True)}"
                goals.add(
                    f"warm check of 100k synthetic modules < {LARGEST:.0f} s",
                    f"{seconds(warm.get('cpu'))} s",
                    met(warm.get("cpu"), LARGEST, strict=True),
                )
            rss = warm.get("max_rss_mb")
            checked = None if before else (e.get("checked") or {}).get(size, {}).get("cpu")
            if size == "100000" and checked is not None:
                goals.add(
                    f"warm check of 100k synthetic modules, rules checked < {LARGEST:.0f} s",
                    f"{seconds(checked)} s",
                    met(checked, LARGEST, strict=True),
                )
            rows.append(
                [
                    f"{int(number):,}" + (" (before)" if before else ""),
                    str(modules) if modules else "n/a",
                    seconds(e["cold"][size].get("cpu")),
                    seconds(warm.get("cpu")),
                    "-" if before else seconds(checked),
                    seconds(warm.get("wall")),
                    per,
                    f"{rss:.0f}" if rss else "n/a",
                    goal,
                ]
            )
    growth = ratio(warm_cpu.get("20000"), warm_cpu.get("5000"))
    checked_cpu = {
        size: figures.get("cpu") for e in entries for size, figures in e.get("checked", {}).items()
    }
    checked_growth = ratio(checked_cpu.get("20000"), checked_cpu.get("5000"))
    goals.add(
        f"warm check, 20k / 5k synthetic modules <= {GROWTH:.0f}",
        times(growth),
        met(growth, GROWTH),
    )
    before = ratio(warm_cpu.get("20000 before"), warm_cpu.get("5000 before"))
    if before is not None:
        goals.add(
            f"warm check, 20k / 5k synthetic modules <= {GROWTH:.0f} (before)",
            times(before),
            met(before, GROWTH),
        )
    return [
        "layers + acyclic on synthetic codebases (~8 imports a module, 5 layers, cycles): "
        "a warm `fitness check` (its cache filled by one cold run, shown once; its output "
        "replayed when nothing changed), and warm with the rules checked (the replay removed "
        "before each run: what a run after a change costs)",
        table(
            [
                "size",
                "modules",
                "cold check",
                "warm check",
                "warm, rules checked",
                "warm wall s",
                "warm us/module",
                "peak RSS MB",
                "goal",
            ],
            rows or [["n/a"] * 9],
        ),
        f"  20k / 5k warm: {times(growth)} (goal <= {GROWTH:.0f}: {met(growth, GROWTH)}; "
        "4.00x is linear)" + ("" if before is None else f"; before: {times(before)}"),
        *(
            [f"  20k / 5k warm, rules checked: {times(checked_growth)}"]
            if checked_growth is not None
            else []
        ),
        *notes.lines,
    ]


def rules_part(entries: list[dict[str, Any]], goals: Goals) -> list[str]:
    notes, rows = Notes(), []
    for e in entries:
        name = e["codebase"]
        if notes.failure(name, e):
            rows.append([name, *["n/a"] * 6])
            continue
        notes.of(name, e["runs"])
        fitness = cpu(e["runs"], "fitness")
        goals.add(
            f"{e['rules']:,} rules warm on {name} <= {RULES_SECONDS} s",
            f"{seconds(fitness)} s",
            met(fitness, RULES_SECONDS),
        )
        rows.append(
            [
                name,
                f"{e['rules']:,} ({e['holding']:,} hold)",
                seconds(fitness),
                seconds(cpu(e["runs"], "import-linter")),
                times(ratio(fitness, cpu(e["runs"], "import-linter"))),
                f"<= {RULES_SECONDS} s: {met(fitness, RULES_SECONDS)}",
                f"{e['verdicts'].get('fitness')} / {e['verdicts'].get('import-linter')}",
            ]
        )
    return [
        "many rules, warm: forbidden rules between packages two and three names deep, most "
        "of them holding; the same contracts for lint-imports",
        table(
            [
                "codebase",
                "rules",
                "fitness check",
                "lint-imports",
                "ratio",
                "goal",
                "kept/broken (f / il)",
            ],
            rows,
        ),
        *notes.lines,
    ]


def graphs_part(entries: list[dict[str, Any]], goals: Goals) -> list[str]:
    notes, rows = Notes(), []
    others = ("grimp", "pytestarch", "pytest-archon")
    for e in entries:
        name = e["codebase"]
        if notes.failure(name, e):
            rows.append([name, *["n/a"] * 5])
            continue
        notes.of(name, e["runs"])
        fitness = cpu(e["runs"], "fitness")
        rows.append(
            [
                name,
                str(e.get("modules") or "n/a"),
                seconds(fitness),
                *(
                    f"{seconds(cpu(e['runs'], t))} ({times(ratio(fitness, cpu(e['runs'], t)))})"
                    for t in others
                ),
            ]
        )
    return [
        "building the graph, no cache, in process (the build alone): CPU seconds (fitness's "
        "time as a multiple of each tool's)",
        table(["codebase", "modules", "fitness", *others], rows),
        *notes.lines,
    ]


def pytest_part(entries: list[dict[str, Any]], goals: Goals) -> list[str]:
    notes, rows = Notes(), []
    for e in entries:
        name = e["codebase"]
        if notes.failure(name, e):
            rows.append([name, *["n/a"] * 5])
            continue
        notes.of(name, e["runs"])
        empty = cpu(e["runs"], "pytest, no plugin")
        plugin = cpu(e["runs"], "pytest, plugin")
        in_pytest = cpu(e["runs"], "pytest -m fitness")
        check = cpu(e["runs"], "fitness check")
        idle = plugin - empty if plugin is not None and empty is not None else None
        overhead = (
            in_pytest - empty - check if None not in (in_pytest, empty, check) else None  # type: ignore[operator]
        )
        rows.append(
            [
                name,
                seconds(empty),
                "n/a" if idle is None else f"{idle * 1000:+.0f} ms",
                seconds(in_pytest),
                seconds(check),
                "n/a" if overhead is None else f"{overhead * 1000:+.0f} ms",
            ]
        )
    return [
        "pytest running the contracts' rules (warm): `pytest -m fitness` against pytest's own "
        "start-up (an empty test, -p no:fitness) plus a warm `fitness check`",
        table(
            [
                "codebase",
                "pytest, empty test",
                "plugin, no rules",
                "pytest -m fitness",
                "fitness check",
                "overhead",
            ],
            rows,
        ),
        *notes.lines,
    ]


RENDERERS: dict[str, Callable[[list[dict[str, Any]], Goals], list[str]]] = {
    "contracts": contracts_part,
    "floor": floor_part,
    "modular": modular_part,
    "codemodel": codemodel_part,
    "scaling": scaling_part,
    "rules": rules_part,
    "graphs": graphs_part,
    "pytest": pytest_part,
}


def with_before(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry, then (with --before) the same with the other checkout's figures as
    fitness's, named "<codebase> (before)"."""
    found = []
    for e in entries:
        found.append(e)
        name = f"{e.get('codebase')} (before)"
        if isinstance(e.get("before"), dict):  # the code model: a run of its own
            found.append({**e["before"], "codebase": name})
            continue
        copy = dict(e)
        for key in ("cold", "warm", "runs"):
            measured = e.get(key)
            if isinstance(measured, dict) and "fitness before" in measured:
                copy[key] = {
                    **{k: v for k, v in measured.items() if not k.startswith("fitness")},
                    "fitness": measured["fitness before"],
                }
        if copy == e:
            continue
        for key in ("verdicts", "exit codes"):
            if key in e:
                copy[key] = {**e[key], "fitness": e[key].get("fitness before")}
        found.append({**copy, "codebase": name})
    return found


def report(results: dict[str, Any]) -> str:
    v = results["versions"]
    m = results["machine"]
    load = results["load"]
    shown = ", ".join(
        f"{name} {v.get(name) or 'not installed'}"
        for name in ("grimp", "import-linter", "tach", "pytestarch", "pytest-archon", "pytest")
    )
    head = [
        f"pytest-fitness {v.get('pytest-fitness')} (commit {results['revision']}), {shown}, "
        f"Python {v.get('python')}",
        "codebases: " + ", ".join(results["codebases"].values()),
        f"machine: {m['cpus']} cores, {m['cpu']}; load average "
        f"{load['before'][0]:.1f} at the start, {load.get('after', [0.0])[0]:.1f} at the end",
        f"{results['date']}: `{results['command']}`; each figure the median of "
        f"{results['repeat']} runs, the tools of a comparison alternating run by run",
        "CPU seconds (user + system) of each process; ratio = pytest-fitness / the other tool",
        *(
            [f"(before): commit {results['before']}, measured in the same rounds"]
            if results.get("before")
            else []
        ),
        *(f"not installed: {tool}: {why}" for tool, why in results.get("missing", {}).items()),
        "",
    ]
    goals = Goals()
    body: list[str] = []
    for part, render in RENDERERS.items():
        entries = results["parts"].get(part)
        if not entries:
            continue
        loads = ", ".join(f"{e['load']:.1f}" for e in entries if "load" in e)
        if part != "scaling":
            entries = with_before(entries)
        body += [
            f"## {part} (python benchmarks/run.py --only {part}; load average after: {loads})",
            *render(entries, goals),
            "",
        ]
    summary = []
    if goals.rows:
        summary = ["## goals of issue 25", table(["goal", "measured", "met"], goals.rows), ""]
    took = results["seconds"].get("total", 0)
    footer = [f"(measured in {took / 60:.1f} minutes)"]
    return "\n".join([*head, *summary, *body, *footer])
