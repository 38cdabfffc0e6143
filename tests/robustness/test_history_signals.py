"""``fitness history``'s temporary tree (in memory, ``/dev/shm``) is removed whatever ends
the run (issue 19, item 4): Ctrl-C ended the command with ``os._exit`` before the tree
was removed, and SIGTERM and SIGHUP killed it on the spot, leaving the tree in RAM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from fitness.adapters.cleanup import remove_all
from fitness.adapters.scratch import scratch_directory, scratch_root
from tests.cli.test_history import commit, git
from tests.helpers import append, copy_example, signals_as_default

CONSOLE = [sys.executable, "-c", "from fitness.console import run; run()"]


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty commits of the shop example: long enough to be signalled while it measures."""
    repo = copy_example("shop", tmp_path_factory.mktemp("signals"))
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "the shop", 1)
    for number in range(2, 41):
        append(repo / "shop" / "domain" / "model.py", f"# change {number}\n")
        commit(repo, f"change {number}", 1 + number % 28)
    return repo


def leftovers(pid: int) -> list[str]:
    root = scratch_root() or tempfile.gettempdir()
    return [name for name in os.listdir(root) if name.startswith(f"fitness-history-{pid}-")]


@pytest.mark.parametrize(
    ("signum", "status"),
    [
        # The command's handlers: 128 + the signal's number (Ctrl-C with one line).
        (signal.SIGTERM, 128 + signal.SIGTERM),
        (signal.SIGHUP, 128 + signal.SIGHUP),
        (signal.SIGINT, 130),
    ],
    ids=["SIGTERM", "SIGHUP", "SIGINT"],
)
def test_a_signal_while_measuring_leaves_no_temporary_tree(
    long_history: Path, signum: int, status: int
) -> None:
    process = subprocess.Popen(
        [*CONSOLE, "history", "--no-cache", "--last", "40", "--format", "csv"],
        cwd=long_history,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=signals_as_default,
    )
    deadline = time.monotonic() + 120
    while not leftovers(process.pid) and process.poll() is None:  # it is measuring
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before its temporary tree was seen"
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    assert leftovers(process.pid) == []
    assert process.returncode == status, err
    assert "Traceback" not in err


def test_a_forked_worker_never_removes_its_parents_tree() -> None:
    """Workers inherit the registry, and a pool ends its workers with SIGTERM."""
    with scratch_directory("fitness-test-") as directory:
        child = os.fork()
        if child == 0:  # pragma: no cover - the worker
            remove_all()
            os._exit(0 if directory.is_dir() else 1)
        _, code = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(code) == 0
        assert directory.is_dir()
    assert not directory.exists()


def test_the_tree_is_removed_when_an_exception_ends_the_block() -> None:
    with pytest.raises(KeyboardInterrupt), scratch_directory("fitness-test-") as directory:
        (directory / "file.py").write_text("", encoding="utf-8")
        raise KeyboardInterrupt
    assert not directory.exists()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # (the handler was for the block)
