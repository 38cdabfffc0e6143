"""How the time of class rules grows with the depth of an inheritance chain.

    python benchmarks/bench_ancestry.py                  # chains of 1k, 2k, 4k and 10k classes
    python benchmarks/bench_ancestry.py --classes 10000  # one row
    python benchmarks/bench_ancestry.py --timeout 60     # give up on a row after a minute

One module holds a chain ``C0(ValueError)``, ``C1(C0)``, ... (10,000 classes make a
500 KB file: what a pull request can commit). The configuration has the class rules
that walk a class's ancestry: ``should_not_subclass`` of a base none has (every class
is followed to the top), ``that_subclass`` a builtin base (found at the top),
``should_subclass``, and ``should_not_subclass`` of the top's base for the last class
(one violation, a chain through every class). Each row is ``fitness check --no-cache``
in a fresh process (the code model built, then the rules checked), the median of
``--repeat`` runs, in wall-clock seconds. Linear means the last column stays flat.
Nothing is asserted: the numbers are for the docs and for regressions to be noticed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFIGURATION = """\
[tool.fitness]
root_packages = ["chain"]

[[tool.fitness.rules]]
name = "free of the ORM"
type = "classes"
modules = ["chain"]
should_not_subclass = ["sqlalchemy"]

[[tool.fitness.rules]]
name = "errors are named"
type = "classes"
modules = ["chain"]
that_subclass = ["Exception"]
should_be_named = ["C*"]

[[tool.fitness.rules]]
name = "errors"
type = "classes"
modules = ["chain"]
should_subclass = ["Exception"]

[[tool.fitness.rules]]
name = "the last class"
type = "classes"
modules = ["chain"]
that_are_named = ["C{last}"]
should_not_subclass = ["ValueError"]
"""


def chain(classes: int) -> str:
    """``C0(ValueError)``, then each class deriving from the one before."""
    lines = ["class C0(ValueError):\n    pass\n"]
    lines += [f"class C{i}(C{i - 1}):\n    pass\n" for i in range(1, classes)]
    return "\n".join(lines)


def measure(classes: int, repeat: int, timeout: float) -> tuple[float | None, int]:
    """The median time of ``fitness check`` (None: over ``timeout``), and the file's size."""
    with tempfile.TemporaryDirectory(prefix="bench-ancestry-") as directory:
        root = Path(directory)
        (root / "chain").mkdir()
        (root / "chain" / "__init__.py").write_text("")
        source = chain(classes)
        (root / "chain" / "classes.py").write_text(source)
        (root / "pyproject.toml").write_text(CONFIGURATION.format(last=classes - 1))
        command = [sys.executable, "-m", "fitness", "check", "--no-cache"]
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            try:
                run = subprocess.run(
                    command, cwd=root, capture_output=True, text=True, timeout=timeout, check=False
                )
            except subprocess.TimeoutExpired:
                return None, len(source)
            times.append(time.perf_counter() - start)
            if run.returncode != 1 or "1 violation" not in run.stdout:
                raise SystemExit(f"unexpected result with {classes} classes:\n{run.stderr}")
        return statistics.median(times), len(source)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, action="append", help="chain lengths (repeatable)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run at most")
    args = parser.parse_args(argv)
    print("| classes | file (KB) | fitness check (s) | per 1,000 classes (s) |")
    print("|--------:|----------:|------------------:|----------------------:|")
    for count in args.classes or [1000, 2000, 4000, 10000]:
        seconds, size = measure(count, args.repeat, args.timeout)
        if seconds is None:
            print(f"| {count:,} | {size // 1024} | > {args.timeout:.0f} | |", flush=True)
            continue
        print(
            f"| {count:,} | {size // 1024} | {seconds:.2f} | {seconds / count * 1000:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
