"""Files fitness must never damage (issue 11 B): devices, pipes and links are written
through, never replaced; a baseline never replaces the configuration or, without
--force, a file that is not a baseline; the cache's .gitignore goes only into a
directory fitness created; no temporary file outlives a failed or stopped write."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from fitness.adapters import files
from fitness.adapters.files import write_text_safely
from fitness.cli import main
from tests.robustness.corpus import FITNESS, LAYERS, SHOP, Case, snapshot, write_case

BROKEN = Case(
    "broken",
    "broken",
    "",
    files={**SHOP, "shop/domain/money.py": "import shop.application.services\n"},
)


def fitness(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*FITNESS, *args], cwd=root, capture_output=True, text=True, timeout=120)


# ---- the helper ---------------------------------------------------------------------


def test_a_regular_file_is_replaced_whole_with_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old\n")
    target.chmod(0o640)
    write_text_safely(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["report.txt"]


def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real/report.txt").write_text("old\n")
    link = tmp_path / "report.txt"
    link.symlink_to("real/report.txt")
    write_text_safely(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == "real/report.txt"
    assert (tmp_path / "real/report.txt").read_text() == "new\n"
    assert sorted(os.listdir(tmp_path / "real")) == ["report.txt"]


def test_a_named_pipe_is_written_in_place(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    write_text_safely(pipe, "through the pipe\n")
    reader.join(timeout=30)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert os.listdir(tmp_path) == ["pipe"]


def test_a_device_is_written_in_place(tmp_path: Path) -> None:
    before = os.stat("/dev/null")
    write_text_safely("/dev/null", "nothing\n")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        write_text_safely(tmp_path, "x")
    assert os.listdir(tmp_path) == []


def test_a_full_disk_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old\n")

    def no_space(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError, match="No space left"):
        write_text_safely(target, "new\n")
    assert os.listdir(tmp_path) == ["report.txt"]
    assert target.read_text() == "old\n"


def test_sigterm_while_writing_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.txt"
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        pytest.skip("someone else handles SIGTERM in this process")

    def terminated(descriptor: int) -> None:
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(os, "fsync", terminated)
    with pytest.raises(files.Terminated) as stopped:
        write_text_safely(target, "new\n")
    assert stopped.value.code == 143
    assert os.listdir(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_sigterm_in_a_subprocess_writing_a_large_report(tmp_path: Path) -> None:
    """The real signal, from outside, while the temporary file is being written."""
    code = (
        "import os, sys\n"
        "from fitness.adapters import files\n"
        "real_fsync = os.fsync\n"
        "def slow(fd):\n"
        "    print('writing', flush=True)\n"
        "    import time; time.sleep(60)\n"
        "os.fsync = slow\n"
        f"files.write_text_safely({str(tmp_path / 'out.txt')!r}, 'x' * 1000)\n"
    )
    process = subprocess.Popen(
        [FITNESS[0], "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "writing\n"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143
    assert "Traceback" not in err
    assert os.listdir(tmp_path) == []


# ---- the commands -------------------------------------------------------------------


@pytest.mark.parametrize(
    "option",
    [["check", "--format", "json", "-o"], ["report", "--html"], ["baseline", "--baseline"]],
)
def test_output_to_dev_null_keeps_dev_null(option: list[str], tmp_path: Path) -> None:
    write_case(tmp_path, BROKEN)
    before = os.stat("/dev/null")
    args = [*option, "/dev/null"]
    if option[0] == "baseline":
        args.append("--force")  # /dev/null is no baseline: written only when told to
    run = fitness(tmp_path, *args)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode in (0, 1), run.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_output_to_dev_stdout_reaches_stdout(tmp_path: Path) -> None:
    write_case(tmp_path, BROKEN)
    run = fitness(tmp_path, "check", "--format", "json", "-o", "/dev/stdout")
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout[: run.stdout.rindex("}") + 1])
    assert report["summary"]["broken"] == 1


def test_a_report_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    write_case(tmp_path, BROKEN)
    (tmp_path / "reports").mkdir()
    (tmp_path / "report.html").symlink_to("reports/latest.html")
    run = fitness(tmp_path, "report", "-o", "report.html")
    assert run.returncode == 1, run.stderr  # the case's rule is broken
    assert os.readlink(tmp_path / "report.html") == "reports/latest.html"
    assert (tmp_path / "reports/latest.html").read_text().startswith("<!DOCTYPE html>")


def test_the_baseline_never_replaces_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_case(tmp_path, BROKEN)
    before = snapshot(root)
    config = str(root / "pyproject.toml")
    for force in ([], ["--force"]):
        code = main(["baseline", "--config", config, "--baseline", config, *force])
        assert code == 2
        assert capsys.readouterr().err == (
            f"fitness: error: {config}: is the configuration file; the baseline must be a "
            "file of its own (default fitness-baseline.json)\n"
        )
    assert snapshot(root) == before


@pytest.mark.parametrize(
    "command",
    [
        ["check", "--format", "json"],
        ["report"],
        ["graph"],
        ["metrics", "--format", "json"],
    ],
)
@pytest.mark.parametrize(
    ("target", "what"),
    [
        ("pyproject.toml", "a configuration file"),
        ("shop/domain/model.py", "a Python source file"),
    ],
)
def test_a_report_never_replaces_the_configuration_or_the_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], target: str, what: str
) -> None:
    """Found trying the commands on real projects: `-o pyproject.toml` (a slip of the
    fingers, or of a shell's completion) replaced the configuration with the report."""
    root = write_case(tmp_path, BROKEN)
    before = snapshot(root)
    code = main([*command, "--config", str(root / "pyproject.toml"), "-o", str(root / target)])
    assert code == 2
    assert capsys.readouterr().err.endswith(
        f"fitness: error: {root / target}: is {what}, not a report; write the report to a "
        "file of its own\n"
    )
    assert snapshot(root) == before


def test_a_configured_baseline_that_is_another_file_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # (the configuration names only files inside the project: tests/robustness/
    # test_baseline_paths.py; the runner's --baseline, any file)
    project = tmp_path / "project"
    victim = tmp_path / "victim.txt"
    victim.write_text("someone's notes\n")
    root = write_case(project, Case("victim", "broken", "", files=BROKEN.files))
    command = ["baseline", "--config", str(root / "pyproject.toml"), "--baseline", str(victim)]
    assert main(command) == 2
    assert capsys.readouterr().err == (
        f"fitness: error: {victim}: exists and is not a fitness baseline (a JSON "
        'object with "tool": "pytest-fitness"); it was left as it is: choose another file, '
        "or use --force to replace it\n"
    )
    assert victim.read_text() == "someone's notes\n"
    assert main([*command, "--force"]) == 0
    assert json.loads(victim.read_text())["tool"] == "pytest-fitness"
    # from then on it is a baseline: rewritten without --force
    assert main(command) == 0


@pytest.mark.parametrize("cache_dir", [".", "shop"])
def test_no_gitignore_in_a_directory_fitness_did_not_create(
    cache_dir: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = LAYERS.replace("[tool.fitness]\n", f'[tool.fitness]\ncache_dir = "{cache_dir}"\n')
    root = write_case(tmp_path, Case("cache", "kept", "", config=config))
    assert main(["check", "--config", str(root / "pyproject.toml")]) == 0
    assert not (root / cache_dir / ".gitignore").exists()


def test_a_gitignore_in_the_cache_directory_fitness_creates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = LAYERS.replace("[tool.fitness]\n", '[tool.fitness]\ncache_dir = "build/fit"\n')
    root = write_case(tmp_path, Case("cache", "kept", "", config=config))
    assert main(["check", "--config", str(root / "pyproject.toml")]) == 0
    assert (root / "build/fit/.gitignore").read_text() == "# Created by pytest-fitness.\n*\n"
    assert not (root / "build/.gitignore").exists()


def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        write_text_safely(tmp_path / "new.txt", "x\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
