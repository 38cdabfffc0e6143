"""The code model: classes and functions read from source text (never imported)."""

from __future__ import annotations

import pytest

from fitness.domain.code import (
    Call,
    ClassInfo,
    CodeModel,
    ImportedName,
    ModuleCode,
    ModuleTable,
    from_data,
    module_code,
    name_matches,
    to_data,
)
from fitness.domain.errors import ConfigError


def model(**sources: str) -> CodeModel:
    """A model of modules given as ``dotted__name=source`` (``__init__`` for a package)."""
    modules = {}
    for key, source in sources.items():
        is_package = key.endswith("__init__")
        module = key.removesuffix("__init__").rstrip("_").replace("__", ".")
        modules[module] = module_code(module, source, is_package=is_package)
    return CodeModel(modules)


def the_class(code: ModuleCode, name: str) -> ClassInfo:
    return next(c for c in code.classes if c.name == name)


# Imports ---------------------------------------------------------------------


def test_imports_are_resolved_to_absolute_modules_with_the_names_they_bind() -> None:
    code = module_code(
        "app.shop.orders",
        "import os\n"
        "import app.billing\n"
        "import app.billing.invoices as inv\n"
        "from . import sibling\n"
        "from ..core import Base, helper as h\n"
        "from .models import *\n",
    )
    assert code.imports == (
        ImportedName("os", None, "os", 1),
        ImportedName("app.billing", None, "app", 2),
        ImportedName("app.billing.invoices", None, "inv", 3),
        ImportedName("app.shop", "sibling", "sibling", 4),
        ImportedName("app.core", "Base", "Base", 5),
        ImportedName("app.core", "helper", "h", 5),
        ImportedName("app.shop.models", "*", "*", 6),
    )
    assert code.blind_spots == (
        "star import from app.shop.models: the names it binds are not known statically",
    )


def test_relative_imports_in_a_package_start_from_the_package_itself() -> None:
    code = module_code("app.shop", "from .orders import Order\n", is_package=True)
    assert code.imports == (ImportedName("app.shop.orders", "Order", "Order", 1),)


def test_a_literal_all_is_the_exports_and_a_computed_one_is_unknown() -> None:
    assert module_code("m", "__all__ = ['A', 'b']\n__all__ += ('C',)\n").exports == (
        "A",
        "b",
        "C",
    )
    assert module_code("m", "__all__ = [name for name in dir()]\n").exports is None
    assert module_code(
        "m", "__all__ = ['A']\n__all__.append('B')\n__all__.extend(['C', 'D'])\n"
    ).exports == ("A", "B", "C", "D")
    assert module_code("m", "__all__ = ['A']\n__all__.extend(other.__all__)\n").exports is None
    assert module_code("m", "x = 1\n").exports is None


# Classes -----------------------------------------------------------------------


EXTERNAL_BASES = """
import typing
import sqlalchemy.orm as orm
from abc import ABC
from pydantic import BaseModel
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Order(orm.DeclarativeBase):
    pass


class OrderData(BaseModel):
    pass


class Port(typing.Protocol):
    def get(self) -> int: ...


class Generic(typing.Generic[T]):
    pass


class Service(ABC):
    pass
"""


def test_bases_are_resolved_through_the_imports_to_external_names() -> None:
    code = module_code("shop.domain.model", EXTERNAL_BASES)
    assert {c.name: c.bases for c in code.classes} == {
        "Base": ("sqlalchemy.orm.DeclarativeBase",),
        "Order": ("sqlalchemy.orm.DeclarativeBase",),
        "OrderData": ("pydantic.BaseModel",),
        "Port": ("typing.Protocol",),
        "Generic": ("typing.Generic",),
        "Service": ("abc.ABC",),
    }
    port = the_class(code, "Port")
    assert (port.protocol, port.abstract) == (True, True)
    assert the_class(code, "Service").abstract is True
    assert the_class(code, "Base").abstract is False


