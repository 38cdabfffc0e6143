"""How ``run.py`` measures: the benchmark's virtualenv, one process's CPU time, interleaved runs.

- :func:`setup` makes ``benchmarks/.work/venv`` (once) with pytest-fitness from the
  checkout and each competitor installed on its own: one that fails to install is
  recorded with the reason, and only its rows say so.
- :func:`run` starts one command in a fresh process and takes its CPU time (user +
  system) from ``wait4``: the process and the children it waited for, the figures
  ``getrusage(RUSAGE_CHILDREN)`` accumulates. CPU time is what a busy machine inflates
  least; wall time is kept beside it.
- :func:`interleave` runs the contenders of one comparison round by round (A B, then
  B A, ...), so a change in the machine's load falls on both alike.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


class Failure(Exception):
    """A tool that could not be installed or run: its row says why, the others go on."""


def log(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def tail(text: str, lines: int = 3) -> str:
    """The last non-empty lines of a tool's output, on one line (for a row's reason)."""
    kept = [line.strip() for line in text.splitlines() if line.strip()][-lines:]
    return " / ".join(kept)[-300:]


# --------------------------------------------------------------------------
# One process
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One command in a fresh process."""

    cpu: float  #: user + system seconds of the process and the children it waited for
    wall: float
    max_rss_mb: float
    returncode: int
    output: str


def run(
    command: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    *,
    ok: Iterable[int] = (0, 1),
) -> Run:
    """Run ``command``; :class:`Failure` if it cannot start or exits with a code not in ``ok``."""
    start = time.perf_counter()
    try:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
    except OSError as error:
        raise Failure(f"{Path(command[0]).name} could not start: {error.strerror}") from None
    assert process.stdout is not None
    output = process.stdout.read().decode("utf-8", "replace")
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in tuple(ok):
        shown = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(command[:3]))
        raise Failure(f"`{shown} ...` exited with {code}: {tail(output)}")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, code, output)


# --------------------------------------------------------------------------
# Interleaved runs
# --------------------------------------------------------------------------


@dataclass
class Measured:
    """The runs of one contender (or why there are none)."""

    runs: list[Run] = field(default_factory=list)
    failure: str | None = None

    @property
    def cpu(self) -> float | None:
        return statistics.median(r.cpu for r in self.runs) if self.runs else None

    @property
    def wall(self) -> float | None:
        return statistics.median(r.wall for r in self.runs) if self.runs else None

    @property
    def max_rss_mb(self) -> float | None:
        return max(r.max_rss_mb for r in self.runs) if self.runs else None

    @property
    def last(self) -> Run | None:
        return self.runs[-1] if self.runs else None

    def as_json(self) -> dict[str, object]:
        return {
            "cpu": self.cpu,
            "wall": self.wall,
            "max_rss_mb": self.max_rss_mb,
            "cpu_runs": [round(r.cpu, 4) for r in self.runs],
            "wall_runs": [round(r.wall, 4) for r in self.runs],
            "returncode": self.last.returncode if self.last else None,
            "failure": self.failure,
        }


def interleave(
    rounds: int,
    contenders: dict[str, Callable[[], Run]],
    *,
    runs: dict[str, int] | None = None,
) -> dict[str, Measured]:
    """Each contender once per round, the order reversed every other round; ``runs``
    limits the expensive ones (in the first rounds). A contender that fails is not run
    again: its :class:`Measured` holds the reason."""
    measured = {name: Measured() for name in contenders}
    names = list(contenders)
    for index in range(rounds):
        for name in names if index % 2 == 0 else reversed(names):
            wanted = (runs or {}).get(name, rounds)
            if measured[name].failure is not None or index >= wanted:
                continue
            try:
                measured[name].runs.append(contenders[name]())
            except Failure as failure:
                measured[name].failure = str(failure)
    return measured


def failed(reason: str, *names: str) -> dict[str, Measured]:
    return {name: Measured(failure=reason) for name in names}


# --------------------------------------------------------------------------
# The benchmark's virtualenv
# --------------------------------------------------------------------------


@dataclass
class Environment:
    """The virtualenv's ``bin/`` directory, and the tools that are not in it (why)."""

    bin_dir: Path
    missing: dict[str, str]
    codebases: dict[str, Path]
    codebase_missing: dict[str, str]

    def command(self, name: str) -> str:
        return str(self.bin_dir / name)

    def require(self, *tools: str) -> None:
        for tool in tools:
            if tool in self.missing:
                raise Failure(f"{tool} is not installed: {self.missing[tool]}")


