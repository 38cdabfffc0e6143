"""The package listing and the cache of the assembled graph (fitness/adapters/graph_cache.py,
source_files.py, grimp_internals.py)."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

import grimp
import pytest
from grimp.adaptors.filesystem import FileSystem
from grimp.adaptors.modulefinder import ModuleFinder
from grimp.application.ports.caching import CacheMiss

from fitness.adapters import graph_cache, grimp_internals, packages, source_files, source_scan
from fitness.adapters.cache_store import cache_key
from fitness.adapters.graph_cache import CachedGraph, GraphCache
from fitness.adapters.packages import GrimpGraphBuilder
from fitness.adapters.source_files import scan_package
from fitness.domain.config import GraphSettings
from fitness.domain.graph import ProjectGraph
from tests.helpers import read_cache_entry, write_cache_entry, write_files, write_project

SETTINGS = GraphSettings(("pkg",), include_external_packages=True)

FILES = {
    "pkg/__init__.py": "",
    "pkg/a.py": "import os\nfrom pkg import b\n",
    "pkg/b.py": "from pkg.sub import c\n",
    "pkg/sub/__init__.py": "",
    "pkg/sub/c.py": "import json\nimport pkg.a\n",
}


def dump(graph: ProjectGraph) -> set[tuple[Any, ...]]:
    """Everything a rule can see of a graph: modules, squashing, imports with details."""
    g = graph.grimp
    result: set[tuple[Any, ...]] = set()
    for module in g.modules:
        result.add(("module", module, g.is_module_squashed(module)))
        for imported in g.find_modules_directly_imported_by(module):
            for d in g.get_import_details(importer=module, imported=imported):
                result.add(("import", module, imported, d["line_number"], d["line_contents"]))
    return result


def build(project: Path, cache: bool = True) -> ProjectGraph:
    cache_dir = project / ".fitness_cache" if cache else None
    return GrimpGraphBuilder(project, cache_dir=cache_dir, sys_path=[]).build(SETTINGS)


def cache_file(project: Path) -> Path:
    return GraphCache(project / ".fitness_cache", SETTINGS).path


def cached_data(project: Path) -> Any:
    """The graph cache's JSON, without its seal."""
    return json.loads(read_cache_entry(cache_file(project)))


def write_cached(project: Path, text: str) -> None:
    """Replace the graph cache with ``text``, sealed as fitness on this machine seals it."""
    write_cache_entry(project / ".fitness_cache", cache_file(project), text)