def test_a_base_that_is_not_a_name_is_a_blind_spot() -> None:
    code = module_code(
        "m",
        "from sqlalchemy.orm import declarative_base\n"
        "Base = declarative_base()\n"
        "class A(Base):\n    pass\n"
        "class B(make_base()):\n    pass\n"
        "class C(getattr(models, name)):\n    pass\n",
    )
    assert the_class(code, "A").bases == ("m.Base",)
    assert the_class(code, "B").unresolved_bases == ("make_base()",)
    assert the_class(code, "C").unresolved_bases == ("getattr(models, name)",)
    assert code.blind_spots == (
        "line 3: base class Base of A is made at run time (declarative_base())",
        "line 5: base class of B is dynamic (make_base())",
        "line 7: base class of C is dynamic (getattr(models, name))",
    )


def test_decorators_are_resolved_and_frozen_classes_recognised() -> None:
    code = module_code(
        "m",
        "import dataclasses\n"
        "import enum\n"
        "import attrs\n"
        "from dataclasses import dataclass\n"
        "from typing import NamedTuple\n"
        "from pydantic import BaseModel\n"
        "@dataclasses.dataclass(frozen=True)\nclass A:\n    x: int\n"
        "@dataclass\nclass B:\n    x: int\n"
        "@attrs.frozen\nclass C:\n    x: int\n"
        "class D(NamedTuple):\n    x: int\n"
        "class E(enum.Enum):\n    X = 1\n"
        "class F(BaseModel, frozen=True):\n    x: int\n"
        "@dataclass(frozen=False)\nclass G:\n    x: int\n"
        "class H(BaseModel):\n    model_config = ConfigDict(frozen=True)\n"
        "class I(BaseModel):\n    model_config = {'frozen': True}\n",
    )
    assert {c.name: (c.decorators, c.frozen) for c in code.classes} == {
        "A": (("dataclasses.dataclass",), True),
        "B": (("dataclasses.dataclass",), False),
        "C": (("attrs.frozen",), True),
        "D": ((), True),
        "E": ((), True),
        "F": ((), True),
        "G": (("dataclasses.dataclass",), False),
        "H": ((), True),
        "I": ((), True),
    }


def test_methods_have_their_kind_visibility_and_abstractness() -> None:
    code = module_code(
        "m",
        "import abc\n"
        "import functools\n"
        "class Port(abc.ABC):\n"
        "    @abc.abstractmethod\n    def get(self): ...\n"
        "    @staticmethod\n    def make(): ...\n"
        "    @classmethod\n    def build(cls): ...\n"
        "    @property\n    def size(self): ...\n"
        "    @functools.cached_property\n    def total(self): ...\n"
        "    def _hidden(self): ...\n"
        "    def __len__(self): ...\n",
    )
    port = the_class(code, "Port")
    assert [(m.name, m.kind, m.public, m.abstract) for m in port.methods] == [
        ("Port.get", "method", True, True),
        ("Port.make", "staticmethod", True, False),
        ("Port.build", "classmethod", True, False),
        ("Port.size", "property", True, False),
        ("Port.total", "property", True, False),
        ("Port._hidden", "method", False, False),
        ("Port.__len__", "method", True, False),
    ]
    assert port.methods[0].decorators == ("abc.abstractmethod",)


NOT_IMPLEMENTED = """
class Storage:
    def save(self, item):
        '''Store it.'''
        raise NotImplementedError("subclasses store")

    def describe(self):
        return "storage"


class Hooks:
    def _step(self):
        raise NotImplementedError
"""


def test_a_public_method_only_raising_not_implemented_error_makes_the_class_abstract() -> None:
    code = module_code("m", NOT_IMPLEMENTED)
    storage = the_class(code, "Storage")
    assert storage.abstract is True
    assert [m.abstract for m in storage.methods] == [True, False]
    assert the_class(code, "Hooks").abstract is False  # a private hook only


def test_not_implemented_error_can_be_left_out_of_abstractness() -> None:
    code = module_code("m", NOT_IMPLEMENTED, not_implemented_is_abstract=False)
    storage = the_class(code, "Storage")
    assert storage.abstract is False
    assert [m.abstract for m in storage.methods] == [False, False]


