"""A corrupt cache is rebuilt (with a note when fitness did not write it); a corrupt
baseline is an error that names the file and is never overwritten; a project whose cache
cannot be written is still checked."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from fitness.cli import main
from tests.helpers import read_cache_entry, write_cache_entry
from tests.robustness.corpus import LAYERS, SHOP, Case, snapshot, write_case

#: A layers rule that is broken once: the report a cold run gives must not change.
BROKEN = Case(
    "broken",
    "broken",
    "",
    config=LAYERS + '\n[[tool.fitness.rules]]\nname = "lcom"\ntype = "metrics"\nmax_lcom4 = 10\n',
    files={
        **SHOP,
        "shop/domain/money.py": "import shop.application.services\n\n\nclass Money:\n    pass\n",
    },
)


#: What a run says, once, when its cache held entries fitness did not write on this machine.
NOTE = (
    "fitness: note: the cache in .fitness_cache held entries not written by fitness on this "
    "machine (copied or committed from elsewhere, forged, or from an older version): they were "
    "ignored and rebuilt (to share a cache, share its key: FITNESS_CACHE_KEY)\n"
)


def check(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--config", str(root / "pyproject.toml"), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cache_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / ".fitness_cache").rglob("*") if p.is_file())


def garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xff\xfe garbage \x80" * 50)


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def wrong_json(path: Path) -> None:
    path.write_text(
        '{"format": 1, "key": 3, "files": [], "modules": 7, "imports": "x", "module": []}'
    )


def directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("x")


@pytest.mark.parametrize(
    "damage",
    [garbage, truncate, wrong_json, directory],
    ids=["garbage bytes", "truncated", "valid JSON, wrong shape", "a directory"],
)
def test_a_corrupt_cache_is_ignored_and_rebuilt(
    damage: Callable[[Path], None], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_case(tmp_path, BROKEN)
    cold = check(root, capsys)
    assert cold[0] == 1
    damaged = cache_files(root)
    assert any(p.name.startswith("graph-") for p in damaged)
    assert any("codemodel" in p.parts for p in damaged)  # the metrics rule reads classes
    for path in damaged:
        if path.name != ".gitignore":
            damage(path)
    before = snapshot(root)
    assert check(root, capsys) == (*cold[:2], NOTE)  # the same report, and why it was slow
    assert snapshot(root) == before
    litter = [p.name for p in cache_files(root) if p.suffix == ".tmp" or p.name.startswith(".g")]
    assert litter in ([], [".gitignore"])
    # The graph cache is usable again (written afresh where it could be: a directory in
    # the way is left as it is, and said again).
    for path in cache_files(root):
        if path.name.startswith("graph-"):
            assert json.loads(read_cache_entry(path))["format"] >= 1
    assert check(root, capsys) == (*cold[:2], NOTE if damage is directory else "")


def test_the_cache_directory_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_case(tmp_path, BROKEN)
    (root / ".fitness_cache").write_text("not a directory\n")
    before = snapshot(root)
    code, out, err = check(root, capsys)
    assert (code, err) == (1, "")
    assert "BROKEN layered" in out.splitlines()
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("cache_dir", "environment"),
    [("notes.txt/cache", None), (".fitness_cache", "/proc/fitness-cannot-create-this")],
    ids=["under a file", "cannot be created"],
)
def test_a_cache_that_cannot_be_written_is_skipped(
    cache_dir: str,
    environment: str | None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a read-only project directory does to fitness, simulated so that it also
    holds for root (for whom chmod does not prevent writes)."""
    if environment is not None:
        monkeypatch.setenv("FITNESS_CACHE_DIR", environment)
    case = Case(
        "x",
        "broken",
        "",
        config=BROKEN.config.replace(
            "[tool.fitness]\n", f'[tool.fitness]\ncache_dir = "{cache_dir}"\n'
        ),
        files={**BROKEN.files, "notes.txt": "mine\n"},
    )
    root = write_case(tmp_path, case)
    before = snapshot(root)
    for _ in range(2):
        code, out, err = check(root, capsys)
        assert (code, err) == (1, "")
        assert "BROKEN layered" in out.splitlines()
        assert "Traceback" not in out
    assert snapshot(root) == before
    assert not (root / ".fitness_cache").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only directories")
