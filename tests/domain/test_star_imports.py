"""Star imports resolved statically: from a module of the project through its ``__all__``
(or its public names), from an installed one by reading its source (never importing
it); where that fails, every class and function rule whose answer could depend on the
names the star import binds warns, naming the import."""

from __future__ import annotations

import textwrap

import pytest

from fitness import RuleViolated, classes, functions
from fitness.domain.code import CodeModel, module_code
from fitness.domain.code.linking import MAX_DEPTH, StarImport
from fitness.domain.graph import ProjectGraph
from tests.helpers import fake_graph

#: Installed packages, as the adapter reads them (their source text, is it a package).
INSTALLED = {
    "sqlalchemy.orm": (
        "from .decl_api import DeclarativeBase as DeclarativeBase\n"
        "from .session import Session\n"
        "from .base import _private\n",
        True,
    ),
    # os builds its __all__ at run time (os.py:69)
    "os": ("import posix\n__all__ = ['altsep']\n__all__.extend(_get_exports_list(posix))\n", False),
    "io": ("__all__ = ['open', 'StringIO']\n", False),
}


def model_of(**sources: str) -> CodeModel:
    modules = {}
    for key, source in sources.items():
        is_package = key.endswith("__init__")
        module = key.removesuffix("__init__").rstrip("_").replace("__", ".")
        text = textwrap.dedent(source).lstrip()
        modules[module] = module_code(
            module, text, is_package=is_package, file=module.replace(".", "/") + ".py"
        )
    return CodeModel(modules, external=INSTALLED.get)


def graph_of(**sources: str) -> ProjectGraph:
    model = model_of(**sources)
    graph = fake_graph("\n".join(model.modules), roots=("app",))
    graph.attach_code_model(lambda: model)
    return graph


def test_a_base_from_an_installed_packages_star_import_is_resolved() -> None:
    model = model_of(
        app__models="from sqlalchemy.orm import *\nclass Order(DeclarativeBase): pass\n"
    )
    assert model.modules["app.models"].classes[0].bases == ("sqlalchemy.orm.DeclarativeBase",)
    (star,) = model.star_imports("app.models")
    assert star.names is not None and {"DeclarativeBase", "Session"} <= star.names
    assert "_private" not in star.names  # no __all__: the public names only


def test_a_class_deriving_from_a_star_imported_base_breaks_should_not_subclass() -> None:
    graph = graph_of(
        app__models="from sqlalchemy.orm import *\nclass Order(DeclarativeBase): pass\n"
    )
    with pytest.raises(RuleViolated) as raised:
        classes("app").should_not_subclass("sqlalchemy").check(graph)
    assert "app.models.Order (app/models.py:2) subclasses sqlalchemy.orm.DeclarativeBase" in str(
        raised.value
    )


def test_calls_and_instantiations_through_a_star_import_are_resolved() -> None:
    model = model_of(
        app__service="""
        from sqlalchemy.orm import *
        from io import *

        def save():
            session = Session()
            return open("f"), session
        """
    )
    save = model.modules["app.service"].functions[0]
    assert [(c.target, c.resolved) for c in save.calls] == [
        ("sqlalchemy.orm.Session", True),
        ("io.open", True),  # the star import binds open: the builtin is hidden
    ]
    assert [c.target for c in save.instantiates] == ["sqlalchemy.orm.Session"]


def test_a_star_import_from_the_project_binds_its_all_or_its_public_names() -> None:
    model = model_of(
        app__base="__all__ = ['Entity']\nclass Entity: pass\nclass Hidden: pass\n",
        app__util="def helper(): pass\ndef _private(): pass\nfrom app.base import *\n",
        app__models="""
        from app.util import *

        class Order(Entity):
            def total(self):
                return helper(), _private(), Hidden()
        """,
    )
    order = model.modules["app.models"].classes[0]
    assert order.bases == ("app.util.Entity",)
    assert model.class_named("app.util.Entity") is model.modules["app.base"].classes[0]
    assert [(c.target, c.resolved) for c in order.methods[0].calls] == [
        ("app.util.helper", True),
        ("_private", False),
        ("Hidden", False),
    ]


