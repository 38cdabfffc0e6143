"""The caches' one way to disk (fitness/adapters/cache_store.py): entries sealed with a
key that lives outside the project, read only when that key sealed them, within a
size bound, from regular files; written never through a link."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from fitness.adapters.cache_store import (
    HEADER_SIZE,
    CacheStore,
    cache_key,
    key_path,
    open_cache,
    size_limit,
)
from fitness.adapters.files import write_bytes_within

KEY = b"a key of this machine, long enough"
OTHER_KEY = b"the key of another machine, as long"


def store(root: Path, key: bytes = KEY) -> CacheStore:
    return CacheStore(root, key)


# Sealing --------------------------------------------------------------------------


def test_an_entry_written_is_read_back(tmp_path: Path) -> None:
    cache = store(tmp_path)
    assert cache.write("codemodel/modules.marshal", b"data")
    assert cache.read("codemodel/modules.marshal", limit=1000) == b"data"
    assert cache.rejected == 0
    assert cache.note() is None


def test_an_entry_another_key_sealed_is_rejected(tmp_path: Path) -> None:
    store(tmp_path, OTHER_KEY).write("graph.json", b"{}")
    cache = store(tmp_path)
    assert cache.read("graph.json", limit=1000) is None
    assert cache.rejected == 1
    assert cache.note() is not None


@pytest.mark.parametrize(
    "raw",
    [
        b"(\x00\x00\x00\x10",  # a marshal tuple header of 2**28 items, as on main
        b"{}",
        b"fitness-cache 1 " + b"0" * 64 + b"\n{}",  # a seal made up
        b"fitness-cache 1 " + b"0" * 64,  # the header cut short
    ],
)
def test_anything_unsealed_is_rejected_before_it_is_parsed(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "entry").write_bytes(raw)
    cache = store(tmp_path)
    assert cache.read("entry", limit=1000) is None
    assert cache.rejected == 1


def test_a_changed_byte_breaks_the_seal(tmp_path: Path) -> None:
    cache = store(tmp_path)
    cache.write("entry", b'{"imports": ["pkg.high"]}')
    raw = bytearray((tmp_path / "entry").read_bytes())
    raw[-3] ^= 1
    (tmp_path / "entry").write_bytes(bytes(raw))
    assert cache.read("entry", limit=1000) is None
    assert cache.rejected == 1


def test_an_entry_moved_to_another_name_is_rejected(tmp_path: Path) -> None:
    """The seal covers the entry's name: an entry of this user's cannot stand in for
    another (the facts of one module for those of another)."""
    cache = store(tmp_path)
    cache.write("classfacts/aa/one.json", b"one")
    (tmp_path / "classfacts/aa/two.json").write_bytes(
        (tmp_path / "classfacts/aa/one.json").read_bytes()
    )
    assert cache.read("classfacts/aa/two.json", limit=1000) is None
    assert cache.rejected == 1


def test_an_empty_file_is_a_plain_miss(tmp_path: Path) -> None:
    """What a crash can leave of a write that was not flushed: no note about it."""
    (tmp_path / "entry").write_bytes(b"")
    cache = store(tmp_path)
    assert cache.read("entry", limit=1000) is None
    assert cache.rejected == 0


def test_a_missing_entry_is_a_plain_miss(tmp_path: Path) -> None:
    cache = store(tmp_path)
    assert cache.read("history/abc.json", limit=1000) is None
    assert cache.rejected == 0


# Bounds ---------------------------------------------------------------------------


def test_an_entry_larger_than_its_bound_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = store(tmp_path)
    cache.write("entry", b"x" * 5000)
    reads: list[int] = []
    original = os.read

    def counting(handle: int, size: int) -> bytes:
        reads.append(size)
        return original(handle, size)

    monkeypatch.setattr(os, "read", counting)
    assert cache.read("entry", limit=HEADER_SIZE + 4999) is None
    assert reads == []  # refused from its size, before a byte was read (or allocated)
    assert cache.rejected == 1
    assert cache.read("entry", limit=HEADER_SIZE + 5000) == b"x" * 5000


def test_the_bound_grows_with_the_sources() -> None:
    assert size_limit(0) < size_limit(1000) < size_limit(1000, files=10)
    assert size_limit(10**6) < 20 * 10**6


# Links, pipes, directories ----------------------------------------------------------


def test_a_link_is_not_read(tmp_path: Path) -> None:
    cache = store(tmp_path / "cache")
    (tmp_path / "cache").mkdir()
    elsewhere = tmp_path / "elsewhere"
    store(tmp_path).write("elsewhere", b"sealed by us")
    (tmp_path / "cache" / "elsewhere").symlink_to(elsewhere)
    assert cache.read("elsewhere", limit=1000) is None
    assert cache.rejected == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_neither_read_nor_waited_for(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "entry")
    cache = store(tmp_path)
    assert cache.read("entry", limit=1000) is None  # returns at once: never blocks
    assert cache.rejected == 1
    assert not cache.write("entry", b"data")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "entry").st_mode)


def test_a_link_in_the_way_is_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("someone's notes\n")
    root = tmp_path / "cache"
    root.mkdir()
    (root / "graph.json").symlink_to(victim)
    assert not store(root).write("graph.json", b"{}")
    assert victim.read_text() == "someone's notes\n"
    assert (root / "graph.json").is_symlink()  # left as it is


def test_a_linked_directory_is_not_written_into(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "cache"
    root.mkdir()
    (root / "codemodel").symlink_to(outside, target_is_directory=True)
    assert not store(root).write("codemodel/modules.marshal", b"data")
    assert list(outside.iterdir()) == []


def test_a_directory_in_the_way_is_left_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "entry").mkdir()
    (tmp_path / "entry" / "inside").write_text("x")
    cache = store(tmp_path)
    assert not cache.write("entry", b"data")
    assert cache.read("entry", limit=1000) is None
    assert (tmp_path / "entry" / "inside").read_text() == "x"


def test_names_stay_inside_the_cache(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a plain relative path"):
        write_bytes_within(tmp_path, "../escape", b"x")
    assert not store(tmp_path).write("a/../../escape", b"x")
    assert not (tmp_path.parent / "escape").exists()


# The key ----------------------------------------------------------------------------


def test_the_key_file_is_made_once_for_the_user_with_mode_600(tmp_path: Path) -> None:
    environ = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    first = cache_key(environ)
    path = tmp_path / "xdg" / "pytest-fitness" / "cache-key"
    assert first.path == path == key_path(environ)
    assert first.secret is not None and len(first.secret) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["cache-key"]  # no temporary left
    assert cache_key(environ).secret == first.secret


def test_without_xdg_cache_home_the_key_is_in_the_home_directory(tmp_path: Path) -> None:
    assert key_path({"HOME": str(tmp_path)}) == tmp_path / ".cache/pytest-fitness/cache-key"
    # A relative XDG_CACHE_HOME is ignored, as the XDG specification says.
    assert key_path({"HOME": str(tmp_path), "XDG_CACHE_HOME": "rel"}) == key_path(
        {"HOME": str(tmp_path)}
    )


def test_the_environment_gives_the_key(tmp_path: Path) -> None:
    environ = {"FITNESS_CACHE_KEY": "k" * 32, "XDG_CACHE_HOME": str(tmp_path)}
    assert cache_key(environ).secret == b"k" * 32
    assert not (tmp_path / "pytest-fitness").exists()


def test_an_empty_key_variable_counts_as_unset(tmp_path: Path) -> None:
    """What a pull request from a fork gets for a secret it may not read."""
    environ = {"FITNESS_CACHE_KEY": "", "XDG_CACHE_HOME": str(tmp_path)}
    assert cache_key(environ).path == tmp_path / "pytest-fitness" / "cache-key"


def test_a_short_key_variable_is_refused(tmp_path: Path) -> None:
    found = cache_key({"FITNESS_CACHE_KEY": "short", "XDG_CACHE_HOME": str(tmp_path)})
    assert found.secret is None
    assert found.problem == "FITNESS_CACHE_KEY is too short (at least 16 characters)"


@pytest.mark.parametrize("trap", ["a link", "readable by others", "too short"])
def test_a_key_file_that_cannot_be_trusted_is_not_used(tmp_path: Path, trap: str) -> None:
    path = tmp_path / "pytest-fitness" / "cache-key"
    path.parent.mkdir()
    if trap == "a link":
        (tmp_path / "planted").write_text("k" * 64)
        (tmp_path / "planted").chmod(0o600)
        path.symlink_to(tmp_path / "planted")
    else:
        path.write_text("k" * (64 if trap == "readable by others" else 4))
        path.chmod(0o644 if trap == "readable by others" else 0o600)
    found = cache_key({"XDG_CACHE_HOME": str(tmp_path)})
    assert found.secret is None
    assert found.problem is not None and found.problem.startswith(
        f"cannot use the cache key {path}: "
    )


def test_a_key_that_cannot_be_made_turns_the_cache_off_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory\n")
    project = tmp_path / "project"
    project.mkdir()
    opening = open_cache(
        project, ".fitness_cache", environ={"XDG_CACHE_HOME": str(tmp_path / "file")}
    )
    assert opening.store is None
    assert opening.note == (
        f"the cache is off for this run: cannot use the cache key "
        f"{tmp_path}/file/pytest-fitness/cache-key: Not a directory"
    )
    assert not (project / ".fitness_cache").exists()


def test_a_key_inside_the_project_is_not_trusted(tmp_path: Path) -> None:
    """Whoever writes the project (a pull request) could have written the key."""
    opening = open_cache(tmp_path, ".fitness_cache", environ={"XDG_CACHE_HOME": str(tmp_path)})
    assert opening.store is None
    assert opening.note is not None and "is inside the project" in opening.note


# Where the cache lives --------------------------------------------------------------


def test_the_cache_is_in_cache_dir_inside_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    environ = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    opening = open_cache(project, "build/cache", environ=environ)
    assert opening.store is not None and opening.note is None
    assert opening.store.root == project.resolve() / "build" / "cache"
    assert (project / "build" / "cache" / ".gitignore").is_file()


def test_a_cache_dir_leading_out_through_a_link_is_not_used(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "build").symlink_to(outside, target_is_directory=True)
    environ = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    opening = open_cache(project, "build/cache", environ=environ)
    assert opening.store is None
    assert opening.note == (
        "the cache is off for this run: cache_dir 'build/cache' leads outside the project "
        "(through a symbolic link); to cache elsewhere, set FITNESS_CACHE_DIR"
    )
    assert list(outside.iterdir()) == []


def test_fitness_cache_dir_puts_the_cache_anywhere(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    environ = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "FITNESS_CACHE_DIR": str(tmp_path / "c")}
    opening = open_cache(project, ".fitness_cache", environ=environ)
    assert opening.store is not None
    assert opening.store.root == (tmp_path / "c").resolve()
    assert not (project / ".fitness_cache").exists()
