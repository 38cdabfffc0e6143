"""Ctrl-C and a closed output end the ``fitness`` command quietly (issue 11 A): exit 130
with one line for Ctrl-C, whatever the command is doing (grimp's Rust scan turned the
interrupt into a panic that was then reported as a broken project); exit 141 and
nothing on stderr when the reader of the output goes away (`fitness check | head -1`)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import signals_as_default
from tests.robustness.corpus import Case, rule, write_case

#: The installed console script's code (``fitness.console:run``).
CONSOLE = [sys.executable, "-c", "from fitness.console import run; run()"]


def many_violations(root: Path, modules: int) -> Path:
    files: dict[str, str | bytes | None] = {
        f"shop/domain/m{i:04}.py": f"import shop.application.services  # {'x' * 60}\n"
        for i in range(modules)
    }
    config = rule(
        '[[tool.fitness.rules]]\nname = "layered"\ntype = "layers"\n'
        'layers = ["shop.application", "shop.domain"]\n'
    )
    return write_case(root, Case("many", "broken", "", config=config, files=files))


@pytest.mark.slow
def test_ctrl_c_ends_the_command_quietly_with_130(tmp_path: Path) -> None:
    # (large enough that a cold check, about a second here, is still running when most
    # of the signals come: 3,000 modules once took that long, and now take a third)
    root = many_violations(tmp_path, 12000)
    interrupted = 0
    for delay in (0.3, 0.6, 1.0, 1.5, 2.5):
        process = subprocess.Popen(
            [*CONSOLE, "check", "--no-cache"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=signals_as_default,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=120)
        if process.returncode == 130:
            interrupted += 1
            assert err == "fitness: interrupted\n"
        else:  # finished before the signal came
            assert (process.returncode, err) == (1, "")
    assert interrupted > 0


def test_a_closed_output_ends_the_command_quietly(tmp_path: Path) -> None:
    """The reader is gone before the report is written (`fitness check | true`)."""
    root = many_violations(tmp_path, 200)
    process = subprocess.Popen(
        [*CONSOLE, "check"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    process.wait(timeout=120)
    assert err == b""
    assert process.returncode == 141
