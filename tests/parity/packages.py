"""Real packages from PyPI for the parity test, installed once and reused.

The packages are installed with pip (``--target``, no dependencies: they are
only parsed, never imported) into a directory named by the environment
variable ``FITNESS_PARITY_VENV`` (default: a directory in the system's
temporary directory, so that later runs reuse it). pip's own download cache
is used as usual. The installation is atomic: it goes to a temporary
directory that is renamed into place, so parallel workers never see half of it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: Pinned, so that the contracts' verdicts are stable.
REQUIREMENTS = ("django==5.2.8", "sqlalchemy==2.0.44")
#: Smaller packages of other shapes: httpx (private modules, a subpackage of transports),
#: rich (a flat package of 80 modules), attrs (two top-level packages, ``attr`` and
#: ``attrs``, in one distribution), and jaraco.* (portions of the namespace package
#: ``jaraco``, each a distribution of its own).
SHAPES_REQUIREMENTS = (
    "httpx==0.28.1",
    "rich==14.2.0",
    "attrs==25.4.0",
    "jaraco.text==4.0.0",
    "jaraco.functools==4.1.0",
    "jaraco.context==6.0.1",
)

ENV_VAR = "FITNESS_PARITY_VENV"
MARKER = "fitness-parity-complete.txt"

#: What pip prints when it cannot reach the package index at all.
_UNREACHABLE = re.compile(
    r"Failed to establish a new connection|Temporary failure in name resolution|"
    r"Name or service not known|Network is unreachable|Connection refused|"
    r"No route to host|ProxyError|ConnectTimeoutError|ReadTimeoutError|"
    r"Could not fetch URL|connection broken|SSLError",
    re.IGNORECASE,
)


class IndexUnreachable(Exception):
    """pip could not reach the package index: the parity test is skipped, not failed."""


def packages_dir(requirements: tuple[str, ...] = REQUIREMENTS) -> Path:
    """The directory holding the installed packages (installing them if needed)."""
    key = "-".join(r.replace("==", "_") for r in requirements)
    base = os.environ.get(ENV_VAR)
    root = Path(base) if base else Path(tempfile.gettempdir()) / "pytest-fitness-parity"
    target = root / key
    if (target / MARKER).is_file():
        return target
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{key}.", suffix=".tmp", dir=root))
    try:
        _pip_install(staging, requirements)
        (staging / MARKER).write_text("\n".join(requirements) + "\n", encoding="utf-8")
        try:
            os.rename(staging, target)
        except OSError:
            if not (target / MARKER).is_file():  # not a parallel worker's complete copy
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _pip_install(target: Path, requirements: tuple[str, ...]) -> None:
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--no-compile",
        "--retries",
        "1",
        "--timeout",
        "30",
        "--target",
        str(target),
        *requirements,
    ]
    process = subprocess.run(command, capture_output=True, text=True, check=False)
    if process.returncode == 0:
        return
    output = f"{process.stdout}\n{process.stderr}".strip()
    reasons = [line.strip() for line in output.splitlines() if _UNREACHABLE.search(line)]
    if reasons:
        raise IndexUnreachable(reasons[-1][:300])
    raise RuntimeError(f"pip install {' '.join(requirements)} failed:\n{output}")
