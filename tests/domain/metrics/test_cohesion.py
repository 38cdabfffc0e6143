"""Class facts (a view of the code model), LCOM4 and relational cohesion; the facts cached
with the code model."""

from __future__ import annotations

import marshal
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.adapters.codemodel import CACHE_SUBDIR, CachedCodeModelReader
from fitness.domain.code import Detail, class_facts, from_data, module_code, to_data
from fitness.domain.code.classfacts import facts_of
from fitness.domain.errors import ConfigError
from fitness.metrics import (
    ClassFacts,
    MethodFacts,
    ModuleFacts,
    class_graph,
    lcom4,
    lcom4_components,
    method_graph,
    module_facts,
    relational_cohesion,
)
from tests.helpers import write_cache_entry, write_files


def one_class(source: str, module: str = "pkg.mod") -> ClassFacts:
    facts = module_facts(module, source)
    assert len(facts.classes) == 1
    return facts.classes[0]


# Class facts ------------------------------------------------------------------------


def test_methods_record_attributes_and_calls_through_self() -> None:
    cls = one_class(
        """
class Account:
    def __init__(self, owner):
        self.owner = owner
        self.balance = 0

    def deposit(self, amount):
        self.balance += amount
        self._log(amount)

    def _log(self, amount):
        print(self.owner, amount)

    @property
    def summary(self):
        return f"{self.owner}"

    def describe(self):
        return self.summary

    @staticmethod
    def helper(self_like):
        return self_like.balance
"""
    )
    methods = {m.name: m for m in cls.methods}
    assert methods["deposit"].attributes == {"balance"}
    assert methods["deposit"].calls == {"_log"}
    assert methods["_log"].attributes == {"owner"}
    assert methods["describe"].calls == {"summary"}  # a property read links methods
    assert methods["helper"].attributes == frozenset()  # a static method has no self
    assert not cls.abstract


def test_abstract_classes_are_recognised_without_importing() -> None:
    facts = module_facts(
        "pkg.ports",
        """
import abc
import typing
from abc import ABC, abstractmethod
from typing import Generic, Protocol, TypeVar

import typing_extensions as te

T = TypeVar("T")


class A(Protocol):
    def f(self) -> None: ...


class B(typing.Protocol[T]):
    def f(self) -> T: ...


class C(te.Protocol):
    pass


class D(ABC):
    @abstractmethod
    def f(self) -> None: ...


class E:
    @abc.abstractmethod
    def f(self) -> None: ...

    @property
    @abc.abstractmethod
    def g(self) -> int: ...


class F(ABC):
    def f(self) -> None: ...


class G(Generic[T]):
    pass


class H(metaclass=abc.ABCMeta):
    pass
""",
    )
    verdicts = {c.name: c.abstract for c in facts.classes}
    assert verdicts == {
        "A": True,
        "B": True,
        "C": True,
        "D": True,
        "E": True,
        "F": True,  # an ABC is abstract, even without an abstract method of its own
        "G": False,
        "H": True,
    }


_NOT_IMPLEMENTED = """
class Storage:
    \"\"\"A base class in Python's informal style.\"\"\"

    def save(self, item):
        \"\"\"Store the item.\"\"\"
        raise NotImplementedError

    def describe(self):
        return "storage"


class Hooks:
    def run(self):
        self._step()

    def _step(self):
        raise NotImplementedError("subclasses may override")


class Loud:
    def save(self, item):
        print(item)
        raise NotImplementedError
"""


def test_a_public_method_that_only_raises_not_implemented_error_makes_a_class_abstract() -> None:
    facts = module_facts("pkg.storage", _NOT_IMPLEMENTED)
    assert {c.name: c.abstract for c in facts.classes} == {
        "Storage": True,
        "Hooks": False,  # only a private hook raises it
        "Loud": False,  # does something before raising
    }
    storage = facts.classes[0]
    assert storage.declared_abstract is False
    assert storage.is_abstract(not_implemented_is_abstract=False) is False
    assert {m.name: m.not_implemented for m in storage.methods} == {
        "save": True,
        "describe": False,
    }


def cached(module: str, source: str) -> ModuleFacts:
    """The facts of a module read back from the code model's cache format."""
    code = module_code(module, source, detail=Detail.COHESION)
    return facts_of(from_data(marshal.loads(marshal.dumps(to_data(code)))))


def test_the_facts_keep_both_abstractness_verdicts_through_the_cache_format() -> None:
    facts = module_facts("pkg.storage", _NOT_IMPLEMENTED)
    assert cached("pkg.storage", _NOT_IMPLEMENTED) == facts


