"""Time ``fitness history`` over a generated git history, cold, warm and incremental.

    python benchmarks/bench_history.py                 # Django's package, 100 commits
    python benchmarks/bench_history.py shop --commits 50
    python benchmarks/bench_history.py django --commits 100 --keep /tmp/djhist

The history is built in a temporary git repository: the first commit is the
package's source (Django's, located with ``importlib.util.find_spec`` without
importing it, as installed here; or ``examples/shop``) with a configuration
declaring a few rules; every later commit changes a few modules, as a day of
work does: it appends lines to three of them, and every tenth commit adds an
import that breaks a rule to another module. Deterministic for a given seed.

Then ``fitness history --last N --format csv`` runs three times: cold (no
history cache), warm (every row cached) and after one more commit (one row to
measure). Nothing is asserted: the numbers are printed for docs/history.md and
for regressions to be noticed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DJANGO_CONFIG = """
[tool.fitness]
root_packages = ["django"]

[[tool.fitness.rules]]
name = "The ORM does not know the web"
type = "forbidden"
source_modules = ["django.db"]
forbidden_modules = ["django.http", "django.views", "django.template"]

[[tool.fitness.rules]]
name = "Layers"
type = "layers"
layers = ["django.contrib", "django.views", "django.http", "django.db", "django.utils"]

[[tool.fitness.rules]]
name = "No cycles between the top packages"
type = "acyclic_siblings"
ancestors = ["django"]
"""

ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(repo: Path, *arguments: str, day: int = 0) -> None:
    date = f"{1767268800 + day * 86400} +0000"
    env = {**os.environ, **ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *arguments], cwd=repo, env=env, check=True, capture_output=True)


def first_commit(kind: str, repo: Path) -> tuple[str, str]:
    """Write the project's first state; its package and the module breaking a rule."""
    if kind == "shop":
        shutil.copytree(ROOT / "examples" / "shop", repo, dirs_exist_ok=True)
        return "shop", "shop/domain|import shop.adapters"
    spec = importlib.util.find_spec(kind)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{kind} is not installed here: pip install {kind}")
    source = Path(next(iter(spec.submodule_search_locations)))
    shutil.copytree(
        source, repo / kind, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale")
    )
    (repo / "pyproject.toml").write_text(DJANGO_CONFIG, encoding="utf-8")
    return kind, "django/db|import django.http"


def build(kind: str, repo: Path, commits: int, seed: int) -> None:
    package, breaking = first_commit(kind, repo)
    (repo / ".gitignore").write_text(".fitness_cache/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    modules = sorted(str(p.relative_to(repo)) for p in (repo / package).rglob("*.py"))
    chance = random.Random(seed)
    where, line = breaking.split("|")
    breakable = [m for m in modules if m.startswith(f"{where}/")]
    for number in range(1, commits):
        for path in chance.sample(modules, 3):
            with open(repo / path, "a", encoding="utf-8") as stream:
                stream.write(f"\nCHANGE_{number} = {number}\n")
        if number % 10 == 0:  # a module that may not import the web starts to
            with open(repo / chance.choice(breakable), "a", encoding="utf-8") as stream:
                stream.write(f"\n{line} as _broken_{number}  # noqa\n")
        git(repo, "commit", "-q", "-a", "-m", f"change {number}", day=number)


def timed(repo: Path, last: int) -> tuple[float, float, str]:
    """Wall-clock seconds, CPU seconds (user and system) and the CSV of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "fitness", "history", "--last", str(last), "--format", "csv"],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", nargs="?", default="django", help="django (default) or shop")
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-history-") as scratch:
        repo = args.keep or Path(scratch) / "repo"
        repo.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        build(args.kind, repo, args.commits, args.seed)
        files = sum(1 for _ in repo.rglob("*.py"))
        print(
            f"{args.kind}: {args.commits} commits of {files} Python files, built in "
            f"{time.perf_counter() - start:.1f} s"
        )
        cold, cold_cpu, rows = timed(repo, args.commits)
        warm, warm_cpu, again = timed(repo, args.commits)
        assert rows == again, "a warm run must give the same bytes"
        with open(next((repo / args.kind).rglob("*.py")), "a", encoding="utf-8") as stream:
            stream.write("\nONE_MORE = 1\n")
        git(repo, "commit", "-q", "-a", "-m", "one more", day=args.commits)
        one, one_cpu, _ = timed(repo, args.commits)
        print("                               wall        CPU (user + system, git included)")
        print(
            f"cold (every commit measured): {cold:6.1f} s   {cold_cpu:6.1f} s "
            f"({cold_cpu / args.commits:.2f} s a commit)"
        )
        print(f"warm (every row cached):      {warm:6.1f} s   {warm_cpu:6.1f} s")
        print(f"one new commit:               {one:6.1f} s   {one_cpu:6.1f} s")
        print("violations per rule at the last commit:", rows.splitlines()[-1].split(",")[2:-6])


if __name__ == "__main__":
    main()