def test_nested_classes_are_named_after_their_outer_class() -> None:
    code = module_code(
        "m",
        "class Outer:\n    class Meta:\n        pass\n    class Inner(Meta):\n        pass\n",
    )
    assert [(c.name, c.bases) for c in code.classes] == [
        ("Outer", ()),
        ("Outer.Meta", ()),
        ("Outer.Inner", ("m.Outer.Meta",)),
    ]


def test_a_syntax_error_names_the_file_and_line() -> None:
    with pytest.raises(ConfigError, match=r"^cannot parse pkg/bad.py, line 2: "):
        module_code("pkg.bad", "x = 1\ndef (:\n", file="pkg/bad.py")


# Calls -------------------------------------------------------------------------


CALLS = """
import datetime
import os
import requests
from shop.adapters.sql import SqlRepository
from . import helpers


class Service:
    def place(self, order):
        print("placing", order)
        self._log(order)
        with open("orders.txt") as stream:
            stream.write(str(order))
        secret = os.environ["SECRET"]
        os.environ.get("HOME")
        when = datetime.datetime.now()
        response = requests.get("https://example.com")
        response.raise_for_status()
        repository = SqlRepository()
        helpers.tidy(repository)
        return Receipt(when)

    def _log(self, order):
        pass


class Receipt:
    pass


def uses_a_local(open):
    return open("x")


def computed(obj, name):
    return getattr(obj, name)
"""


def test_calls_are_resolved_through_the_imports() -> None:
    code = module_code("shop.domain.service", CALLS)
    place = the_class(code, "Service").methods[0]
    assert [(c.target, c.line, c.resolved, c.kind) for c in place.calls] == [
        ("print", 11, True, "call"),
        ("shop.domain.service.Service._log", 12, True, "call"),
        ("open", 13, True, "call"),
        ("stream.write", 14, False, "call"),
        ("str", 14, True, "call"),
        ("os.environ", 15, True, "access"),
        ("os.environ.get", 16, True, "call"),
        ("datetime.datetime.now", 17, True, "call"),
        ("requests.get", 18, True, "call"),
        ("response.raise_for_status", 19, False, "call"),
        ("shop.adapters.sql.SqlRepository", 20, True, "call"),
        ("shop.domain.helpers.tidy", 21, True, "call"),
        ("shop.domain.service.Receipt", 22, True, "call"),
    ]
    assert place.instantiates == (
        Call("shop.adapters.sql.SqlRepository", 20, True),
        Call("shop.domain.service.Receipt", 22, True),
    )


def test_a_parameter_hides_the_builtin_of_the_same_name() -> None:
    code = module_code("m", CALLS)
    uses_a_local = next(f for f in code.functions if f.name == "uses_a_local")
    assert uses_a_local.calls == (Call("open", 33, False),)


def test_getattr_with_a_computed_name_is_a_blind_spot() -> None:
    code = module_code("m", CALLS)
    assert code.blind_spots == (
        "line 37: computed reads an attribute whose name is computed (getattr(obj, name))",
    )


def test_calls_outside_functions_belong_to_the_module() -> None:
    code = module_code(
        "m", "import logging\nlog = logging.getLogger(__name__)\nclass A:\n    x = print()\n"
    )
    assert code.calls == (Call("logging.getLogger", 2, True), Call("print", 4, True))
    assert code.functions == ()


# The whole model ------------------------------------------------------------------


SHOP = {
    "shop__init__": "",
    "shop__domain__init__": "from .base import Entity\n__all__ = ['Entity']\n",
    "shop__domain__base": "from sqlalchemy.orm import DeclarativeBase\n"
    "class Entity(DeclarativeBase):\n    pass\n",
    "shop__domain__order": "from shop.domain import Entity\nclass Order(Entity):\n    pass\n",
    "shop__domain__line": "import shop.domain.order as o\nclass Line(o.Order):\n    pass\n",
    "shop__application__ports": "from typing import Protocol\n"
    "class OrderRepository(Protocol):\n    def save(self, order): ...\n",
    "shop__adapters__sql": "from shop.application import ports\n"
    "class SqlRepository(ports.OrderRepository):\n    pass\n",
}


