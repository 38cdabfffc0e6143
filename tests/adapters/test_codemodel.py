"""The code model built from files: cached by content, parsed in worker processes when
many files are cold, attached to the graph lazily."""

from __future__ import annotations

import ast
import gc
import importlib.util
import marshal
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fitness.adapters import codemodel
from fitness.adapters.cache_store import CacheStore
from fitness.adapters.codemodel import CachedCodeModelReader
from fitness.adapters.config.source import load_config
from fitness.adapters.session import GraphSession
from fitness.cli import main
from fitness.domain.code import CodeModel, Detail
from fitness.domain.code.parsing import ModuleParser
from fitness.domain.errors import ConfigError
from tests.helpers import (
    EXAMPLES,
    copy_example,
    read_cache_entry,
    write_cache_entry,
    write_files,
    write_project,
)


def package_files(root: Path, package: str) -> dict[str, str]:
    files = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if not all(part.isidentifier() for part in parts):
            continue
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        files[module] = path.relative_to(root).as_posix()
    return files


def read(reader: CachedCodeModelReader, files: dict[str, str]) -> CodeModel:
    """The model of these files, every module read (a model reads each when asked)."""
    built = reader.model(files)
    built.modules.read_all()
    return built


def model_text(reader: CachedCodeModelReader, files: dict[str, str]) -> str:
    """Everything in the model, as text (equal texts: equal models)."""
    built = read(reader, files)
    return "\n".join(repr(built.modules[module]) for module in built.modules)


def test_the_model_is_the_same_cold_and_warm_and_the_warm_one_parses_nothing(
    tmp_path: Path,
) -> None:
    files = package_files(EXAMPLES / "shop", "shop")
    cold_reader = CachedCodeModelReader(EXAMPLES / "shop", cache_dir=tmp_path)
    cold = model_text(cold_reader, files)
    warm_reader = CachedCodeModelReader(EXAMPLES / "shop", cache_dir=tmp_path)
    warm = model_text(warm_reader, files)
    assert warm == cold
    assert (cold_reader.parsed, cold_reader.cached) == (len(files), 0)
    assert (warm_reader.parsed, warm_reader.cached) == (0, len(files))
    assert model_text(CachedCodeModelReader(EXAMPLES / "shop"), files) == cold


def test_parallel_parsing_gives_the_same_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = package_files(EXAMPLES / "shop", "shop")
    sequential = model_text(CachedCodeModelReader(EXAMPLES / "shop", workers=1), files)
    monkeypatch.setattr(codemodel, "PARALLEL_FROM", 2)
    reader = CachedCodeModelReader(EXAMPLES / "shop", cache_dir=tmp_path, workers=2)
    assert model_text(reader, files) == sequential
    assert reader.parsed == len(files)


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("class A:\n    pass\n")
    files = {"pkg": "pkg/__init__.py", "pkg.a": "pkg/a.py"}
    cache = tmp_path / "cache"
    read(CachedCodeModelReader(tmp_path, cache_dir=cache), files)
    (tmp_path / "pkg" / "a.py").write_text("class B:\n    pass\n")
    reader = CachedCodeModelReader(tmp_path, cache_dir=cache)
    built = reader.model(files)
    assert [c.qualified_name for c in built.classes()] == ["pkg.a.B"]
    assert (reader.parsed, reader.cached) == (1, 1)


def test_a_corrupt_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("class A:\n    pass\n")
    files = {"pkg": "pkg/__init__.py"}
    cache = tmp_path / "cache"
    first = CachedCodeModelReader(tmp_path, cache_dir=cache)
    read(first, files)
    pack = first.pack_path
    assert pack is not None and pack.is_file()
    good = pack.read_bytes()
    [(module, (key, _))] = marshal.loads(read_cache_entry(pack)).items()
    damaged = [
        b"",
        b"\x00garbage",
        good[:20],
        marshal.dumps(["not", "a", "table"]),
        marshal.dumps({module: b"\x00broken"}),
        marshal.dumps({module: (key, b"\x00broken")}),
        marshal.dumps({module: (key, marshal.dumps(("other.module",) * 11))}),
        marshal.dumps({module: (key, marshal.dumps((module,) * 11))}),
    ]
    # As they are (another machine's, forged), and sealed with this user's key (a bug).
    for damage, sealed in [(d, s) for d in damaged for s in (False, True)]:
        if sealed:
            write_cache_entry(cache, pack, damage)
        else:
            pack.write_bytes(damage)
        reader = CachedCodeModelReader(tmp_path, cache_dir=cache)
        assert [c.name for c in reader.model(files).classes()] == ["A"]
        assert reader.parsed == 1
        assert pack.read_bytes() == good  # rewritten whole
    assert [p.name for p in pack.parent.iterdir()] == [pack.name]  # no temporary left


