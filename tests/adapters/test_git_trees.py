"""A commit's files written into a directory they cannot leave, whatever is on disk, and
read one at a time, never above the size limit."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fitness.adapters.git_trees import CommitReader, TreeDirectory, TreeError
from tests.cli.test_history import commit, git
from tests.helpers import write_files


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = write_files(
        tmp_path / "repo",
        {"pkg/__init__.py": "", "pkg/a.py": "import pkg\n", "README.md": "not read\n"},
    )
    git(root, "init", "-q", "-b", "main")
    commit(root, "first", 1)
    return root


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD")


def python_files(repo: Path, *, max_bytes: int = 1000) -> CommitReader:
    return CommitReader(repo, "", lambda path: path.endswith(".py"), max_bytes=max_bytes)


def test_the_directory_holds_the_chosen_files_of_the_commit(repo: Path, tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    directory = TreeDirectory(root, python_files(repo))
    assert directory.show(head(repo)) is True
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
        "pkg",
        "pkg/__init__.py",
        "pkg/a.py",
    ]
    assert directory.show(head(repo)) is False  # nothing changed: nothing written


def test_a_link_planted_on_the_way_is_not_followed(repo: Path, tmp_path: Path) -> None:
    """Defence in depth: the paths of a commit are validated, and each write opens the
    directories on its way one by one, never through a symbolic link."""
    root, outside = tmp_path / "tree", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "pkg").symlink_to(outside)
    directory = TreeDirectory(root, python_files(repo))
    with pytest.raises(TreeError, match="cannot write the commit's files"):
        directory.show(head(repo))
    assert list(outside.iterdir()) == []
    assert list(root.iterdir()) == []  # emptied: the next commit is written whole


def test_a_file_in_the_place_of_a_directory_is_not_written_into(repo: Path, tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "pkg").write_text("a file", encoding="utf-8")
    with pytest.raises(TreeError):
        TreeDirectory(root, python_files(repo)).show(head(repo))


def test_a_file_above_the_limit_is_refused_before_it_is_read(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "pkg" / "big.py").write_bytes(b"#" * 1001)
    commit(repo, "big", 2)
    root = tmp_path / "tree"
    root.mkdir()
    reader = python_files(repo)
    read: list[str] = []
    original = reader.contents

    def contents(files: list[tuple[str, str]]) -> Iterator[tuple[str, bytes]]:
        read.extend(path for path, _ in files)
        return original(files)

    monkeypatch.setattr(reader, "contents", contents)
    with pytest.raises(TreeError) as raised:
        TreeDirectory(root, reader).show(head(repo))
    assert str(raised.value) == (
        "pkg/big.py: 1,001 bytes, above the limit of 1,000 bytes for a file read from a commit"
    )
    assert read == []


def test_only_an_object_id_is_read(repo: Path) -> None:
    with pytest.raises(ValueError):
        python_files(repo).files("--output=/tmp/x")


def test_the_commands_of_a_read_run_with_literal_pathspecs(repo: Path, tmp_path: Path) -> None:
    (repo / "*").mkdir()
    (repo / "*" / "star.py").write_text("", encoding="utf-8")
    commit(repo, "a directory named *", 2)
    files = CommitReader(repo, "*", lambda path: path.endswith(".py")).files(head(repo))
    assert files.keys() == {"star.py"}
    assert os.environ.get("GIT_LITERAL_PATHSPECS") is None  # (ours, not the process's)
