"""Class and function rules on a code model parsed from source text (never imported):
code outside functions (module level, class bodies), names that stand for everything
under them, the quoted source lines, the kinds of links, and classes whose bases
cannot be resolved statically."""

from __future__ import annotations

import json
import textwrap

import pytest

from fitness import RuleViolated, classes, functions
from fitness.adapters.reporters.context import ReportContext
from fitness.adapters.reporters.json_report import chain_from_data, chain_to_data
from fitness.adapters.reporters.sarif import render as render_sarif
from fitness.domain.code import CodeModel, from_data, module_code, to_data
from fitness.domain.graph import ProjectGraph
from fitness.domain.violations import Chain, Link, RuleResult, Violation
from tests.helpers import fake_graph

SOURCES = {
    "shop.domain.model": """
        import os
        import requests
        from datetime import datetime

        print("loading the model")
        TIMEOUT = os.environ.get("TIMEOUT")


        class Order:
            created = datetime.now()

            def total(self) -> int:
                return 0
    """,
    "shop.domain.rates": """
        import requests_cache
        from os import environ

        SESSION = requests_cache.CachedSession()


        def rate() -> str:
            return environ["RATE"]


        def fetch() -> object:
            return requests.get("http://rates")
    """,
    "shop.adapters.db": """
        class SqlRepository:
            def add(self) -> None:
                pass
    """,
    "shop.application.services": """
        from shop.adapters.db import SqlRepository

        REPOSITORY = SqlRepository()


        class Service:
            repository = SqlRepository()
    """,
    "shop.main": """
        from shop.adapters.db import SqlRepository


        def main() -> None:
            SqlRepository()
    """,
    "shop.adapters": """
        from shop.adapters.db import SqlRepository
    """,
    "shop.application.repos": """
        from shop.adapters import SqlRepository


        class CachedRepository(SqlRepository):
            pass
    """,
    "shop.domain.errors": """
        class OrderError(RuntimeError):
            pass
    """,
    "shop.domain.dynamic": """
        from shop.domain.model import Order


        def make_base() -> type:
            return object


        class Special(make_base()):
            def total(self) -> int:
                return 1


        class Plain(Order):
            pass
    """,
}
TEXTS = {module: textwrap.dedent(text).lstrip() for module, text in SOURCES.items()}


def file_name(module: str) -> str:
    return module.replace(".", "/") + ".py"


def graph_of(texts: dict[str, str], *, with_source: bool = True) -> ProjectGraph:
    graph = fake_graph(
        "\n".join([*texts, "shop.domain.model -> requests"]), roots=("shop",), external=True
    )
    codes = {m: module_code(m, text, file=file_name(m)) for m, text in texts.items()}
    model = CodeModel(codes, source=texts.get if with_source else None)
    graph.attach_code_model(lambda: model)
    return graph


GRAPH = graph_of(TEXTS)


def failure(rule: object, graph: ProjectGraph = GRAPH) -> list[str]:
    with pytest.raises(RuleViolated) as excinfo:
        rule.check(graph)  # type: ignore[attr-defined]
    return str(excinfo.value).splitlines()


def line_of(module: str, text: str) -> int:
    return next(n for n, line in enumerate(TEXTS[module].splitlines(), 1) if text in line)


# Module level and class bodies -----------------------------------------------------


def test_a_print_at_module_level_breaks_should_not_call_naming_the_module_file_and_line() -> None:
    assert failure(functions("shop.domain.model").should_not_call("print")) == [
        "functions in shop.domain.model should not call print.",
        "",
        "shop.domain.model (shop/domain/model.py:5) calls print at module level:",
        "  shop.domain.model calls print",
        '    shop/domain/model.py:5  print("loading the model")',
        "",
        "How to fix: Move the call out to an adapter, and hand the result (or a port that "
        "makes it) in.",
    ]


def test_a_call_in_a_class_body_is_the_class_s_for_classes_and_the_module_s_for_functions() -> None:
    line = line_of("shop.domain.model", "created = datetime.now()")
    expected = [
        f"shop.domain.model.Order (shop/domain/model.py:{line}) calls datetime.datetime.now "
        "in its class body:",
        "  shop.domain.model.Order calls datetime.datetime.now",
        f"    shop/domain/model.py:{line}  created = datetime.now()",
    ]
    by_class = failure(classes("shop.domain.model").should_not_call("datetime.datetime.now"))
    by_function = failure(functions("shop.domain.model").should_not_call("datetime.datetime.now"))
    assert by_class[2:5] == expected
    assert by_function[2:5] == expected


def test_module_level_code_is_not_a_function_a_name_filter_selects() -> None:
    rule = functions("shop.domain.model").that_are_named("*").should_not_call("print")
    rule.check(GRAPH)  # passes: no selected function calls print