def test_the_cache_keeps_only_the_entries_of_the_last_run(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    files = {"pkg": "pkg/__init__.py"}
    cache = tmp_path / "cache"
    reader = CachedCodeModelReader(tmp_path, cache_dir=cache)
    for version in range(3):
        (tmp_path / "pkg" / "__init__.py").write_text(f"VERSION = {version}\n")
        read(reader, files)
    assert reader.pack_path is not None
    assert len(marshal.loads(read_cache_entry(reader.pack_path))) == 1


def test_a_file_that_is_not_python_is_a_clean_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pkg").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / "pkg" / f"{name}.py").write_text("class A:\n    pass\n")
    (tmp_path / "pkg" / "bad.py").write_bytes(b"x = '\xff'\n")
    (tmp_path / "pkg" / "broken.py").write_text("def (:\n")
    files = {f"pkg.{n}": f"pkg/{n}.py" for n in ("a", "b", "c", "bad")}
    monkeypatch.setattr(codemodel, "PARALLEL_FROM", 2)
    with pytest.raises(ConfigError, match=r"^cannot read pkg/bad.py: not valid UTF-8 \(byte 5\)$"):
        read(CachedCodeModelReader(tmp_path, workers=2), files)
    with pytest.raises(ConfigError, match=r"^cannot parse pkg/broken.py, line 1: "):
        read(CachedCodeModelReader(tmp_path, workers=1), {"pkg.broken": "pkg/broken.py"})


def test_the_session_builds_the_model_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_example("shop", tmp_path)
    calls = []
    original = CachedCodeModelReader.model

    def counting(self: CachedCodeModelReader, files: dict[str, str], **options: Any) -> object:
        calls.append(len(files))
        return original(self, files, **options)

    monkeypatch.setattr(CachedCodeModelReader, "model", counting)
    graph = GraphSession(load_config(project / "pyproject.toml")).graph()
    assert graph.has_code_model
    assert calls == []
    built = graph.code_model()
    assert graph.code_model() is built
    assert len(calls) == 1
    gateway = built.class_named("shop.adapters.payments.gateway.HttpPaymentGateway")
    assert gateway is not None
    assert built.ancestors(gateway) == ("shop.application.ports.PaymentGateway", "abc.ABC")
    assert set(built.modules) == set(graph.internal_modules)


@pytest.mark.slow
def test_django_models_derive_from_django_db_models_model(tmp_path: Path) -> None:
    spec = importlib.util.find_spec("django")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("django is not installed")
    root = Path(next(iter(spec.submodule_search_locations))).parent
    files = package_files(root, "django")
    built = CachedCodeModelReader(root, cache_dir=tmp_path).model(files)
    user = built.class_named("django.contrib.auth.models.User")
    assert user is not None
    assert built.is_subclass(user, "django.db.models.Model")  # re-exported by django.db.models
    assert "django.db.models.base.Model" in built.ancestors(user)
    assert "django.contrib.auth.models.AbstractUser" in built.ancestors(user)
    base_cache = built.class_named("django.core.cache.backends.base.BaseCache")
    assert base_cache is not None and base_cache.abstract  # NotImplementedError style
    [now] = [f for f in built.modules["django.utils.timezone"].functions if f.name == "now"]
    assert [(c.target, c.kind) for c in now.calls] == [
        ("datetime.datetime.now", "call"),
        ("datetime.timezone.utc", "access"),
        ("django.conf.settings.USE_TZ", "access"),
    ]


def test_the_model_is_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from fitness.adapters.codemodel import CachedCodeModelReader\n"
        "from tests.adapters.test_codemodel import model_text, package_files\n"
        "root = Path(sys.argv[1])\n"
        "print(model_text(CachedCodeModelReader(root), package_files(root, 'shop')))\n"
    )
    outputs = set()
    for seed in ("0", "12345"):
        done = subprocess.run(
            [sys.executable, "-c", script, str(EXAMPLES / "shop")],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parents[2],
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert "HttpPaymentGateway" in outputs.pop()


def test_a_file_too_deeply_nested_for_pythons_parser_is_a_blind_spot(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("class A:\n    pass\n")
    (tmp_path / "pkg" / "table.py").write_text("x = " + "+".join(["f(1)"] * 200_000) + "\n")
    files = {"pkg": "pkg/__init__.py", "pkg.table": "pkg/table.py"}
    built = CachedCodeModelReader(tmp_path).model(files)
    assert [c.qualified_name for c in built.classes()] == ["pkg.A"]
    assert list(built.blind_spots()) == [
        (
            "pkg/table.py",
            "too deeply nested for Python's parser: its classes and functions are unknown",
        )
    ]


# One parse per file for every rule of a run -------------------------------------------


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Detail]]:
    """Every file the code model parses from now on: (module, detail)."""
    parsed: list[tuple[str, Detail]] = []
    original = codemodel._parse

    def parse(item: Any) -> bytes | str:
        parsed.append((item.module, Detail(item.detail)))
        return original(item)

    monkeypatch.setattr(codemodel, "_parse", parse)
    return parsed