def test_only_top_level_classes_count() -> None:
    facts = module_facts(
        "pkg.mod",
        """
class Outer:
    class Inner:
        pass


def factory():
    class Local:
        pass
    return Local
""",
    )
    assert [c.name for c in facts.classes] == ["Outer"]


def test_references_are_resolved_through_imports_relative_ones_too() -> None:
    facts = module_facts(
        "shop.domain",
        """
from . import money
from .model import Order as O
from ..adapters.db import tables
import shop.domain.pricing


class Service:
    order: "O"

    def total(self) -> money.Money:
        tables.orders.select()
        return shop.domain.pricing.order_total(self.order)
""",
        is_package=True,
    )
    references = facts.classes[0].references
    assert "shop.domain.model.Order" in references
    assert "shop.domain.money.Money" in references
    assert "shop.adapters.db.tables.orders.select" in references
    assert "shop.domain.pricing.order_total" in references


def test_a_syntax_error_names_the_file_and_line() -> None:
    with pytest.raises(ConfigError, match=r"cannot parse pkg/bad.py, line 2"):
        module_facts("pkg.bad", "x = 1\nclass (:\n", filename="pkg/bad.py")


def test_facts_survive_serialisation() -> None:
    source = "import abc\nclass A(abc.ABC):\n    @abc.abstractmethod\n    def f(self): self.x\n"
    facts = module_facts("pkg.mod", source)
    assert facts.classes[0].methods[0].attributes == {"x"}
    assert cached("pkg.mod", source) == facts


# LCOM4 ------------------------------------------------------------------------------


def test_lcom4_counts_groups_of_methods_sharing_attributes() -> None:
    """Hitz and Montazeri's example shape: two pairs of methods, each pair on its own
    attribute, give two components; one call between the pairs joins them."""
    two = one_class(
        """
class Split:
    def a(self): return self.x
    def b(self): self.x = 1
    def c(self): return self.y
    def d(self): self.y = 2
"""
    )
    assert lcom4(two) == 2
    assert lcom4_components(two) == [["a", "b"], ["c", "d"]]
    joined = one_class(
        """
class Joined:
    def a(self): return self.x
    def b(self): self.x = 1
    def c(self): return self.y + self.a()
    def d(self): self.y = 2
"""
    )
    assert lcom4(joined) == 1


def test_lcom4_of_independent_methods_is_their_number() -> None:
    cls = one_class(
        """
class Utilities:
    def one(self): return 1
    def two(self): return 2
    def three(self): return 3
"""
    )
    assert lcom4(cls) == 3


def test_constructors_are_left_out_unless_asked() -> None:
    cls = one_class(
        """
class Both:
    def __init__(self):
        self.x = 0
        self.y = 0
    def a(self): return self.x
    def b(self): return self.y
"""
    )
    assert lcom4(cls) == 2
    assert lcom4(cls, include_constructors=True) == 1


def test_lcom4_of_a_class_without_methods_is_undefined() -> None:
    assert lcom4(one_class("class Empty:\n    x: int = 0\n")) is None
    assert lcom4(one_class("class Init:\n    def __init__(self): self.x = 1\n")) is None


def test_lcom4_on_hand_made_facts() -> None:
    cls = ClassFacts(
        module="m",
        name="C",
        methods=(
            MethodFacts("a", attributes=frozenset({"x"})),
            MethodFacts("b", calls=frozenset({"a"})),
            MethodFacts("c"),
        ),
    )
    assert lcom4(cls) == 2


# Relational cohesion ----------------------------------------------------------------


def test_relational_cohesion_h() -> None:
    """Three classes, two relationships among them: H = (2 + 1) / 3 = 1.
    A reference to a class outside the package does not count."""
    facts = [
        module_facts(
            "pkg.a",
            "from pkg.b import B\nfrom other import X\nclass A:\n    b: B\n    x: X\n",
        ),
        module_facts("pkg.b", "from pkg.c import C\nclass B:\n    c: C\n"),
        module_facts("pkg.c", "class C:\n    pass\n"),
    ]
    graph = class_graph(facts)
    assert sorted(graph.edges) == [("pkg.a.A", "pkg.b.B"), ("pkg.b.B", "pkg.c.C")]
    assert relational_cohesion(graph) == pytest.approx(1.0)
    lonely = class_graph([module_facts("pkg.d", "class D: pass\nclass E: pass\n")])
    assert relational_cohesion(lonely) == pytest.approx(0.5)
    assert relational_cohesion(class_graph([])) is None


# The facts cached with the code model ------------------------------------------------


