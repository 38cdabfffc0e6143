"""The code model of a project: each module read from its source when first asked for,
with the detail the rules read; one parse of each file for every rule of a run; the
names an import statement brings, read from the statement alone."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import pytest

from fitness.domain.code import (
    ClassInfo,
    CodeModel,
    Detail,
    ImportedName,
    ModuleCode,
    module_code,
    to_data,
)
from fitness.domain.code.imports import import_lines, statement_imports

SOURCES = {
    "shop": "from shop.domain import Order\n__all__ = ['Order']\n",
    "shop.domain": "import os\n\nclass Order:\n    def place(self):\n        os.getcwd()\n",
    "shop.adapters": "from shop import Order\n\nclass Row(Order):\n    pass\n",
    "shop.api": "def serve():\n    print('hi')\n",
}


class FakeSource:
    """A code source that parses ``SOURCES`` and records what it was asked for."""

    def __init__(self, sources: Mapping[str, str] = SOURCES) -> None:
        self.sources = dict(sources)
        self.asked: list[tuple[tuple[str, ...], Detail]] = []

    def modules(self) -> Sequence[str]:
        return sorted(self.sources)

    def load(self, modules: Sequence[str], detail: Detail) -> dict[str, tuple[object, ...]]:
        self.asked.append((tuple(modules), detail))
        return {
            m: to_data(module_code(m, self.sources[m], is_package=m == "shop", detail=detail))
            for m in modules
        }

    def text(self, module: str) -> str | None:
        return self.sources.get(module)

    def defines_classes(self, module: str) -> bool:
        return "class " in self.sources.get(module, "")


def test_a_module_is_read_when_first_asked_for_and_only_it() -> None:
    source = FakeSource()
    model = CodeModel(source, detail=Detail.OUTLINE)
    assert source.asked == []
    assert model.modules["shop.api"].functions[0].name == "serve"
    assert model.modules["shop.api"].functions[0].name == "serve"  # read once
    assert source.asked == [(("shop.api",), Detail.OUTLINE)]


def test_a_class_is_found_through_the_modules_its_name_leads_to_only() -> None:
    source = FakeSource()
    model = CodeModel(source, detail=Detail.OUTLINE)
    row = model.class_named("shop.adapters.Row")
    assert row is not None
    assert model.is_subclass(row, "shop.domain.Order")  # through shop's re-export
    assert sorted(m for modules, _ in source.asked for m in modules) == [
        "shop",
        "shop.adapters",
        "shop.domain",
    ]


def test_every_class_reads_the_modules_not_read_yet_at_once() -> None:
    source = FakeSource()
    model = CodeModel(source, detail=Detail.OUTLINE)
    model.modules["shop"]
    assert [c.qualified_name for c in model.classes()] == ["shop.adapters.Row", "shop.domain.Order"]
    assert source.asked == [
        (("shop",), Detail.OUTLINE),
        (("shop.adapters", "shop.api", "shop.domain"), Detail.OUTLINE),
    ]


def test_the_classes_of_some_modules_read_only_those() -> None:
    source = FakeSource()
    model = CodeModel(source, detail=Detail.OUTLINE)
    assert [c.name for c in model.classes(["shop.domain", "elsewhere"])] == ["Order"]
    assert source.asked == [(("shop.domain",), Detail.OUTLINE)]


def test_the_outline_holds_no_calls_and_more_detail_reads_a_module_again() -> None:
    source = FakeSource()
    model = CodeModel(source, detail=Detail.OUTLINE)
    (place,) = model.modules["shop.domain"].classes[0].methods
    assert place.calls == () and place.uses == ()
    assert model.require(Detail.CALLS) is model
    (place,) = model.modules["shop.domain"].classes[0].methods
    assert [c.target for c in place.calls] == ["os.getcwd"]
    assert source.asked == [
        (("shop.domain",), Detail.OUTLINE),
        (("shop.domain",), Detail.CALLS),
    ]
    model.require(Detail.OUTLINE)  # holds it already: nothing read again
    model.modules["shop.domain"]
    assert len(source.asked) == 2


def test_a_model_asked_for_everything_first_is_read_once_for_every_rule() -> None:
    source = FakeSource()
    model = CodeModel(source, detail=Detail.ALL)
    list(model.classes())
    model.require(Detail.OUTLINE)
    model.require(Detail.CALLS)
    model.require(Detail.COHESION)
    list(model.functions())
    assert source.asked == [(("shop", "shop.adapters", "shop.api", "shop.domain"), Detail.ALL)]


def test_details_combine_and_contain_each_other() -> None:
    assert Detail.CALLS | Detail.COHESION == Detail.ALL
    assert Detail.CALLS in Detail.ALL and Detail.OUTLINE in Detail.CALLS
    assert Detail.COHESION not in Detail.CALLS
    assert repr(Detail.ALL) == "Detail.ALL"
    with pytest.raises(ValueError, match="no detail has the value 7"):
        Detail(7)


def test_each_detail_reads_what_it_says() -> None:
    source = "import os\n\nclass A:\n    def f(self):\n        os.getcwd()\n        self.x = 1\n"
    outline = module_code("m", source, detail=Detail.OUTLINE)
    calls = module_code("m", source, detail=Detail.CALLS)
    cohesion = module_code("m", source, detail=Detail.COHESION)
    complete = module_code("m", source)
    assert complete.detail == Detail.ALL
    facts = {
        code.detail: (
            code.classes[0].methods[0].calls != (),
            code.classes[0].methods[0].uses,
            code.classes[0].references,
        )
        for code in (outline, calls, cohesion, complete)
    }
    assert facts == {
        Detail.OUTLINE: (False, (), ()),
        Detail.CALLS: (True, (), ()),
        Detail.COHESION: (False, ("x",), ("os.getcwd",)),
        Detail.ALL: (True, ("x",), ("os.getcwd",)),
    }
    assert outline.classes == tuple(without_bodies(c) for c in complete.classes)


def without_bodies(cls: ClassInfo) -> ClassInfo:
    """A class as its outline says it: no calls, nothing used, nothing referred to."""
    methods = tuple(dataclasses.replace(m, calls=(), instantiates=(), uses=()) for m in cls.methods)
    return dataclasses.replace(cls, methods=methods, references=())


def test_a_class_under_a_version_check_is_conditional() -> None:
    code = module_code(
        "m",
        "import sys\nclass A: pass\nif sys.version_info < (3, 12):\n    class B: pass\n"
        "try:\n    import x\nexcept ImportError:\n    class C: pass\n",
    )
    assert [(c.name, c.conditional) for c in code.classes] == [
        ("A", False),
        ("B", True),
        ("C", True),
    ]


# The names an import statement brings ------------------------------------------------


def test_the_lines_that_may_hold_an_import_are_found_in_the_text() -> None:
    text = (
        "import os\nx = 1\n\ndef f():\n    from a import (\n        b,\n    )\n"
        "y = '__import__'\nimportlib = 2\n"
    )
    assert import_lines(text) == [1, 5]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["from app.billing import Invoice, Money as M"], ["Invoice", "Money"]),
        (["import os; from app.billing import Invoice"], ["Invoice"]),
        (
            ["from app.billing import (", "    Invoice,", "    Money,", ")", "x = 1"],
            ["Invoice", "Money"],
        ),
        (["from app.billing import \\", "    Invoice"], ["Invoice"]),
        (["try: from app.billing import Invoice", "except ImportError: pass"], ["Invoice"]),
        (["    from ..billing import Invoice  # indented, relative"], ["Invoice"]),
        (["from app.billing import *"], ["*"]),
    ],
)
def test_an_import_statement_is_read_on_its_own(lines: list[str], expected: list[str]) -> None:
    found = statement_imports(lines, "app.ordering", 7)
    assert found is not None
    assert [i.name for i in found if i.module == "app.billing"] == expected
    assert {i.line for i in found} == {7}


def test_a_statement_that_goes_on_is_not_read_from_its_first_line_alone() -> None:
    assert statement_imports("from app.billing import (", "app", 1) is None
    assert statement_imports(["from app.billing import (", "Invoice,"], "app", 1) is None


def test_the_names_imported_are_read_from_the_lines_and_the_module_when_needed() -> None:
    sources = {
        "app": "",
        "app.billing": "class Invoice: pass\nclass Money: pass\n",
        "app.ordering": "def f():\n    from .billing import (\n        Invoice,\n    )\n"
        "if f:\n    pass\nelse: from app.billing import Money\n",
    }
    source = FakeSource(sources)
    model = CodeModel(source, detail=Detail.OUTLINE)
    first = model.names_imported(
        "app.ordering", "app.billing", 2, "from .billing import (", is_package=False
    )
    assert first == (ImportedName("app.billing", "Invoice", "Invoice", 2),)
    assert source.asked == []  # the lines were enough
    # A statement whose lines cannot be read alone: the module is read.
    second = model.names_imported(
        "app.ordering", "app.billing", 7, "else: from app.billing import Money", is_package=False
    )
    assert second == (ImportedName("app.billing", "Money", "Money", 7),)
    assert source.asked == [(("app.ordering",), Detail.OUTLINE)]


def test_a_model_made_of_modules_reads_nothing() -> None:
    code = module_code("m", "class A: pass\n", detail=Detail.OUTLINE)
    model = CodeModel({"m": code})
    assert model.require(Detail.ALL).modules["m"] is code
    assert isinstance(model.modules["m"], ModuleCode)


def test_an_import_line_not_given_is_read_from_the_source() -> None:
    source = FakeSource({"app": "", "app.a": "x = 1\nfrom app import (\n    b,\n)\n"})
    model = CodeModel(source, detail=Detail.OUTLINE)
    assert [i.name for i in model.names_imported("app.a", "app", 2, "", is_package=False)] == ["b"]
    assert source.asked == []
