"""What a Python file can run, read from its syntax tree (never imported), and cached."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

from fitness.adapters.cache_store import store_at
from fitness.adapters.import_scan import MAX_BYTES, FactsCache, ScannedFile, read_facts
from fitness.domain.runnable import FileFacts, ImportRef
from tests.helpers import settled


def facts(text: str) -> FileFacts:
    return read_facts(textwrap.dedent(text).encode())


def test_imports_say_whether_they_run_at_import_time_or_in_a_function() -> None:
    found = facts(
        """
        import a.b
        from c import d, e
        from . import sibling
        from ..up import thing
        class K:
            import in_class_body
            def method(self):
                from f import g
        """
    )

    assert sorted(found.imports, key=lambda r: (r.name, r.level)) == [
        ImportRef("", 1, ("sibling",)),
        ImportRef("a.b", plain=True),
        ImportRef("c", 0, ("d", "e")),
        ImportRef("f", 0, ("g",), nested=True),
        ImportRef("in_class_body", plain=True),
        ImportRef("up", 2, ("thing",)),
    ]


def test_type_checking_imports_never_run_but_their_else_does() -> None:
    found = facts(
        """
        import typing
        if typing.TYPE_CHECKING:
            import only_for_types
        else:
            import at_runtime
        """
    )

    assert {ref.name for ref in found.imports} == {"typing", "at_runtime"}


def test_strings_that_name_modules_and_prefixes() -> None:
    found = facts(
        """
        REGISTRY = {"csv": "pkg.writers.csv:Writer", "x": "pkg.lazy", "y": "mod:func"}
        PREFIX = "pkg.plugins."
        prose = "not. a module name"
        pytest_plugins = ["helpers"]
        """
    )

    assert found.names == ("mod", "pkg.lazy", "pkg.writers.csv")
    assert found.prefixes == ("pkg.plugins.",)
    assert ImportRef("helpers") in found.imports


def test_a_dynamic_import_from_outside_the_program_could_be_anything() -> None:
    assert facts("import importlib, os\nimportlib.import_module(os.environ['X'])\n").anything
    assert facts("import importlib\ndef f(n):\n    importlib.import_module(n)\n").anything is False
    assert facts(
        "import importlib\ndef f():\n    importlib.import_module(open('x').read())\n"
    ).anything
    assert facts("import runpy\nrunpy.run_path(path)\n").anything
    assert facts("import runpy\nrunpy.run_path('scripts/gen.py')\n").paths == ("scripts/gen.py",)


def test_running_code_out_of_process_is_noticed() -> None:
    assert facts("import subprocess\n").out_of_process
    assert facts("def test(pytester):\n    pass\n").out_of_process
    assert facts("import sys\nsys.executable\n").out_of_process
    assert not facts("import sys\n").out_of_process


def test_a_file_that_cannot_be_read_as_python_may_import_anything() -> None:
    for data in (b"def (\n", b"x = 1\0\n", b"#" * (MAX_BYTES + 1), b"\xff\xfe bad"):
        found = read_facts(data)
        assert found.unparsable and found.anything


def test_a_deeply_nested_file_is_read_without_recursion() -> None:
    depth = 50
    text = "".join(" " * i + "if x:\n" for i in range(depth)) + " " * depth + "import deep\n"

    assert {ref.name for ref in facts(text).imports} == {"deep"}


def test_facts_round_trip_as_data() -> None:
    found = facts("import a\nfrom . import b\nX = 'p.q'\nimport subprocess\n")

    assert FileFacts.from_data(json.loads(json.dumps(found.to_data()))) == found


# The cache -----------------------------------------------------------------------------------


def write(root: Path, files: dict[str, str]) -> list[ScannedFile]:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
        settled(root / path)
    return [ScannedFile(path, str(root / path)) for path in files]


def test_unchanged_files_are_read_from_the_cache(tmp_path: Path) -> None:
    files = write(tmp_path, {"a.py": "import b\n", "b.py": ""})
    cache = FactsCache(store_at(tmp_path / ".cache"), tmp_path, workers=1)

    first = cache.facts(files)
    assert cache.parsed == 2
    (tmp_path / "b.py").write_text("import c  # changed\n", encoding="utf-8")
    os.utime(tmp_path / "b.py", ns=(1, 1))
    again = cache.facts(files)

    assert cache.parsed == 1
    assert again["a.py"] == first["a.py"]
    assert again["b.py"].imports == (ImportRef("c", plain=True),)


def test_a_file_changed_in_the_last_two_seconds_is_parsed_again(tmp_path: Path) -> None:
    """Its time may not tell a second change within one clock tick (git's racy files)."""
    files = write(tmp_path, {"a.py": "import b\n", "b.py": ""})
    cache = FactsCache(store_at(tmp_path / ".cache"), tmp_path, workers=1)
    b = tmp_path / "b.py"
    b.write_text("import c\n", encoding="utf-8")  # just now
    when = b.stat().st_mtime_ns
    assert cache.facts(files)["b.py"].imports == (ImportRef("c", plain=True),)
    b.write_text("import d\n", encoding="utf-8")  # the same size and (one tick) time
    os.utime(b, ns=(when, when))
    again = cache.facts(files)
    assert cache.parsed == 1  # a.py from the cache, b.py parsed again
    assert again["b.py"].imports == (ImportRef("d", plain=True),)


def test_a_forged_cache_entry_is_ignored(tmp_path: Path) -> None:
    files = write(tmp_path, {"a.py": "import b\n"})
    cache = FactsCache(store_at(tmp_path / ".cache"), tmp_path, workers=1)
    cache.facts(files)
    entry = tmp_path / ".cache" / cache.name
    stat = (tmp_path / "a.py").stat()
    entry.write_text(
        json.dumps(
            {
                "format": 1,
                "files": {"a.py": [stat.st_mtime_ns, stat.st_size, FileFacts().to_data()]},
            }
        ),
        encoding="utf-8",
    )

    again = cache.facts(files)

    assert cache.parsed == 1
    assert again["a.py"].imports == (ImportRef("b", plain=True),)


def test_a_link_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("import secret\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "link.py").symlink_to(outside)

    found = FactsCache(None, repo, workers=1).facts([ScannedFile("link.py", str(repo / "link.py"))])

    assert found["link.py"].anything
    assert found["link.py"].imports == ()