def _pip(bin_dir: Path) -> list[str]:
    return [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]


def _pip_run(command: list[str]) -> str | None:
    """``None`` if pip succeeded, else the end of what it said."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return None
    said = (done.stdout + done.stderr).splitlines()
    errors = [line.strip() for line in said if line.startswith("ERROR:")]
    return errors[-1][:300] if errors else tail("\n".join(said)) or "pip failed"


def setup(
    work: Path,
    repo: Path,
    tools: dict[str, str],
    codebases: dict[str, tuple[str, str]],
    *,
    venv_name: str = "venv",
) -> Environment:
    """The virtualenv (made once), pytest-fitness from ``repo`` reinstalled as a wheel,
    the competitors (each on its own; retried next time if it failed) and the codebases'
    wheels unpacked as plain files (``codebases`` maps a name to its package and pin)."""
    venv = work / venv_name
    bin_dir = venv / "bin"
    stamp = work / ("installed.json" if venv_name == "venv" else f"installed-{venv_name}.json")
    try:
        done = json.loads(stamp.read_text())
    except (OSError, ValueError):
        done = {}
    if not (bin_dir / "python").exists() or done.get("python") != sys.version:
        log(f"creating {venv}")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        done = {"python": sys.version}
    # The checkout's own dependencies (again when its pyproject.toml changes).
    declared = f"{repo} {hashlib.sha256((repo / 'pyproject.toml').read_bytes()).hexdigest()}"
    if done.get("repo") != declared:
        log(f"installing pytest-fitness's dependencies from {repo}")
        problem = _pip_run([*_pip(bin_dir), str(repo)])
        if problem:
            raise SystemExit(f"benchmarks: pytest-fitness from {repo} does not install: {problem}")
        done["repo"] = declared
    missing: dict[str, str] = {}
    for name, requirement in tools.items():
        if done.get("tools", {}).get(name) == requirement:
            continue
        log(f"installing {requirement}")
        problem = _pip_run([*_pip(bin_dir), requirement])
        if problem:
            missing[name] = problem
            log(f"{requirement} did not install: {problem}")
        else:
            done.setdefault("tools", {})[name] = requirement
    found: dict[str, Path] = {}
    codebase_missing: dict[str, str] = {}
    for name, (package, pin) in codebases.items():
        target = work / "codebases" / name
        if done.get("codebases", {}).get(name) != pin or not (target / package).is_dir():
            shutil.rmtree(target, ignore_errors=True)
            log(f"unpacking {pin} into {target}")
            # The wheel's files, not an installation: nothing of it is imported, and
            # --python-version lets a codebase that needs a newer Python be read too.
            problem = _pip_run(
                [
                    *_pip(bin_dir),
                    "--no-deps",
                    "--only-binary=:all:",
                    "--python-version",
                    "3.12",
                    "--ignore-requires-python",
                    "--target",
                    str(target),
                    pin,
                ]
            )
            if problem:
                codebase_missing[name] = problem
                continue
            done.setdefault("codebases", {})[name] = pin
        found[name] = target
    stamp.write_text(json.dumps(done, indent=2) + "\n")
    install_checkout(bin_dir, repo)
    return Environment(bin_dir, missing, found, codebase_missing)


def install_checkout(bin_dir: Path, repo: Path) -> None:
    """Install the measured checkout as a user gets it: a wheel, byte-compiled by pip.

    Reinstalled on every run (a few seconds), so the numbers are those of the code as
    it is now. An editable install would measure its import hook too (~10 ms a
    process), which an installed package does not pay.
    """
    problem = _pip_run([*_pip(bin_dir), "--no-deps", "--force-reinstall", str(repo)])
    if problem:
        raise SystemExit(f"benchmarks: pytest-fitness from {repo} does not install: {problem}")


def linked_copy(source: Path, target: Path) -> Path:
    """``target``, a copy of the directory ``source`` made of hard links where the file
    system allows (made once): each row's project gets its own configuration files."""
    if not target.is_dir():
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)

        def link(src: str, dst: str) -> None:
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)

        shutil.copytree(
            source, partial, copy_function=link, ignore=shutil.ignore_patterns("__pycache__")
        )
        partial.rename(target)
    return target
