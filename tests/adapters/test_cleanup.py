"""Temporary files and directories are removed whatever ends the run
(:mod:`fitness.adapters.cleanup`; the signals themselves: tests/robustness/test_signals.py)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from fitness import console
from fitness.adapters.cleanup import registered, remove, remove_all, removed_on_exit


def tree(root: Path) -> Path:
    """A directory with files, a subdirectory, and links out of it (to a file and to a
    directory that must survive)."""
    outside = root / "outside"
    (outside / "keep").mkdir(parents=True)
    (outside / "keep" / "data.txt").write_text("kept")
    directory = root / "tmp-tree"
    (directory / "a" / "b").mkdir(parents=True)
    (directory / "a" / "b" / "m.py").write_text("x = 1\n")
    (directory / "top.txt").write_text("")
    (directory / "a" / "to-dir").symlink_to(outside / "keep")
    (directory / "to-file").symlink_to(outside / "keep" / "data.txt")
    return directory


def test_a_tree_is_removed_when_the_block_ends_and_links_are_not_followed(
    tmp_path: Path,
) -> None:
    directory = tree(tmp_path)
    with removed_on_exit(directory) as name:
        assert name == str(directory)
        assert registered() == [str(directory)]
    assert not directory.exists()
    assert registered() == []
    assert (tmp_path / "outside" / "keep" / "data.txt").read_text() == "kept"


def test_a_path_is_removed_when_the_block_ends_by_an_exception(tmp_path: Path) -> None:
    file = tmp_path / "scratch.bin"
    file.write_bytes(b"x")
    with pytest.raises(KeyError), removed_on_exit(file):
        raise KeyError("boom")
    assert not file.exists()
    assert registered() == []


def test_remove_all_removes_what_is_registered_newest_first(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    inner = outer / "inner.txt"
    with removed_on_exit(outer), removed_on_exit(inner):
        inner.write_text("")
        assert registered() == [str(outer), str(inner)]
        remove_all()
        assert not outer.exists()
        assert registered() == []


def test_a_forked_process_leaves_its_parents_paths_alone(tmp_path: Path) -> None:
    """A worker forked while a temporary tree exists, then stopped (a pool's SIGTERM):
    the tree is its parent's."""
    directory = tree(tmp_path)
    with removed_on_exit(directory):
        child = os.fork()
        if child == 0:  # pragma: no cover - the child
            remove_all()
            os._exit(0 if not registered() else 3)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert (directory / "a" / "b" / "m.py").exists()
    assert not directory.exists()


def test_removing_what_is_gone_or_cannot_be_removed_never_raises(tmp_path: Path) -> None:
    remove(str(tmp_path / "missing"))
    remove(str(tmp_path / "missing" / "deeper"))
    with removed_on_exit(tmp_path / "missing"):
        pass


@pytest.mark.parametrize(
    ("signum", "raised"),
    [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, SystemExit), (signal.SIGHUP, SystemExit)],
)
def test_a_signal_while_a_file_is_written_raises_so_that_the_file_is_removed(
    monkeypatch: pytest.MonkeyPatch, signum: int, raised: type[BaseException]
) -> None:
    monkeypatch.setattr(console, "_writing", lambda: True)
    with pytest.raises(raised) as excinfo:
        console._ended(signum, None)
    if raised is SystemExit:
        assert excinfo.value.args == (128 + signum,)
