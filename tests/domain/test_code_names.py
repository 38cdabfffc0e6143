"""What a module binds at its top level and its ``__all__``, read statically: evaluated
where it is built from literals, other modules' ``__all__``, ``+``, ``+=``, ``.append``,
``.extend`` and unpacking; unknown (with the line that makes it so) otherwise, never a
narrower guess."""

from __future__ import annotations

import textwrap

import pytest

from fitness.domain.code import CodeModel, ModuleCode, module_code


def code_of(text: str, module: str = "app.pkg", *, is_package: bool = True) -> ModuleCode:
    return module_code(module, textwrap.dedent(text).lstrip(), is_package=is_package)


def model(**sources: str) -> CodeModel:
    """Modules given as ``dotted__name=source`` (``__init__`` for a package)."""
    modules = {}
    for key, source in sources.items():
        is_package = key.endswith("__init__")
        module = key.removesuffix("__init__").rstrip("_").replace("__", ".")
        modules[module] = module_code(module, source, is_package=is_package)
    return CodeModel(modules)


@pytest.mark.parametrize(
    ("source", "exports"),
    [
        ("__all__ = ['A', 'b']\n__all__ += ('C',)\n", ("A", "b", "C")),
        ("__all__ = ['A']\n__all__.append('B')\n__all__.extend(['C', 'D'])\n", tuple("ABCD")),
        ("__all__ = ['B']\n__all__.insert(0, 'A')\n__all__.sort()\n", ("B", "A")),
        ("_core = ['A']\n_more = _core + ['B']\n__all__ = [*_more, 'C']\n", tuple("ABC")),
        ("__all__ = list(('A',)) + sorted({'B'})\n", ("A", "B")),
        ("__all__ = ['A']\n__all__ = __all__ + ['B']\n", ("A", "B")),
        ("__all__: list[str] = ['A']\n", ("A",)),
        # the branches of an if (or a try) count together: the names any of them lists
        ("if x:\n    __all__ = ['A']\nelse:\n    __all__ = ['B']\n", ("A", "B")),
        ("try:\n    from ._c import f\n    __all__ = ['f']\nexcept ImportError:\n"
         "    __all__ = []\n", ("f",)),
    ],
)  # fmt: skip
def test_an_all_built_from_literals_is_evaluated(source: str, exports: tuple[str, ...]) -> None:
    code = code_of(source)
    assert (code.exports, code.exports_unknown) == (exports, "")


@pytest.mark.parametrize(
    ("source", "unknown"),
    [
        ("__all__ = [n for n in dir()]\n", "line 1: __all__ = [n for n in dir()]"),
        ("__all__ = ['A']\n__all__.extend(_get_exports_list(posix))\n",
         "line 2: __all__.extend(_get_exports_list(posix))"),
        ("__all__ = ['A']\nfor name in more:\n    __all__.append(name)\n",
         "line 3: __all__.append(name)"),
        ("__all__ = ['A', 'B']\n__all__.remove('B')\n", "line 2: __all__.remove('B')"),
        ("__all__ = ['A']\n__all__[0] = 'B'\n", "line 2: __all__[0] = 'B'"),
        ("__all__ = ['A']\ndel __all__\n", "line 2: del __all__"),
        ("__all__ = ['A']\n__all__ *= 2\n", "line 2: __all__ *= 2"),
    ],
)  # fmt: skip
def test_an_all_that_cannot_be_evaluated_is_unknown_with_the_line_that_says_so(
    source: str, unknown: str
) -> None:
    code = code_of(source)
    assert (code.exports, code.exports_unknown) == (None, unknown)
    assert f"__all__ cannot be known statically ({unknown})" in code.blind_spots


def test_an_all_taking_other_modules_all_is_evaluated_by_the_model() -> None:
    # django/db/models/__init__.py:71
    built = model(
        app__models__init__=(
            "from app.models.aggregates import *\n"
            "from app.models.aggregates import __all__ as aggregates_all\n"
            "from app.models import fields\n"
            "from .query_utils import Q\n"
            "__all__ = aggregates_all + fields.__all__\n"
            "__all__ += ['Q']\n"
        ),
        app__models__aggregates="__all__ = ['Count', 'Sum']\n",
        app__models__fields__init__="__all__ = ['CharField']\n__all__ += ['Field']\n",
        app__models__query_utils="class Q: pass\n",
    )
    code = built.modules["app.models"]
    assert code.exports_recipe == ("*app.models.aggregates", "*app.models.fields", "Q")
    assert built.exports("app.models") == ("Count", "Sum", "CharField", "Field", "Q")
    assert code.exports == ("Count", "Sum", "CharField", "Field", "Q")  # once linked


def test_an_all_taking_an_unknown_all_is_unknown_and_says_why() -> None:
    built = model(
        app__init__="from app.other import __all__ as other_all\n__all__ = ['A'] + other_all\n",
        app__other="__all__ = compute()\n",
    )
    assert built.exports("app") is None
    assert built.public_names("app").why == (
        "app's __all__ takes app.other's __all__ is computed (line 1: __all__ = compute())"
    )


def test_a_cycle_of_all_is_unknown() -> None:
    built = model(
        app__a="from app.b import __all__ as b_all\n__all__ = b_all\n",
        app__b="from app.a import __all__ as a_all\n__all__ = ['B'] + a_all\n",
    )
    assert built.exports("app.a") is None


def test_the_names_a_module_binds_at_its_top_level() -> None:
    code = code_of(
        """
        import os.path
        import json as j
        from .orders import Order, place as place_order
        from . import events
        from .rows import *
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from .typing import Hint
        class Model: pass
        def helper(): pass
        x, (y, *z) = 1, (2, 3)
        for item in []: pass
        with open("f") as handle: pass
        removed = 1
        del removed
        def f():
            import secret_inside_a_function
        """
    )
    assert code.names == (
        ("Model", "app.pkg.Model"),
        ("Order", "app.pkg.orders.Order"),
        ("TYPE_CHECKING", "typing.TYPE_CHECKING"),
        ("events", "app.pkg.events"),
        ("f", "app.pkg.f"),
        ("handle", "app.pkg.handle"),
        ("helper", "app.pkg.helper"),
        ("item", "app.pkg.item"),
        ("j", "json"),
        ("orders", "app.pkg.orders"),  # importing a submodule binds it in its package
        ("os", "os"),
        ("place_order", "app.pkg.orders.place"),
        ("rows", "app.pkg.rows"),
        ("x", "app.pkg.x"),
        ("y", "app.pkg.y"),
        ("z", "app.pkg.z"),
    )


def test_a_name_the_package_binds_wins_over_its_submodule_of_that_name() -> None:
    # sqlalchemy/dialects/postgresql/__init__.py
    code = code_of("from . import array as arraylib\nfrom .array import array\n")
    assert dict(code.names)["array"] == "app.pkg.array.array"
    assert dict(code.names)["arraylib"] == "app.pkg.array"


def test_names_bound_through_globals_are_unknown_without_all() -> None:
    code = code_of("for name in NAMES:\n    globals()[name] = make(name)\n")
    assert code.exports_unknown == "line 2: globals()[name] = make(name) may bind any name"
    assert code_of("globals().update(x)\n__all__ = ['A']\n").exports_unknown == ""