METRICS_AND_CLASSES = """
[tool.fitness]
root_packages = ["app"]

[[tool.fitness.rules]]
name = "Entities are plain"
type = "classes"
modules = ["app.domain"]
should_not_subclass = ["sqlalchemy"]

[[tool.fitness.rules]]
name = "Cohesive"
type = "metrics"
max_lcom4 = 3
"""

APP = {
    "app/__init__.py": "",
    "app/domain.py": "class Order:\n    def total(self):\n        return self.lines\n",
    "app/api.py": "from app.domain import Order\n\ndef serve():\n    print(Order())\n",
}


def test_a_run_with_metrics_and_a_class_rule_parses_each_file_once_at_most(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before, the metrics read class facts from a parse of their own, and the class rule
    the code model from another: every file was parsed twice, and cached twice. Now the
    rule reads the modules it selects, the metrics those that define classes, all with
    what both read (a module without a class statement is not parsed at all)."""
    root = write_project(tmp_path, METRICS_AND_CLASSES, APP)
    parsed = count_parses(monkeypatch)
    monkeypatch.chdir(root)
    assert main(["check"]) == 0
    assert parsed == [("app.domain", Detail.COHESION)]
    caches = sorted(p.name for p in (root / ".fitness_cache").iterdir() if p.is_dir())
    assert caches == ["codemodel", "replay"]  # one cache of the code (and the run's output)
    parsed.clear()
    assert main(["check"]) == 0  # warm: the model comes from the cache
    assert main(["metrics"]) == 0  # and the metrics read the same model
    assert parsed == []
    capsys.readouterr()


def test_a_model_read_with_more_detail_replaces_the_cached_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, APP)
    files = package_files(tmp_path, "app")
    cache = tmp_path / "cache"
    parsed = count_parses(monkeypatch)
    outline = CachedCodeModelReader(tmp_path, cache_dir=cache).model(files, detail=Detail.OUTLINE)
    assert outline.modules["app.domain"].classes[0].methods[0].uses == ()
    outline.require(Detail.COHESION)
    method = outline.modules["app.domain"].classes[0].methods[0]
    assert method.uses == ("lines",)
    assert parsed == [("app.domain", Detail.OUTLINE), ("app.domain", Detail.COHESION)]
    # The cache holds the entry with more detail, and serves a model that asks for less.
    parsed.clear()
    reader = CachedCodeModelReader(tmp_path, cache_dir=cache)
    warm = reader.model(files, detail=Detail.OUTLINE)
    assert warm.modules["app.domain"].classes[0].methods[0].uses == ("lines",)
    assert (parsed, reader.cached) == ([], 1)


def test_the_cache_keeps_the_entries_of_the_modules_no_rule_asked_for_this_time(
    tmp_path: Path,
) -> None:
    write_files(tmp_path, APP)
    files = package_files(tmp_path, "app")
    cache = tmp_path / "cache"
    read(CachedCodeModelReader(tmp_path, cache_dir=cache), files)
    (tmp_path / "app" / "api.py").write_text("def serve():\n    pass\n")
    one = CachedCodeModelReader(tmp_path, cache_dir=cache)
    one.model(files).modules["app.api"]  # only the changed module is asked for
    assert (one.parsed, one.cached) == (1, 0)
    assert one.pack_path is not None
    pack = marshal.loads(read_cache_entry(one.pack_path))
    assert sorted(pack) == ["app", "app.api", "app.domain"]
    again = CachedCodeModelReader(tmp_path, cache_dir=cache)
    read(again, files)
    assert (again.parsed, again.cached) == (0, 3)


MODULAR = """
[tool.fitness]
root_packages = ["app"]

[[tool.fitness.rules]]
name = "Modules"
type = "modular_monolith"

[tool.fitness.rules.modules]
"app.ordering" = { interface = ["api"] }
"app.billing" = { depends_on = ["app.ordering"] }
"""


def test_the_names_check_parses_only_the_init_of_the_modules_with_an_interface(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_project(
        tmp_path,
        MODULAR,
        {
            "app/__init__.py": "",
            "app/ordering/__init__.py": "from .api import place\n__all__ = ['place']\n",
            "app/ordering/api.py": "def place():\n    pass\n\nclass OrderRow:\n    pass\n",
            "app/ordering/rows.py": "",
            "app/billing/__init__.py": "",
            "app/billing/invoices.py": (
                "import os\n"
                "from app.ordering import (\n"
                "    place,\n"
                "    OrderRow,\n"
                ")\n"
                "from ..ordering import \\\n"
                "    Secret\n"
                "from app.ordering import rows, place as p\n"
            ),
        },
    )
    parsed = count_parses(monkeypatch)
    monkeypatch.chdir(root)
    assert main(["check", "--full"]) == 1
    out = capsys.readouterr().out
    assert parsed == [("app.ordering", Detail.OUTLINE)]
    assert "imports OrderRow from app.ordering" in out
    assert "app/billing/invoices.py:2  from app.ordering import (" in out
    assert "imports Secret from app.ordering" in out
    assert "app/billing/invoices.py:6  from ..ordering import \\" in out
    assert "imports place" not in out and "imports rows" not in out


def test_modules_read_one_by_one_do_not_rewrite_the_cache_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, {f"pkg/m{n:02}.py": f"class C{n}:\n    pass\n" for n in range(40)})
    write_files(tmp_path, {"pkg/__init__.py": ""})
    files = package_files(tmp_path, "pkg")
    writes: list[int] = []
    original = CacheStore.write

    def counting(self: CacheStore, name: str, data: bytes) -> bool:
        writes.append(len(marshal.loads(data)))
        return original(self, name, data)

    monkeypatch.setattr(CacheStore, "write", counting)
    model = CachedCodeModelReader(tmp_path, cache_dir=tmp_path / "cache").model(files)
    for module in files:  # as the questions about base classes read them
        model.modules[module]
    # Written as it grows by half (9 times, not 41), the last time with every module.
    assert writes == [1, 2, 3, 5, 8, 12, 18, 27, 41]
    again = CachedCodeModelReader(tmp_path, cache_dir=tmp_path / "cache")
    read(again, files)
    assert (again.parsed, again.cached) == (0, 41)


def test_parsing_leaves_no_syntax_tree_for_the_cyclic_collector() -> None:
    """Issue 25: files are parsed with the cyclic garbage collector paused, so a tree
    must be freed by reference counting alone. A recursive closure in the parser (a
    reference cycle) kept every tree alive until the collector ran: 0.35 s of one
    collection on Django, a third of the parse; then the parser's namespace holding its
    bound ``resolve`` kept each parser, and its data, alive the same way."""
    source = (
        b"import typing\n"
        b"LIMIT = typing.cast(int, 3)\n"
        b"class Model:\n"
        b"    if typing.TYPE_CHECKING:\n"
        b"        def typed(self) -> int: ...\n"
        b"    else:\n"
        b"        try:\n"
        b"            def plain(self):\n"
        b"                class Inner:\n"
        b"                    def deep(self): return [x for x in range(3)]\n"
        b"                return Inner\n"
        b"        except ImportError:\n"
        b"            pass\n"
        b"def outer():\n"
        b"    def inner():\n"
        b"        return lambda: print('x')\n"
        b"    return inner\n"
    )
    item = codemodel._Pending("app.m", "app/m.py", source, False, "key", Detail.ALL.value)
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        codemodel._parse(item)
        # (the contexts and operators are singletons Python keeps: Load, Add...)
        shared = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
        left = [
            o
            for o in gc.get_objects()
            if isinstance(o, ast.AST | ModuleParser) and not isinstance(o, shared)
        ]
    finally:
        if enabled:
            gc.enable()
    assert left == []
