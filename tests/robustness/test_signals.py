"""Ctrl-C, SIGTERM and SIGHUP end the ``fitness`` command cleanly (issue 19, item 4):
exit 130, 143 and 129, the temporary trees of the run removed (``fitness history``'s
lived on in /dev/shm), never a traceback (the Ctrl-C handler imported a module, and a
Ctrl-C during another import made it an ``ImportError``)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.cli.test_history import build_history
from tests.helpers import signals_as_default

SIGNALS = [
    pytest.param(signal.SIGINT, "fitness: interrupted\n", id="SIGINT"),
    pytest.param(signal.SIGTERM, "", id="SIGTERM"),
    pytest.param(signal.SIGHUP, "", id="SIGHUP"),
]


def started(code: str, *arguments: str, cwd: Path, **options: object) -> subprocess.Popen[bytes]:
    """A Python process running ``code``, once it has written ``>`` to stderr."""
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *arguments],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **{"preexec_fn": signals_as_default, **options},  # type: ignore[call-overload]
    )
    assert isinstance(process, subprocess.Popen)
    assert process.stderr is not None
    assert process.stderr.read(1) == b">", process.communicate()
    return process


#: Temporary paths registered as a run registers them, then the command's handlers,
#: then a wait for the signal.
REGISTRY_SCRIPT = """
    import contextlib, os, sys, tempfile, time
    from fitness import console
    from fitness.adapters.cleanup import removed_on_exit

    console._install()
    scratch = sys.argv[1]
    with contextlib.ExitStack() as stack:
        tree = stack.enter_context(removed_on_exit(tempfile.mkdtemp(dir=scratch)))
        os.makedirs(os.path.join(tree, "pkg", "sub"))
        open(os.path.join(tree, "pkg", "sub", "m.py"), "w").close()
        handle, file = tempfile.mkstemp(dir=scratch)
        os.close(handle)
        stack.enter_context(removed_on_exit(file))
        os.write(2, b">")
        time.sleep(60)
"""


@pytest.mark.parametrize(("signum", "said"), SIGNALS)
def test_a_signal_removes_the_registered_paths_and_ends_with_its_code(
    tmp_path: Path, signum: int, said: str
) -> None:
    process = started(REGISTRY_SCRIPT, str(tmp_path), cwd=tmp_path)
    assert len(os.listdir(tmp_path)) == 2
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err.decode()) == (128 + signum, said)
    assert os.listdir(tmp_path) == []


def test_an_ignored_sighup_stays_ignored(tmp_path: Path) -> None:
    """Under ``nohup`` the command keeps running when the terminal goes away."""
    process = started(
        REGISTRY_SCRIPT,
        str(tmp_path),
        cwd=tmp_path,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    process.send_signal(signal.SIGHUP)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert os.listdir(tmp_path) == []


#: ``fitness history`` with its temporary tree in a directory of the test's (not the
#: shared /dev/shm), each commit's graph a little slower, and ``>`` written once the
#: first commit's tree is there.
HISTORY_SCRIPT = """
    import os, sys, time
    from fitness.adapters import git, scratch as scratch_module
    from fitness import console

    scratch = sys.argv.pop(1)
    scratch_module.scratch_root = lambda: scratch
    graph = git.SnapshotProject.graph

    def slower(self):
        if not getattr(git, "told", False):
            git.told = True
            os.write(2, b">")
        time.sleep(0.3)
        return graph(self)

    git.SnapshotProject.graph = slower
    console.run()
"""


@pytest.fixture(scope="module")
def history_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_history(tmp_path_factory.mktemp("signals"))


@pytest.mark.parametrize(("signum", "said"), SIGNALS)
def test_fitness_history_ended_by_a_signal_leaves_no_temporary_tree(
    history_repository: Path, tmp_path: Path, signum: int, said: str
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    process = started(HISTORY_SCRIPT, str(scratch), "history", "--no-cache", cwd=history_repository)
    [tree] = os.listdir(scratch)
    assert tree.startswith("fitness-history-")
    assert (scratch / tree / "tree" / "pyproject.toml").exists()
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err.decode()) == (128 + signum, said)
    assert os.listdir(scratch) == []


def test_fitness_history_removes_its_temporary_tree_when_it_ends(
    history_repository: Path, tmp_path: Path
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    process = started(
        HISTORY_SCRIPT, str(scratch), "history", "--no-cache", "--last", "2", cwd=history_repository
    )
    out, err = process.communicate(timeout=120)
    assert (process.returncode, err.decode()) == (0, "")
    assert out.decode().count("\n") > 2
    assert os.listdir(scratch) == []


#: The console script, ``>`` written once its signal handlers are installed (a Ctrl-C
#: before then comes during Python's own start-up, or while fitness.console is imported:
#: Python's KeyboardInterrupt, as for any Python program).
CONSOLE_SCRIPT = """
    import os
    from fitness import console

    install = console._install

    def installed():
        install()
        os.write(2, b">")

    console._install = installed
    console.run()
"""


@pytest.mark.slow
def test_ctrl_c_at_any_moment_of_the_start_up_never_gives_a_traceback(tmp_path: Path) -> None:
    """The handler used to import a module: a Ctrl-C while another was half imported
    gave an ImportError traceback and exit 1, about one run in 120."""
    shop = tmp_path / "shop"  # (a copy: its cache is this test's own)
    shutil.copytree(
        Path(__file__).resolve().parents[2] / "examples" / "shop",
        shop,
        ignore=shutil.ignore_patterns(".fitness_cache"),
    )
    chance = random.Random(19)
    outcomes = set()
    for _ in range(150):
        process = started(CONSOLE_SCRIPT, "check", cwd=shop)
        # (a sleep in the child's own clock would be steadier, but this is what a user does)
        chance_delay = chance.uniform(0, 0.4)
        try:
            process.wait(timeout=chance_delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
        outcome = (process.returncode, err.decode())
        assert outcome in {(130, "fitness: interrupted\n"), (0, "")}, outcome
        outcomes.add(outcome[0])
    assert 130 in outcomes