def forbid_scanning(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("grimp was asked to build the graph: the cache was not used")

    monkeypatch.setattr(grimp, "build_graph", fail)
    monkeypatch.setattr(grimp_internals, "_scan_imports", fail)


def touch(path: Path, text: str) -> None:
    """Rewrite a file and move its mtime, so a change is seen even within one clock tick."""
    stat = path.stat() if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if stat is not None:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


# The listing ----------------------------------------------------------------


LISTED = {
    **FILES,
    "pkg/.hidden.py": "",
    "pkg/two.dots.py": "",
    "pkg/not-an-identifier/x.py": "",
    "pkg/data/loose.py": "",  # no __init__.py inside a package: a namespace package
    "pkg/data/more/deeper.py": "",
    "pkg/templates/page.html": "",  # no Python file: nothing to say about it
    "pkg/sub/deep/__init__.py": "",
    "pkg/sub/deep/d.py": "",
    "pkg/notes.txt": "",
}


def test_the_listing_as_import_linter_finds_the_modules_grimp_finds(tmp_path: Path) -> None:
    write_files(tmp_path, LISTED)
    ours = scan_package("pkg", str(tmp_path / "pkg"), namespaces=False)
    theirs = ModuleFinder().find_package("pkg", str(tmp_path / "pkg"), FileSystem())
    assert {f.module for f in ours.files} == {f.module.name for f in theirs.module_files}
    assert {f.module for f in ours.files} == {
        "pkg",
        "pkg.a",
        "pkg.b",
        "pkg.sub",
        "pkg.sub.c",
        "pkg.sub.deep",
        "pkg.sub.deep.d",
    }
    assert ours.namespace_packages == theirs.namespace_packages == frozenset()
    assert [(left.module, left.reason) for left in ours.left_out] == [
        ("pkg.data", source_files.NOT_LISTED),
        ("pkg.not-an-identifier", source_files.NOT_AN_IDENTIFIER),
    ]


def test_the_listing_finds_every_module_python_can_import(tmp_path: Path) -> None:
    """A directory without __init__.py inside a package is a namespace package (PEP 420);
    what holds Python files but cannot be imported is left out, a blind spot each."""
    write_files(tmp_path, LISTED)
    ours = scan_package("pkg", str(tmp_path / "pkg"))
    assert {f.module for f in ours.files} == {
        "pkg",
        "pkg.a",
        "pkg.b",
        "pkg.data.loose",
        "pkg.data.more.deeper",
        "pkg.sub",
        "pkg.sub.c",
        "pkg.sub.deep",
        "pkg.sub.deep.d",
    }
    assert ours.namespace_packages == {"pkg.data", "pkg.data.more"}
    assert [(left.module, left.reason) for left in ours.left_out] == [
        ("pkg.not-an-identifier", source_files.NOT_AN_IDENTIFIER)
    ]


def test_modules_the_listing_cannot_read_are_left_out(tmp_path: Path) -> None:
    """A compiled extension module or bytecode without its source: Python imports them."""
    write_files(
        tmp_path,
        {
            **FILES,
            "pkg/fast.cpython-312-x86_64-linux-gnu.so": "",
            "pkg/a.cpython-312-x86_64-linux-gnu.so": "",  # beside a.py: its source is read
            "pkg/old.pyc": "",
            "pkg/cached.cpython-312.pyc": "",  # not importable from here
            "pkg/sub/helpers.pyd": "",
            "pkg/ns/x.py": "",
            "pkg/ns.py": "",  # the module wins over the directory beside it
        },
    )
    ours = scan_package("pkg", str(tmp_path / "pkg"))
    assert [(left.module, left.reason) for left in ours.left_out] == [
        ("pkg.fast", source_files.EXTENSION),
        ("pkg.ns", source_files.SHADOWED),
        ("pkg.old", source_files.BYTECODE),
        ("pkg.sub.helpers", source_files.EXTENSION),
    ]
    assert "pkg.ns.x" not in {f.module for f in ours.files}


def test_the_listing_finds_namespace_packages_as_grimp_does(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"ns/portion/__init__.py": "", "ns/portion/m.py": "", "ns/empty/x.txt": ""}
    )
    ours = scan_package("ns", str(tmp_path / "ns"))
    theirs = ModuleFinder().find_package("ns", str(tmp_path / "ns"), FileSystem())
    assert ours.namespace_packages == theirs.namespace_packages == {"ns"}
    assert {f.module for f in ours.files} == {"ns.portion", "ns.portion.m"}