def test_an_instantiation_at_module_level_or_in_a_class_body_breaks_the_composition_root_rule() -> (
    None
):
    lines = failure(
        classes("shop.adapters").that_are_named("Sql*").should_only_be_instantiated_in("shop.main")
    )
    module_line = line_of("shop.application.services", "REPOSITORY =")
    body_line = line_of("shop.application.services", "repository =")
    assert lines[2:] == [
        "shop.adapters.db.SqlRepository (shop/adapters/db.py:1) is instantiated in "
        "shop.application.services (at module level), outside shop.main:",
        "  shop.application.services instantiates shop.adapters.db.SqlRepository",
        f"    shop/application/services.py:{module_line}  REPOSITORY = SqlRepository()",
        "",
        "shop.adapters.db.SqlRepository (shop/adapters/db.py:1) is instantiated in "
        "shop.application.services.Service (in its class body), outside shop.main:",
        "  shop.application.services.Service instantiates shop.adapters.db.SqlRepository",
        f"    shop/application/services.py:{body_line}  repository = SqlRepository()",
        "",
        "How to fix: Create it where the rule allows (the composition root) and hand it in, "
        "through a port, to the code that needs it.",
    ]


# A name stands for everything under it ---------------------------------------------


def test_a_forbidden_name_catches_calls_and_accesses_under_it() -> None:
    lines = failure(functions("shop.domain").should_not_call("os.environ"))
    assert [line for line in lines if not line.startswith(" ")][2:-2] == [
        "shop.domain.model (shop/domain/model.py:6) calls os.environ.get at module level:",
        "",
        "shop.domain.rates.rate (shop/domain/rates.py:7) uses os.environ:",
    ]


def test_a_module_name_catches_its_functions_but_not_a_module_whose_name_starts_alike() -> None:
    lines = failure(functions("shop.domain.rates").should_not_call("requests"))
    # requests.get (unresolved here: requests is not imported in rates) is kept as written,
    # and requests_cache.CachedSession is another package.
    assert lines[2] == "shop.domain.rates.fetch (shop/domain/rates.py:11) calls requests.get:"
    assert not any("requests_cache" in line for line in lines)


def test_a_glob_catches_only_what_it_matches() -> None:
    functions("shop.domain.rates").should_not_call("requests.post*").check(GRAPH)
    lines = failure(functions("shop.domain.rates").should_not_call("requests_cache.*"))
    assert lines[2] == (
        "shop.domain.rates (shop/domain/rates.py:4) calls requests_cache.CachedSession "
        "at module level:"
    )


# Quoted lines and the kinds of links -------------------------------------------------


def test_without_the_source_a_violation_still_names_the_line_without_quoting_it() -> None:
    lines = failure(
        functions("shop.domain.model").should_not_call("print"), graph_of(TEXTS, with_source=False)
    )
    assert lines[4] == "    shop/domain/model.py:5"


def test_the_class_statements_on_the_way_up_are_quoted() -> None:
    lines = failure(classes("shop.domain.dynamic").should_not_subclass("shop.domain.model.Order"))
    plain = line_of("shop.domain.dynamic", "class Plain")
    assert lines[2:5] == [
        f"shop.domain.dynamic.Plain (shop/domain/dynamic.py:{plain}) subclasses "
        "shop.domain.model.Order:",
        "  shop.domain.dynamic.Plain subclasses shop.domain.model.Order",
        f"    shop/domain/dynamic.py:{plain}  class Plain(Order):",
    ]


def test_a_chain_of_base_classes_reads_as_a_sentence_and_imports_keep_their_arrows() -> None:
    bases = Chain(
        (
            Link("a.Customer", "a.Record", (3,), "a.py", kind="subclass"),
            Link("a.Record", "orm.Base", (5,), "a.py", kind="subclass"),
        )
    )
    imports = Chain((Link("a", "b", (1,), "a.py"), Link("b", "c", (2,), "b.py")))
    assert str(bases) == "a.Customer subclasses a.Record, which subclasses orm.Base"
    assert str(imports) == "a -> b -> c"


def test_json_gives_a_link_s_kind_except_for_imports_whose_data_is_unchanged() -> None:
    imports = Chain((Link("a", "b", (1,), "a.py", "import b"),))
    call = Chain((Link("a.f", "print", (4,), "a.py", "print()", kind="call"),))
    assert chain_to_data(imports)["links"] == [
        {"importer": "a", "imported": "b", "file": "a.py", "line_numbers": [1], "code": "import b"}
    ]
    assert chain_to_data(call)["links"][0]["kind"] == "call"
    assert chain_from_data(chain_to_data(call)) == call
    assert chain_from_data(chain_to_data(imports)) == imports


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("import", "a imports b"),
        ("subclass", "a subclasses b"),
        ("call", "a calls b"),
        ("access", "a uses b"),
        ("instantiate", "a instantiates b"),
    ],
)
def test_sarif_related_locations_say_what_the_link_does(kind: str, said: str) -> None:
    link = Link("a", "b", (3,), "a.py", "b()", kind=kind)
    result = RuleResult(
        "r", "d", violations=(Violation("a", "b", "a breaks it", (Chain((link,)),)),)
    )
    log = json.loads(render_sarif([result], ReportContext()))
    related = log["runs"][0]["results"][0]["relatedLocations"][0]
    assert related["message"]["text"] == f"{said}: b()"


