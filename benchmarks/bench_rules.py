"""How the time of `fitness check` grows with the number of rules in the configuration.

    python benchmarks/bench_rules.py                 # 250, 500, 1,000 and 2,000 rules
    python benchmarks/bench_rules.py --rules 1000    # one row

A small synthetic project (one package, a few modules) and N rules of the common
kinds (independence, forbidden, layers), each in its own ``[[tool.fitness.rules]]``
table, as a large organisation's generated configuration has them. Each row is
the median of several runs of ``fitness check`` in a fresh process with a warm
cache, so what grows is the configuration's cost: reading, validating, locating
each rule's line for the report, checking. Linear means the last column stays flat.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGE = {
    "app/__init__.py": "",
    "app/domain/__init__.py": "",
    "app/domain/model.py": "",
    "app/services/__init__.py": "",
    "app/services/orders.py": "import app.domain.model\n",
    "app/api/__init__.py": "",
    "app/api/views.py": "import app.services.orders\n",
}


def configuration(rules: int) -> str:
    parts = ['[tool.fitness]\nroot_packages = ["app"]\n']
    for i in range(rules):
        kind = i % 3
        if kind == 0:
            body = 'type = "independence"\nmodules = ["app.domain", "app.api"]\n'
        elif kind == 1:
            body = (
                'type = "forbidden"\nsource_modules = ["app.domain"]\n'
                'forbidden_modules = ["app.api"]\n'
            )
        else:
            body = 'type = "layers"\nlayers = ["app.api", "app.services", "app.domain"]\n'
        parts.append(f'\n[[tool.fitness.rules]]\nname = "rule {i:05}"\n{body}')
    return "".join(parts)


def measure(rules: int, repeat: int) -> float:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, text in PACKAGE.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        (root / "pyproject.toml").write_text(configuration(rules))
        command = [sys.executable, "-m", "fitness", "check"]
        subprocess.run(command, cwd=root, capture_output=True, check=False)  # warm the cache
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            run = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - start)
            if run.returncode not in (0, 1):
                raise SystemExit(f"fitness check failed with {rules} rules:\n{run.stderr}")
        return statistics.median(times)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, action="append", help="rule counts (repeatable)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    counts = args.rules or [250, 500, 1000, 2000]
    print("| rules | fitness check (s) | per 1,000 rules (s) |")
    print("|------:|------------------:|--------------------:|")
    for count in counts:
        seconds = measure(count, args.repeat)
        print(f"| {count:,} | {seconds:.2f} | {seconds / count * 1000:.2f} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