def test_a_symlink_loop_ends_the_walk(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    (tmp_path / "pkg" / "sub" / "loop").symlink_to(tmp_path / "pkg", target_is_directory=True)
    modules = {f.module for f in scan_package("pkg", str(tmp_path / "pkg")).files}
    assert "pkg.sub.c" in modules
    assert not any(".loop.loop" in m for m in modules)


# Hits and misses ----------------------------------------------------------


def test_a_cached_graph_is_the_graph_grimp_builds(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    fresh = build(tmp_path, cache=False)
    first = build(tmp_path)  # miss: builds and writes the cache
    assert cache_file(tmp_path).is_file()
    second = build(tmp_path)  # hit
    assert dump(fresh) == dump(first) == dump(second)
    assert ("import", "pkg.a", "os", 1, "import os") in dump(second)
    assert ("module", "os", True) in dump(second)
    assert second.file_of("pkg.sub.c") == "pkg/sub/c.py"


def test_a_hit_does_not_scan_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, FILES)
    expected = dump(build(tmp_path))
    forbid_scanning(monkeypatch)
    assert dump(build(tmp_path)) == expected


def test_a_file_changed_in_the_last_two_seconds_is_read_again_by_the_next_build(
    tmp_path: Path,
) -> None:
    """Its time may not tell a second change within the same clock tick (git's "racy"
    files): the next build reads it again, even at the same time and size."""
    write_files(tmp_path, FILES)
    b = tmp_path / "pkg" / "b.py"
    b.write_text("import pkg.a\n")  # now: racy
    when = b.stat().st_mtime_ns
    listed = scan_package("pkg", str(tmp_path / "pkg"))
    assert listed.racy == {"pkg.b"}
    assert source_files.listing_digest([listed]) != source_files.listing_digest(
        [scan_package("pkg", str(tmp_path / "pkg"))]
    )  # (a racy listing matches no other, the same one included)
    assert ("import", "pkg.b", "pkg.a", 1, "import pkg.a") in dump(build(tmp_path))
    b.write_text("import jsonx\n")  # the same size, and (as within one tick) the same time
    os.utime(b, ns=(when, when))
    after = dump(build(tmp_path))
    assert ("import", "pkg.b", "jsonx", 1, "import jsonx") in after
    assert after == dump(build(tmp_path, cache=False))


def test_a_settled_listing_is_not_racy(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)  # (dated a minute back)
    first, second = (scan_package("pkg", str(tmp_path / "pkg")) for _ in range(2))
    assert first.racy == frozenset() and first.token == ""
    assert source_files.listing_digest([first]) == source_files.listing_digest([second])


def test_without_the_cache_nothing_is_written(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    build(tmp_path, cache=False)
    assert not (tmp_path / ".fitness_cache").exists()


@pytest.mark.parametrize(
    ("change", "present", "absent"),
    [
        ("edit", ("import", "pkg.b", "json", 2, "import json"), None),
        ("add", ("module", "pkg.sub.new", False), None),
        ("delete", None, ("module", "pkg.b", False)),
    ],
)
def test_editing_adding_or_deleting_a_file_invalidates_the_cache(
    tmp_path: Path, change: str, present: tuple[Any, ...] | None, absent: tuple[Any, ...] | None
) -> None:
    write_files(tmp_path, FILES)
    build(tmp_path)
    if change == "edit":
        touch(tmp_path / "pkg" / "b.py", "from pkg.sub import c\nimport json\n")
    elif change == "add":
        touch(tmp_path / "pkg" / "sub" / "new.py", "import pkg.a\n")
    else:
        (tmp_path / "pkg" / "b.py").unlink()
        touch(tmp_path / "pkg" / "a.py", "import os\n")
    after = dump(build(tmp_path))
    assert after == dump(build(tmp_path, cache=False))
    if present:
        assert present in after
    if absent:
        assert absent not in after


@pytest.mark.parametrize("path", ["grimp's scanner", "grimp.build_graph"])
def test_after_an_edit_only_the_edited_file_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    write_files(tmp_path, FILES)
    build(tmp_path)
    touch(tmp_path / "pkg" / "b.py", "from pkg.sub import c\nimport json\n")
    read: list[str] = []
    if path == "grimp.build_graph":  # the fallback for a grimp without the scanning step
        monkeypatch.setattr(grimp_internals, "_scan_imports", None)
        original = grimp_internals._ImportsSink.read

        def counting(self: Any, module_file: Any) -> Any:
            try:
                return original(self, module_file)
            except CacheMiss:
                read.append(module_file.module.name)
                raise

        monkeypatch.setattr(grimp_internals._ImportsSink, "read", counting)
    else:
        scan = vars(grimp_internals)["_scan_imports"]
        assert scan is not None

        def spy(module_files: Any, **kwargs: Any) -> Any:
            read.extend(m.module.name for m in module_files)
            return scan(module_files, **kwargs)

        monkeypatch.setattr(grimp_internals, "_scan_imports", spy)
    after = build(tmp_path)
    assert read == ["pkg.b"]
    assert dump(after) == dump(build(tmp_path, cache=False))


REAL_PACKAGES = ["fitness", "_pytest", "hypothesis", "grimp"]


@pytest.mark.parametrize("package", REAL_PACKAGES)
@pytest.mark.parametrize("externals", [True, False])
@pytest.mark.parametrize("type_checking", [False, True])
def test_the_graph_is_the_one_grimp_build_graph_makes(
    package: str, externals: bool, type_checking: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Assembled straight into grimp's Rust graph, it equals ``grimp.build_graph``'s,
    on real installed packages (read as files, never imported by the build)."""
    settings = GraphSettings(
        (package,), include_external_packages=externals, exclude_type_checking_imports=type_checking
    )
    builder = GrimpGraphBuilder(Path.cwd(), sys_path=None)
    ours = builder.build(settings)
    monkeypatch.setattr(grimp_internals, "_scan_imports", None)  # grimp.build_graph, public API
    theirs = builder.build(settings)
    assert dump(ours) == dump(theirs)
    assert len(ours.grimp.modules) > 20


def test_other_settings_have_their_own_cache(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    build(tmp_path)
    internal = GraphSettings(("pkg",), include_external_packages=False)
    graph = GrimpGraphBuilder(tmp_path, cache_dir=tmp_path / ".fitness_cache", sys_path=[]).build(
        internal
    )
    assert "os" not in graph.modules
    assert len(list((tmp_path / ".fitness_cache").glob("graph-*.json"))) == 2


# Damage -------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "not json at all {",
        "",
        '{"format": 1}',
        '["a list"]',
        '{"format": 999, "key": "x", "files": {}, "modules": [], "imports": {}}',
    ],
)
def test_a_corrupt_cache_file_is_silently_rebuilt(tmp_path: Path, content: str) -> None:
    """Sealed with this user's key, yet not what fitness writes (a bug, an older format)."""
    write_files(tmp_path, FILES)
    expected = dump(build(tmp_path))
    write_cached(tmp_path, content)
    assert dump(build(tmp_path)) == expected
    assert cached_data(tmp_path)["format"] == graph_cache.CACHE_FORMAT


def test_a_well_formed_but_wrong_cache_with_the_right_key_is_rebuilt(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    expected = dump(build(tmp_path))
    data = cached_data(tmp_path)
    data["modules"] = [[["not", "a", "name"], True]]
    write_cached(tmp_path, json.dumps(data))
    assert dump(build(tmp_path)) == expected


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, FILES)
    (tmp_path / ".fitness_cache").mkdir()
    assert cache_key().secret is not None  # made now: the cache itself is what cannot be written
    original = os.open

    def refuse_new_files(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied")
        return original(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_new_files)
    assert dump(build(tmp_path)) == dump(build(tmp_path, cache=False))
    assert list((tmp_path / ".fitness_cache").glob("graph-*")) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_a_read_only_cache_directory_is_skipped(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    cache = tmp_path / ".fitness_cache"
    cache.mkdir()
    (cache / ".gitignore").write_text("*\n")
    cache.chmod(0o555)
    try:
        assert dump(build(tmp_path)) == dump(build(tmp_path, cache=False))
        assert list(cache.glob("graph-*")) == []
    finally:
        cache.chmod(0o755)


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, FILES)
    write_files(tmp_path, {".fitness_cache/.gitignore": "*\n"})

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    build(tmp_path)
    assert [p.name for p in (tmp_path / ".fitness_cache").iterdir()] == [".gitignore"]


# Concurrency --------------------------------------------------------------


def _write_many(directory: str, marker: str, count: int) -> None:
    store = GraphCache(Path(directory), SETTINGS)
    modules = [(f"{marker}.m{i}", False) for i in range(300)]
    imports = {f"{marker}.m{i}": [(f"{marker}.m{i + 1}", 1, "x" * 50, False)] for i in range(299)}
    for n in range(count):
        store.save(CachedGraph(key=f"{marker}-{n}", files={}, modules=modules, imports=imports))


def test_two_concurrent_writers_never_leave_a_torn_file(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    writers = [
        context.Process(target=_write_many, args=(str(tmp_path), marker, 40))
        for marker in ("one", "two")
    ]
    for writer in writers:
        writer.start()
    store = GraphCache(tmp_path, SETTINGS)
    seen = set()
    deadline = time.monotonic() + 120  # never hang the suite, whatever happens
    while any(w.is_alive() for w in writers) and time.monotonic() < deadline:
        existed = store.path.exists()  # checked first: the file is replaced, never removed
        cached = store.load(limit=1 << 26)
        if existed:
            assert cached is not None, "a reader saw a torn or partial cache file"
        if cached is not None:
            marker = cached.key.split("-")[0]
            assert len(cached.modules) == 300
            assert all(m.startswith(marker) for m, _ in cached.modules)
            seen.add(marker)
    for writer in writers:
        writer.join(timeout=60)
        assert writer.exitcode == 0
    final = store.load(limit=1 << 26)
    assert final is not None and final.key in {"one-39", "two-39"}
    assert [p.name for p in tmp_path.iterdir()] == [store.path.name]  # no temporary files left


def _build_in_child(project: str) -> None:
    build(Path(project))


def test_two_processes_building_at_once_share_the_cache(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_build_in_child, args=(str(tmp_path),)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
        assert child.exitcode == 0
    assert dump(build(tmp_path)) == dump(build(tmp_path, cache=False))


# Through pytest, with xdist ----------------------------------------------


CONFIG = """
[tool.fitness]
root_packages = ["pkg"]
include_external_packages = true

[[tool.fitness.rules]]
name = "sub does not import a"
type = "forbidden"
source_modules = ["pkg.sub"]
forbidden_modules = ["pkg.a"]

[[tool.fitness.rules]]
name = "a and sub are independent"
type = "independence"
modules = ["pkg.a", "pkg.sub"]

[[tool.fitness.rules]]
name = "no json in a"
type = "forbidden"
source_modules = ["pkg.a"]
forbidden_modules = ["json"]
allow_indirect_imports = true
"""


@pytest.mark.slow
def test_xdist_workers_share_the_cache(pytester: pytest.Pytester) -> None:
    project = write_project(pytester.path, CONFIG, FILES)
    first = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", "pyproject.toml")
    first.assert_outcomes(passed=1, failed=2)
    cached = cached_data(project)
    assert "pkg.sub.c" in cached["imports"]
    touch(project / "pkg" / "sub" / "c.py", "import json\n")  # sub no longer imports a
    second = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", "pyproject.toml")
    second.assert_outcomes(passed=2, failed=1)  # a -> b -> sub.c: still not independent
    second.stdout.fnmatch_lines(["*FAILED*a and sub are independent*"])


def test_dynamic_imports_and_suppressions_survive_a_hit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        tmp_path,
        {
            **FILES,
            "pkg/dyn.py": """
                import importlib
                from pkg import a  # fitness: ignore[layers] the legacy importer
                plugin = importlib.import_module("pkg.b")
            """,
        },
    )
    fresh = build(tmp_path, cache=False)
    assert fresh.dynamic_imports and fresh.suppressions
    build(tmp_path)
    monkeypatch.setattr(packages, "read_facts", None)  # a hit must not read the sources
    forbid_scanning(monkeypatch)
    hit = build(tmp_path)
    assert hit.dynamic_imports == fresh.dynamic_imports
    assert hit.suppressions == fresh.suppressions


def test_a_damaged_entry_is_read_again_when_another_file_changed(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    build(tmp_path)
    data = cached_data(tmp_path)
    data["imports"]["pkg.a"] = [[1, 2, 3, 4]]  # not an import row
    write_cached(tmp_path, json.dumps(data))
    touch(tmp_path / "pkg" / "b.py", "from pkg.sub import c\nimport json\n")
    assert dump(build(tmp_path)) == dump(build(tmp_path, cache=False))


# Imports resolved against the modules that exist -------------------------------


@pytest.mark.parametrize("scanner", ["grimp's scanner", "grimp.build_graph"])
@pytest.mark.parametrize(
    "statement",
    ["from pkg import new", "from . import new", "import pkg.new", "from .new import x"],
)
def test_a_module_added_later_is_seen_by_an_unchanged_file_that_imports_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scanner: str, statement: str
) -> None:
    """An import is resolved against the modules that exist: ``from pkg import new``
    names the attribute ``new`` of ``pkg`` until ``pkg/new.py`` appears. The cached
    imports of an unchanged file are then stale, and it is read again."""
    if scanner == "grimp.build_graph":
        monkeypatch.setattr(grimp_internals, "_scan_imports", None)
    write_files(tmp_path, {**FILES, "pkg/user.py": f"{statement}\n"})
    build(tmp_path)
    touch(tmp_path / "pkg" / "new.py", "")
    after = dump(build(tmp_path))
    assert after == dump(build(tmp_path, cache=False))
    assert ("import", "pkg.user", "pkg.new", 1, statement) in after


@pytest.mark.parametrize("scanner", ["grimp's scanner", "grimp.build_graph"])
def test_a_module_removed_later_is_no_longer_imported_by_an_unchanged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scanner: str
) -> None:
    if scanner == "grimp.build_graph":
        monkeypatch.setattr(grimp_internals, "_scan_imports", None)
    write_files(tmp_path, {**FILES, "pkg/old.py": "", "pkg/user.py": "from pkg import old\n"})
    build(tmp_path)
    (tmp_path / "pkg" / "old.py").unlink()
    after = dump(build(tmp_path))
    assert after == dump(build(tmp_path, cache=False))
    assert ("import", "pkg.user", "pkg", 1, "from pkg import old") in after


def test_adding_a_module_reads_again_only_the_files_that_may_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, FILES)
    build(tmp_path)
    touch(tmp_path / "pkg" / "sub" / "d.py", "")
    scan = vars(grimp_internals)["_scan_imports"]
    assert scan is not None
    read: list[str] = []

    def spy(module_files: Any, **kwargs: Any) -> Any:
        read.extend(m.module.name for m in module_files)
        return scan(module_files, **kwargs)

    monkeypatch.setattr(grimp_internals, "_scan_imports", spy)
    build(tmp_path)
    assert read == ["pkg.sub.d"]  # no file says "d": the others keep their cached imports


def test_where_imports_are_made_is_read_when_asked_and_only_for_the_module_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21, then 25: where each import is made (inside a function, under
    ``if TYPE_CHECKING:``) is read when a message or an option asks, for the module
    asked, once; a build that needs none reads no file again (the floor: each file read
    once). Nothing of it is cached, so no cache can say it wrong."""
    project = write_files(
        tmp_path,
        {
            **FILES,
            "pkg/b.py": "def f():\n    from pkg.sub import c\n",
            "pkg/sub/c.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.b\n"
            ),
        },
    )
    read: list[str] = []
    original = source_scan.read_import_contexts

    def counted(path: str, **options: Any) -> Any:
        read.append(Path(path).relative_to(project).as_posix())
        return original(path, **options)

    monkeypatch.setattr(packages, "read_import_contexts", counted)
    graph = build(project)
    assert read == []
    assert graph.import_context("pkg.b", 2) == "function"
    assert graph.import_context("pkg.b", 2) == "function"
    assert graph.copy().import_context("pkg.b", 1) == ""
    assert read == ["pkg/b.py"]
    assert "import_contexts" not in json.dumps(cached_data(project))
    assert [(c.module, c.line, c.context) for c in graph.import_contexts] == [
        ("pkg.b", 2, "function"),
        ("pkg.sub.c", 3, "type_checking"),
    ]