def read_facts(reader: CachedCodeModelReader, files: dict[str, str]) -> dict[str, ModuleFacts]:
    return dict(class_facts(reader.model(files, detail=Detail.COHESION)))


def test_facts_are_cached_by_content_and_reparsed_when_it_changes(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"pkg/__init__.py": "class P: ...\n", "pkg/mod.py": "class A:\n    pass\n"}
    )
    files = {"pkg": "pkg/__init__.py", "pkg.mod": "pkg/mod.py"}
    cache = tmp_path / ".cache"

    first = CachedCodeModelReader(tmp_path, cache_dir=cache)
    facts = read_facts(first, files)
    assert (first.parsed, first.cached) == (2, 0)
    assert [c.name for c in facts["pkg.mod"].classes] == ["A"]

    second = CachedCodeModelReader(tmp_path, cache_dir=cache)
    assert read_facts(second, files) == facts
    assert (second.parsed, second.cached) == (0, 2)

    (tmp_path / "pkg/mod.py").write_text("class A:\n    pass\n\n\nclass B:\n    pass\n")
    third = CachedCodeModelReader(tmp_path, cache_dir=cache)
    assert [c.name for c in read_facts(third, files)["pkg.mod"].classes] == ["A", "B"]
    assert (third.parsed, third.cached) == (1, 1)
    assert not list((cache / CACHE_SUBDIR).rglob("*.tmp"))


@pytest.mark.parametrize("garbage", [b"", b"{not marshal", b"\x00", b"[]"])
@pytest.mark.parametrize("sealed", [False, True], ids=["as it is", "sealed with our key"])
def test_a_corrupt_cache_is_ignored_and_rebuilt(
    tmp_path: Path, garbage: bytes, sealed: bool
) -> None:
    write_files(tmp_path, {"pkg/__init__.py": "", "pkg/mod.py": "class A:\n    pass\n"})
    files = {"pkg.mod": "pkg/mod.py"}
    cache = tmp_path / ".cache"
    first = CachedCodeModelReader(tmp_path, cache_dir=cache)
    expected = read_facts(first, files)
    assert first.pack_path is not None
    if sealed:
        write_cache_entry(cache, first.pack_path, garbage)
    else:
        first.pack_path.write_bytes(garbage)

    reader = CachedCodeModelReader(tmp_path, cache_dir=cache)
    facts = read_facts(reader, files)

    assert [c.name for c in facts["pkg.mod"].classes] == ["A"]
    assert facts == expected
    assert reader.parsed == 1


def test_without_a_cache_dir_nothing_is_written(tmp_path: Path) -> None:
    write_files(tmp_path, {"pkg/__init__.py": "class A: pass\n"})
    reader = CachedCodeModelReader(tmp_path, cache_dir=None)
    read_facts(reader, {"pkg": "pkg/__init__.py"})
    read_facts(reader, {"pkg": "pkg/__init__.py"})
    assert reader.parsed == 1 and reader.cached == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_progress_is_reported(tmp_path: Path) -> None:
    write_files(tmp_path, {"pkg/__init__.py": "class A: pass\n", "pkg/a.py": "class B: pass\n"})
    write_files(tmp_path, {"pkg/b.py": "class C: pass\n", "pkg/c.py": "def f(): pass\n"})
    seen: list[tuple[int, int]] = []
    reader = CachedCodeModelReader(
        tmp_path, progress=lambda done, total: seen.append((done, total))
    )
    files = {
        "pkg": "pkg/__init__.py",
        "pkg.a": "pkg/a.py",
        "pkg.b": "pkg/b.py",
        "pkg.c": "pkg/c.py",
    }
    facts = read_facts(reader, files)
    assert seen == [(1, 3), (2, 3), (3, 3)]  # pkg.c defines no class: it is not parsed
    assert reader.parsed == 3
    assert facts["pkg.c"] == ModuleFacts(module="pkg.c")


@given(
    st.lists(
        st.tuples(
            st.sampled_from("abcdef"),
            st.frozensets(st.sampled_from("xyz")),
            st.frozensets(st.sampled_from("abcdefg")),
        ),
        max_size=6,
        unique_by=lambda m: m[0],
    )
)
def test_lcom4_counts_the_components_of_the_method_graph(
    methods: list[tuple[str, frozenset[str], frozenset[str]]],
) -> None:
    cls = ClassFacts(
        module="m",
        name="C",
        methods=tuple(MethodFacts(n, attributes=a, calls=c) for n, a, c in methods),
    )
    graph = method_graph(cls)
    expected = nx.number_connected_components(graph) if graph.number_of_nodes() else None
    assert lcom4(cls) == expected
    assert len(lcom4_components(cls)) == (expected or 0)
