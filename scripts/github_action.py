"""The GitHub Action of pytest-fitness (``action.yml``): fail a pull request on the
architecture violations it adds.

1. Install pytest-fitness from the action's own checkout (``$GITHUB_ACTION_PATH``; no
   package index is asked for it, only for its dependencies) into a virtual
   environment of the runner's temporary directory, which sees the packages of the
   Python that runs this script (``--system-site-packages``: fitness plugins installed
   by an earlier step are used). With ``install: false``, the ``fitness`` of that
   Python is used as it is.
2. Find the base: the ``base`` input, else the pull request's base branch
   (``origin/$GITHUB_BASE_REF``), else on a push the commit before it (from the event).
   If the checkout lacks it (``actions/checkout`` fetches one commit by default), its
   tip is fetched (one commit: the gate reads only its files).
3. Run ``fitness check --new-since BASE --format github`` (plus ``--config`` and the
   ``args`` input) in ``working-directory``: one annotation per new violation, the whole
   markdown report appended to the job summary (``$GITHUB_STEP_SUMMARY``), and its exit
   status: 0 nothing new, 1 new violations, 2 bad input.

Standard library only: it runs before pytest-fitness is installed. Inputs come as
``INPUT_*`` environment variables (``action.yml`` passes them), never through a shell.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

NO_COMMIT = "0" * 40


def log(message: str) -> None:
    print(f"pytest-fitness: {message}", flush=True)


def fail(message: str) -> int:
    """An error annotation on the job, and exit status 2 (bad input)."""
    print(f"::error title=pytest-fitness::{message.replace('%', '%25')}", flush=True)
    return 2


def flag(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("", "true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0"):
        return False
    raise ValueError(f"input '{name}' must be true or false, not {value!r}")


def base_revision(environ: dict[str, str]) -> tuple[str, str | None]:
    """The revision to compare with, and the branch to fetch if it is missing."""
    given = environ.get("INPUT_BASE", "").strip()
    if given:
        return given, None
    branch = environ.get("GITHUB_BASE_REF", "").strip()
    if branch:
        return f"origin/{branch}", branch
    event = environ.get("GITHUB_EVENT_PATH", "")
    if event:
        try:
            before = json.loads(Path(event).read_text(encoding="utf-8")).get("before", "")
        except (OSError, ValueError, AttributeError):
            before = ""
        if isinstance(before, str) and before and before != NO_COMMIT:
            return before, None
    raise ValueError(
        "no base to compare with: not a pull request (no GITHUB_BASE_REF) and no push "
        "with a previous commit; set the action's 'base' input"
    )


def git(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False)


def ensure_fetched(revision: str, branch: str | None, cwd: Path) -> None:
    """Fetch the base branch's tip when the checkout does not have ``revision``."""
    known = git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", cwd=cwd)
    if known.returncode == 0 or branch is None:
        return
    log(f"fetching the tip of {branch} (the checkout does not have {revision})")
    done = git(
        "fetch",
        "--no-tags",
        "--depth=1",
        "origin",
        f"+refs/heads/{branch}:refs/remotes/origin/{branch}",
        cwd=cwd,
    )
    if done.returncode != 0:
        log(f"could not fetch {branch}: {done.stderr.strip()[-500:]}")


def install(environ: dict[str, str], python: str) -> str:
    """The Python to run fitness with: a virtual environment with pytest-fitness installed
    from the action's checkout (or ``python`` itself without ``install``)."""
    if not flag(environ.get("INPUT_INSTALL", "true"), "install"):
        return python
    action = environ.get("GITHUB_ACTION_PATH") or str(Path(__file__).resolve().parent.parent)
    temporary = environ.get("RUNNER_TEMP") or tempfile.gettempdir()
    venv = Path(temporary) / "pytest-fitness-venv"
    subprocess.run([python, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    interpreter = str(bin_dir / ("python.exe" if os.name == "nt" else "python"))
    log(f"installing pytest-fitness from {action}")
    subprocess.run(
        [interpreter, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", action],
        check=True,
    )
    return interpreter


def main(environ: dict[str, str] | None = None) -> int:
    environ = dict(os.environ if environ is None else environ)
    directory = Path(environ.get("INPUT_WORKING_DIRECTORY") or ".").resolve()
    try:
        revision, branch = base_revision(environ)
        extra = shlex.split(environ.get("INPUT_ARGS", ""))
        python = install(environ, environ.get("INPUT_PYTHON") or sys.executable)
    except ValueError as error:
        return fail(str(error))
    except subprocess.CalledProcessError as error:
        return fail(f"installing pytest-fitness failed ({error})")
    ensure_fetched(revision, branch, directory)
    command = [python, "-m", "fitness", "check", "--new-since", revision, "--format", "github"]
    config = environ.get("INPUT_CONFIG", "").strip()
    if config:
        command += ["--config", config]
    command += extra
    log(f"fitness check --new-since {revision} (in {directory})")
    return subprocess.run(command, cwd=directory, env=environ, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