def test_star_imports_in_a_cycle_bind_what_each_module_binds_itself() -> None:
    model = model_of(
        app__a="from app.b import *\ndef from_a(): pass\n",
        app__b="from app.a import *\ndef from_b(): pass\n",
        app__user="from app.a import *\nclass X(from_b): pass\n",
    )
    assert model.modules["app.user"].classes[0].bases == ("app.a.from_b",)


def test_a_chain_of_star_imports_longer_than_the_bound_is_unknown() -> None:
    depth = MAX_DEPTH + 3
    sources = {f"app__m{i}": f"from app.m{i + 1} import *\n" for i in range(depth)}
    sources[f"app__m{depth}"] = "class Deep: pass\n"
    model = model_of(**sources, app__user="from app.m0 import *\nclass X(Deep): pass\n")
    (star,) = model.star_imports("app.user")
    assert star.names is None
    assert "star imports deep" in star.unknown


def test_a_star_import_whose_names_cannot_be_known_is_a_blind_spot_naming_why() -> None:
    model = model_of(
        app__shell="from os import *\nfrom posix import *\n\ndef run():\n    system('id')\n"
    )
    assert model.star_imports("app.shell") == (
        StarImport(
            "app.shell",
            "os",
            1,
            None,
            "os's __all__ is computed (line 3: __all__.extend(_get_exports_list(posix)))",
        ),
        StarImport("app.shell", "posix", 2, None, "posix cannot be read statically"),
    )
    assert model.modules["app.shell"].blind_spots == (
        "line 1: from os import *: the names it binds cannot be known statically (os's __all__ "
        "is computed (line 3: __all__.extend(_get_exports_list(posix))))",
        "line 2: from posix import *: the names it binds cannot be known statically (posix "
        "cannot be read statically)",
    )


def test_should_not_call_warns_when_a_star_import_may_bind_what_is_called() -> None:
    graph = graph_of(
        app__shell="from os import *\n\ndef run():\n    system('id')\n    print('x')\n"
    )
    result = functions("app").should_not_call("os.*").result(graph)
    assert result.passed
    assert result.warnings == (
        "app/shell.py:1: the names from os import * binds cannot be known statically (os's "
        "__all__ is computed (line 3: __all__.extend(_get_exports_list(posix)))); print and "
        "system may be among them, so should_not_call could not check those calls in "
        "app.shell.run",
    )


def test_a_base_a_star_import_may_bind_is_warned_about_by_every_rule_about_bases() -> None:
    graph = graph_of(
        app__base="__all__ = [name for name in dir()]\nclass Model: pass\n",
        app__models="from app.base import *\n\nclass Order(Model):\n    pass\n",
    )
    said = (
        "app/models.py:1: the names from app.base import * binds cannot be known statically "
        "(app.base's __all__ is computed (line 1: __all__ = [name for name in dir()])); Model "
        "may be among them, so app.models.Order (app/models.py:3): base Model: "
    )
    kept = classes("app.models").should_not_subclass("app.base.Model").result(graph)
    assert kept.warnings == (said + "the rule could not follow it",)
    unsure = classes("app.models").should_subclass("app.base.Model").result(graph)
    assert (unsure.passed, unsure.warnings) == (True, (said + "the rule could not follow it",))
    empty = classes("app.models").that_subclass("app.base.Model").should_be_frozen()
    result = empty.allow_empty().result(graph)
    assert result.warnings == (
        said + "that_subclass could not tell whether it subclasses app.base.Model, and left it out",
    )


def test_a_module_without_star_imports_warns_of_none() -> None:
    graph = graph_of(app__shell="import os\n\ndef run():\n    os.system('id')\n")
    result = functions("app").should_not_call("print").result(graph)
    assert (result.passed, result.warnings) == (True, ())