# Classes whose bases cannot be resolved --------------------------------------------


def test_that_subclass_warns_about_a_class_with_a_dynamic_base_it_left_out() -> None:
    special = line_of("shop.domain.dynamic", "class Special")
    result = (
        classes("shop.domain.dynamic")
        .that_subclass("shop.domain.model.Order")
        .should_reside_in("shop.domain")
        .check(GRAPH)
    )
    assert result.warnings == (
        f"shop.domain.dynamic.Special (shop/domain/dynamic.py:{special}): base make_base() "
        "cannot be resolved statically; that_subclass could not tell whether it subclasses "
        "shop.domain.model.Order, and left it out",
    )


def test_that_implement_warns_about_a_class_with_a_dynamic_base_it_left_out() -> None:
    special = line_of("shop.domain.dynamic", "class Special")
    result = (
        classes("shop.domain")
        .that_implement("shop.adapters.db.SqlRepository")
        .should_reside_in("shop.domain")
        .allow_empty()
        .check(GRAPH)
    )
    assert result.warnings == (
        f"shop.domain.dynamic.Special (shop/domain/dynamic.py:{special}): base make_base() "
        "cannot be resolved statically; that_implement could not tell whether it inherits "
        "the methods of shop.adapters.db.SqlRepository, and left it out",
    )


def test_a_bare_use_of_an_imported_name_is_an_access_but_a_class_name_is_not() -> None:
    code = module_code(
        "app.config",
        textwrap.dedent(
            """
            from os import environ
            from app.model import Order


            def read(order: object) -> str:
                assert isinstance(order, Order)
                return environ["A"]
            """
        ),
    )
    (read,) = code.functions
    assert [(c.target, c.line, c.kind) for c in read.calls] == [
        ("isinstance", 7, "call"),
        ("os.environ", 8, "access"),
    ]


# Bases under another name ------------------------------------------------------------


def test_a_base_named_where_it_is_re_exported_is_the_same_class() -> None:
    lines = failure(
        classes("shop.application.repos").should_not_subclass("shop.adapters.SqlRepository")
    )
    assert lines[2:5] == [
        "shop.application.repos.CachedRepository (shop/application/repos.py:4) subclasses "
        "shop.adapters.db.SqlRepository:",
        "  shop.application.repos.CachedRepository subclasses shop.adapters.db.SqlRepository",
        "    shop/application/repos.py:4  class CachedRepository(SqlRepository):",
    ]
    selected = (
        classes("shop")
        .that_subclass("shop.adapters.SqlRepository")
        .should_reside_in("shop.adapters")
    )
    assert failure(selected)[2] == (
        "shop.application.repos.CachedRepository (shop/application/repos.py:4) resides in "
        "shop.application.repos, outside shop.adapters"
    )


def test_builtin_classes_derive_from_their_python_bases() -> None:
    classes("shop.domain.errors").should_subclass("Exception").check(GRAPH)
    lines = failure(classes("shop.domain.errors").should_not_subclass("BaseException"))
    assert lines[2:4] == [
        "shop.domain.errors.OrderError (shop/domain/errors.py:1) subclasses BaseException "
        "(through RuntimeError):",
        "  shop.domain.errors.OrderError subclasses RuntimeError",
    ]


def test_a_method_of_a_local_object_is_no_near_miss_of_a_builtin() -> None:
    texts = {
        "shop.domain.report": textwrap.dedent(
            """
            from shop.domain.console import make_console


            def show() -> None:
                console = make_console()
                console.print("done")
            """
        ).lstrip(),
        "shop.domain.console": "def make_console() -> object:\n    return object()\n",
    }
    result = functions("shop.domain").should_not_call("print").check(graph_of(texts))
    assert result.warnings == ()


def test_a_module_with_no_function_is_checked_for_calls_but_is_an_empty_selection_otherwise() -> (
    None
):
    graph = graph_of({"shop.domain.setup": 'print("x")\n'})
    lines = failure(functions("shop.domain").should_not_call("print"), graph)
    assert lines[2] == "shop.domain.setup (shop/domain/setup.py:1) calls print at module level:"
    with pytest.raises(RuleViolated, match="the selection .* is empty: those modules define"):
        functions("shop.domain").should_be_named("x*").check(graph)


def test_a_call_in_a_main_block_is_said_to_be_there() -> None:
    text = textwrap.dedent(
        """
        print("on import")

        if __name__ == "__main__":
            print("as a script")
        """
    ).lstrip()
    graph = graph_of({"shop.domain.demo": text})
    lines = failure(functions("shop.domain").should_not_call("print"), graph)
    assert [line for line in lines if line and not line.startswith(" ")][1:3] == [
        "shop.domain.demo (shop/domain/demo.py:1) calls print at module level:",
        "shop.domain.demo (shop/domain/demo.py:4) calls print "
        'in its if __name__ == "__main__" block:',
    ]
    code = graph.code_model().modules["shop.domain.demo"]
    assert code.main_blocks == ((3, 4),)
    assert from_data(to_data(code)) == code
