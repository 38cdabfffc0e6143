"""`modular_monolith` with interfaces against `tach check`, cold, on Django.

    python benchmarks/bench_modular.py                      # Django installed here, 5 rounds
    python benchmarks/bench_modular.py --repeat 9 --python other/venv/bin/python
    python benchmarks/bench_modular.py --path benchmarks/.work/codebases/django

Both tools get the same 18 modules (Django's top-level packages, with
``django.contrib.admin`` and ``django.contrib.auth`` as modules of their own), the
same dependencies (what ``tach sync`` finds, so that what is measured is checking,
not printing thousands of violations) and the same interfaces: for eight modules,
the submodules others may import and the names their ``__init__`` lists in a
literal ``__all__`` (tach's ``expose`` patterns; fitness's ``interface`` and
``__all__``). The source is copied once into a temporary directory; each round
removes both tools' caches and runs each tool once in a fresh process, the two
interleaved (a busy machine then slows both alike). The figure is the CPU time
(user + system) of the process and its children, median of the rounds; the ratio
is fitness's over tach's. Needs ``tach`` (``pip install tach``) next to fitness.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

MODULES = [
    "django.apps",
    "django.conf",
    "django.contrib",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.core",
    "django.db",
    "django.dispatch",
    "django.forms",
    "django.http",
    "django.middleware",
    "django.shortcuts",
    "django.template",
    "django.templatetags",
    "django.test",
    "django.urls",
    "django.utils",
    "django.views",
]
#: Modules with an interface: the submodules others may import.
INTERFACES = {
    "django.apps": ["config", "registry"],
    "django.db": ["models", "transaction", "migrations", "backends", "utils"],
    "django.dispatch": ["dispatcher"],
    "django.forms": ["fields", "forms", "models", "widgets", "formsets", "utils", "renderers"],
    "django.http": ["request", "response", "cookie", "multipartparser"],
    "django.template": ["base", "context", "engine", "library", "loader", "response"],
    "django.urls": ["base", "conf", "converters", "exceptions", "resolvers", "utils"],
    "django.views": ["generic", "decorators", "debug", "defaults", "csrf", "i18n", "static"],
}


def locate(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"bench_modular: package {package!r} is not installed here (or give --path)")
    return Path(next(iter(spec.submodule_search_locations)))


def literal_all(init: Path) -> list[str]:
    """The names a package's ``__init__`` lists in a literal ``__all__`` (for tach's expose)."""
    for node in ast.parse(init.read_bytes()).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            return [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
    return []


def tach_toml(depends: dict[str, list[str]], root: Path) -> str:
    lines = ['source_roots = ["."]', "exact = false", "forbid_circular_dependencies = false", ""]
    for module in MODULES:
        listed = ", ".join(f'"{d}"' for d in depends.get(module, []))
        lines += ["[[modules]]", f'path = "{module}"', f"depends_on = [{listed}]", ""]
    for module, submodules in INTERFACES.items():
        names = literal_all(root / module.replace(".", "/") / "__init__.py")
        exposed = [f"{s}(\\\\..*)?" for s in submodules] + names
        listed = ", ".join(f'"{e}"' for e in exposed)
        lines += ["[[interfaces]]", f"expose = [{listed}]", f'from = ["{module}"]', ""]
    return "\n".join(lines)


def fitness_toml(depends: dict[str, list[str]]) -> str:
    lines = [
        "[tool.fitness]",
        'root_packages = ["django"]',
        "",
        "[[tool.fitness.rules]]",
        'name = "modules"',
        'type = "modular_monolith"',
        "acyclic = false",
        "indirect = false",
        "",
        "[tool.fitness.rules.modules]",
    ]
    for module in MODULES:
        listed = ", ".join(f'"{d}"' for d in depends.get(module, []))
        interface = INTERFACES.get(module)
        shown = ""
        if interface is not None:
            shown = ", interface = [" + ", ".join(f'"{s}"' for s in interface) + "]"
        lines.append(f'"{module}" = {{ depends_on = [{listed}]{shown} }}')
    return "\n".join(lines) + "\n"


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(command: list[str], cwd: Path) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, exit code) of one run in a fresh process."""
    cpu, wall = children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"bench_modular: {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return children_cpu() - cpu, time.perf_counter() - wall, done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", type=Path, help="the django package directory")
    parser.add_argument("--repeat", type=int, default=5, help="rounds (median)")
    parser.add_argument("--python", default=sys.executable, help="the Python that has fitness")
    beside = Path(sys.executable).parent / "tach"
    parser.add_argument(
        "--tach",
        default=str(beside) if beside.exists() else shutil.which("tach") or "tach",
        help="tach's command (default: beside this Python, else on PATH)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout of pytest-fitness (its fitness/ is imported from there), "
        "measured in the same rounds as 'before'",
    )
    args = parser.parse_args(argv)
    source = args.path.resolve() if args.path else locate("django")
    with tempfile.TemporaryDirectory(prefix="bench-modular-") as tmp:
        root = Path(tmp)
        shutil.copytree(source, root / "django", ignore=shutil.ignore_patterns("__pycache__"))
        (root / "tach.toml").write_text(tach_toml({}, root))
        subprocess.run([args.tach, "sync"], cwd=root, capture_output=True, check=True)
        synced = tomllib.loads((root / "tach.toml").read_text())
        depends = {
            module["path"]: [d if isinstance(d, str) else d["path"] for d in module["depends_on"]]
            for module in synced["modules"]
        }
        (root / "tach.toml").write_text(tach_toml(depends, root))
        (root / "pyproject.toml").write_text(fitness_toml(depends))
        env_key = {"FITNESS_CACHE_KEY": "bench-modular-" + "k" * 16}
        os.environ.update(env_key)
        tools = ["tach", "fitness"] + (["before"] if args.baseline else [])
        figures: dict[str, list[tuple[float, float, int]]] = {tool: [] for tool in tools}
        for _ in range(args.repeat):
            for tool in tools:
                shutil.rmtree(root / ".tach", ignore_errors=True)
                shutil.rmtree(root / ".fitness_cache", ignore_errors=True)
                if tool == "tach":
                    figures[tool].append(run([args.tach, "check"], root))
                elif tool == "fitness":
                    figures[tool].append(run([args.python, "-m", "fitness", "check"], root))
                else:
                    os.environ["PYTHONPATH"] = str(args.baseline.resolve())
                    try:
                        figures[tool].append(run([args.python, "-m", "fitness", "check"], root))
                    finally:
                        del os.environ["PYTHONPATH"]
    cpu = {tool: statistics.median(c for c, _, _ in runs) for tool, runs in figures.items()}
    wall = {tool: statistics.median(w for _, w, _ in runs) for tool, runs in figures.items()}
    print(
        f"modular_monolith, {len(MODULES)} modules, {len(INTERFACES)} with interfaces, on "
        f"Django, cold; median of {args.repeat} interleaved rounds; load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print(f"{'tool':<10} {'cpu s':>8} {'wall s':>8}  exit")
    for tool in tools:
        print(f"{tool:<10} {cpu[tool]:>8.3f} {wall[tool]:>8.3f}  {figures[tool][0][2]}")
    print(f"fitness / tach (CPU): {cpu['fitness'] / cpu['tach']:.2f}")
    if args.baseline:
        print(f"before / tach (CPU): {cpu['before'] / cpu['tach']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