def test_a_read_only_project_is_checked_without_a_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_case(tmp_path / "project", BROKEN)
    before = snapshot(root)
    directories = [Path(d) for d, _, _ in os.walk(root)]
    for path in directories:
        path.chmod(0o555)
    try:
        code, out, err = check(root, capsys)
    finally:
        for path in directories:
            path.chmod(0o755)
    assert (code, err) == (1, "")
    assert "BROKEN layered" in out.splitlines()
    assert snapshot(root) == before
    assert not (root / ".fitness_cache").exists()


def test_a_read_only_project_under_pytest(pytester: pytest.Pytester) -> None:
    case = Case(
        "x",
        "broken",
        "",
        config=BROKEN.config.replace(
            "[tool.fitness]\n", '[tool.fitness]\ncache_dir = "notes.txt/cache"\n'
        ),
        files={**BROKEN.files, "notes.txt": "mine\n"},
    )
    root = write_case(pytester.path, case)
    before = snapshot(root)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    assert "Traceback" not in result.stdout.str()
    assert snapshot(root) == before


# ---- the baseline ---------------------------------------------------------------------

BASELINES = {
    "invalid JSON": (
        b'{"version": 2, "rules": {',
        "{path}:1: corrupt baseline (invalid JSON: Expecting property name enclosed in "
        "double quotes); fix it or regenerate it with `fitness baseline`",
    ),
    "not UTF-8": (
        b'{"version": 2, "rules": {"\xff": []}}',
        "{path}: corrupt baseline (not valid UTF-8, byte 26); fix it or regenerate it with "
        "`fitness baseline`",
    ),
    "wrong version": (
        b'{"version": 99, "rules": {}}',
        "{path}: corrupt baseline: unsupported baseline version 99 (expected 2); regenerate "
        "it with `fitness baseline`",
    ),
    "no version": (
        b'{"rules": {}}',
        "{path}: corrupt baseline: unsupported baseline version None (expected 2); "
        "regenerate it with `fitness baseline`",
    ),
    "a list": (b"[1, 2]", "{path}: corrupt baseline: a baseline must be a JSON object"),
    "wrong schema": (
        b'{"version": 2, "rules": 3}',
        "{path}: corrupt baseline: 'rules' must be an object mapping rule names to their entries",
    ),
    "wrong entry": (
        b'{"version": 2, "rules": {"layered": [{"importer": 3}]}}',
        "{path}: corrupt baseline: rules.layered: must be an object",
    ),
}


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_a_corrupt_baseline_is_an_error_and_is_kept(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, message = BASELINES[name]
    root = write_case(tmp_path, BROKEN)
    path = root / "fitness-baseline.json"
    path.write_bytes(data)
    before = snapshot(root)
    code, out, err = check(root, capsys)
    assert (code, out) == (2, "")
    assert err == f"fitness: error: {message.format(path=path)}\n"
    assert snapshot(root) == before


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_pytest_never_merges_into_a_corrupt_baseline(name: str, pytester: pytest.Pytester) -> None:
    data, message = BASELINES[name]
    root = write_case(pytester.path, BROKEN)
    path = root / "fitness-baseline.json"
    path.write_bytes(data)
    before = snapshot(root)
    for args in ([], ["--fitness-update-baseline"]):
        result = pytester.runpytest("-p", "no:cacheprovider", *args)
        assert result.ret == pytest.ExitCode.TESTS_FAILED
        out = result.stdout.str()
        assert f"pytest-fitness: {message.format(path=path)}" in result.stdout.lines, out
        assert "Traceback" not in out
    assert snapshot(root) == before


@pytest.mark.slow
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_pytest_with_a_corrupt_cache(workers: list[str], pytester: pytest.Pytester) -> None:
    root = write_case(pytester.path, BROKEN)
    first = pytester.runpytest_subprocess("-p", "no:cacheprovider", *workers, timeout=300)
    first.assert_outcomes(passed=1, failed=1)
    for path in cache_files(root):
        if path.name != ".gitignore":
            garbage(path)
    before = project_files(root)
    again = pytester.runpytest_subprocess("-p", "no:cacheprovider", *workers, timeout=300)
    again.assert_outcomes(passed=1, failed=1)
    assert "Traceback" not in again.stdout.str() + again.stderr.str()
    assert "INTERNALERROR" not in again.stdout.str()
    assert project_files(root) == before


def project_files(root: Path) -> dict[str, bytes | str]:
    """The snapshot without what pytester's subprocess runs write next to the project."""
    artefacts = ("runpytest", "stdout", "stderr")
    return {k: v for k, v in snapshot(root).items() if not k.startswith(artefacts)}


#: A project whose cache holds every kind of field: imports, a dynamic import, a
#: suppression, class facts.
FIELDS = Case(
    "fields",
    "broken",
    "",
    config=BROKEN.config,
    files={
        **BROKEN.files,
        "shop/domain/plugins.py": "import importlib\nimportlib.import_module('shop.application')\n",
        "shop/application/services.py": "from shop.domain import model  "
        "# fitness: ignore[layered] legacy\n\nclass Service:\n    def run(self):\n"
        "        return self.x\n",
    },
)


def _leaves(data: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(data, list):
        found = [leaf for i, value in enumerate(data) for leaf in _leaves(value, (*path, i))]
        return found or [path]
    return [path]


def _replaced(data: object, path: tuple[object, ...], value: object) -> object:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {k: _replaced(v, rest, value) if k == head else v for k, v in data.items()}
    assert isinstance(data, list)
    return [_replaced(v, rest, value) if i == head else v for i, v in enumerate(data)]


@pytest.mark.slow
def test_a_cache_with_a_field_of_the_wrong_type_is_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every field of a cache file whose key matches, replaced by a value of each other
    JSON type: the run gives the cold run's report, and repairs the file."""
    root = write_case(tmp_path, FIELDS)
    expected = check(root, capsys)
    assert expected[0] == 1
    cache = root / ".fitness_cache"
    (graph_file,) = cache.glob("graph-*.json")
    good = json.loads(read_cache_entry(graph_file))
    leaves = [p for p in _leaves(good) if p[0] not in ("format", "key")]
    assert len(leaves) > 20
    wrong_values: list[object] = [None, "x", -1, 1.5, True, [], {}, ["x", 1]]
    for leaf in leaves:
        original: object = good
        for step in leaf:
            original = original[step]  # type: ignore[index]
        for value in wrong_values:
            if type(value) is type(original):
                continue  # the right type (a wrong value of it is another matter)
            write_cache_entry(cache, graph_file, json.dumps(_replaced(good, leaf, value)))
            assert check(root, capsys) == expected, (leaf, value)
            # ...and the file is usable again: the next run reads it
            assert json.loads(read_cache_entry(graph_file))["key"] == good["key"]


def test_a_damaged_cache_is_repaired_by_the_next_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_case(tmp_path, FIELDS)
    expected = check(root, capsys)
    cache = root / ".fitness_cache"
    (graph_file,) = cache.glob("graph-*.json")
    good = json.loads(read_cache_entry(graph_file))
    damaged = json.dumps({**good, "facts": {"shop": {"suppressions": [7]}}})
    write_cache_entry(cache, graph_file, damaged)  # sealed, yet wrong: a bug of ours
    assert check(root, capsys, "--no-cache") == expected
    assert check(root, capsys) == expected
    assert json.loads(read_cache_entry(graph_file)) == good