def test_ancestry_is_followed_across_modules_and_through_re_exports() -> None:
    shop = model(**SHOP)
    line = shop.class_named("shop.domain.line.Line")
    assert line is not None
    assert shop.ancestors(line) == (
        "shop.domain.order.Order",
        "shop.domain.Entity",
        "shop.domain.base.Entity",
        "sqlalchemy.orm.DeclarativeBase",
    )
    assert shop.is_subclass(line, "sqlalchemy.orm.DeclarativeBase")
    assert shop.is_subclass(line, "shop.domain.base.Entity")
    assert shop.is_subclass(line, "shop.domain.Entity")
    assert shop.is_subclass(line, "sqlalchemy.*.DeclarativeBase")
    assert not shop.is_subclass(line, "pydantic.**")


def test_a_class_is_found_under_the_name_a_package_re_exports_it_as() -> None:
    shop = model(**SHOP)
    entity = shop.class_named("shop.domain.Entity")
    assert entity is not None
    assert entity.qualified_name == "shop.domain.base.Entity"
    assert shop.class_named("shop.domain.Missing") is None
    assert shop.class_named("requests.Session") is None


def test_an_adapter_implementing_a_port_subclasses_it() -> None:
    shop = model(**SHOP)
    sql = shop.class_named("shop.adapters.sql.SqlRepository")
    assert sql is not None
    assert shop.ancestors(sql) == (
        "shop.application.ports.OrderRepository",
        "typing.Protocol",
    )


def test_classes_and_functions_come_sorted_by_module_and_line() -> None:
    shop = model(**SHOP)
    assert [c.qualified_name for c in shop.classes()] == [
        "shop.adapters.sql.SqlRepository",
        "shop.application.ports.OrderRepository",
        "shop.domain.base.Entity",
        "shop.domain.line.Line",
        "shop.domain.order.Order",
    ]
    assert [f.qualified_name for f in shop.functions()] == [
        "shop.application.ports.OrderRepository.save"
    ]
    assert list(shop.functions(methods=False)) == []


def test_a_cycle_of_re_exports_ends() -> None:
    shop = model(a__init__="from b import X\n", b__init__="from a import X\n")
    assert shop.class_named("a.X") is None


def test_the_cache_format_gives_back_the_same_module() -> None:
    code = module_code("shop.domain.service", CALLS)
    assert from_data(to_data(code)) == code
    assert from_data([list(x) if isinstance(x, tuple) else x for x in to_data(code)]) == code


@pytest.mark.parametrize(
    ("name", "pattern", "matches"),
    [
        ("pydantic.BaseModel", "pydantic.*", True),
        ("pydantic.main.BaseModel", "pydantic.*", False),
        ("pydantic.main.BaseModel", "pydantic.**", True),
        ("shop.adapters.SqlRepository", "shop.adapters.*Repository", True),
        ("shop.adapters.SqlRepository", "shop.adapters.SqlRepository", True),
        ("shop.adapters.SqlRepositoryX", "shop.adapters.*Repository", False),
    ],
)
def test_names_match_patterns_part_by_part(name: str, pattern: str, matches: bool) -> None:
    assert name_matches(name, pattern) is matches


def test_damaged_cached_data_is_a_clear_error_when_the_module_is_asked_for() -> None:
    table = ModuleTable({"pkg.a": ("pkg.a", "pkg/a.py", (), None, ((1, 2),), (), (), (), ())})
    shop = CodeModel(table)
    with pytest.raises(ConfigError) as error:
        list(shop.classes())
    assert str(error.value) == (
        "the cached code model of pkg.a is damaged: run again without the cache "
        "(--no-cache, --fitness-no-cache) or delete the cache directory"
    )


def test_a_line_is_quoted_as_python_numbers_it_whatever_separators_come_before() -> None:
    """A form feed (an old page break) breaks a line for ``str.splitlines``, not for
    Python: line 3 is the third line Python counts (``\\r\\n`` and ``\\r`` end lines)."""
    text = "import os\x0c\r\nx = 1\rimport shop.db  # line 3\n"
    code = CodeModel({"app.m": module_code("app.m", text)}, source=lambda module: text)
    assert code.line_text("app.m", 3) == "import shop.db  # line 3"
    assert code.line_text("app.m", 1) == "import os"
