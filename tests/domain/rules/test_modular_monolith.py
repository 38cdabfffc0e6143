"""``modular_monolith``: declared dependencies, public interfaces, no cycles between modules
(tach's module semantics, with chains, lines and a baseline)."""

from __future__ import annotations

from typing import Any

import pytest

from fitness import ModularMonolithRule
from fitness.domain.code import CodeModel, module_code
from fitness.domain.config import parse_config
from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.graph import ProjectGraph
from fitness.domain.options import build_rule
from fitness.domain.rules import builtin_rule_types
from fitness.domain.source_facts import TYPE_CHECKING_ONLY
from fitness.domain.violations import RuleResult
from tests.helpers import fake_graph

CLEAN = """
    app.main -> app.ordering.api
    app.ordering.api -> app.ordering.service
    app.ordering.service -> app.catalog.api
    app.ordering.service -> app.shared.money
    app.catalog.api -> app.catalog.repository
    app.catalog.repository -> app.shared.money
    app.billing.api -> app.billing.invoices
    app.billing.invoices -> app.shared
    app.billing.handlers -> app.ordering.events
    app.users.accounts -> app.shared.money
    app.reports.daily
"""

MODULES: dict[str, dict[str, Any]] = {
    "app.catalog": {"depends_on": ["app.shared"], "interface": ["api"]},
    "app.ordering": {"depends_on": ["app.shared", "app.catalog"], "interface": ["api", "events"]},
    "app.billing": {"depends_on": ["app.shared", "app.ordering"], "interface": ["api"]},
    "app.shared": {"depends_on": []},
    "app.users": {"depends_on": ["app.shared"]},
    "app.reports": {"depends_on": []},
}


def rule(modules: dict[str, dict[str, Any]] | None = None, **options: Any) -> ModularMonolithRule:
    return build_rule(
        ModularMonolithRule, {"name": "Modular monolith", "modules": modules or MODULES, **options}
    )


def check(
    extra: str = "", modules: dict[str, dict[str, Any]] | None = None, **options: Any
) -> RuleResult:
    return rule(modules, **options).result(fake_graph(CLEAN + extra, roots=("app",)))


def summaries(
    extra: str = "", modules: dict[str, dict[str, Any]] | None = None, **options: Any
) -> list[str]:
    return [v.summary for v in check(extra, modules, **options).violations]


def chains(result: RuleResult) -> list[list[str]]:
    return [[str(chain) for chain in v.chains] for v in result.violations]


def test_modules_that_keep_their_declarations_pass() -> None:
    result = check()
    assert result.passed
    assert result.warnings == ()
    assert result.details["dependencies"] == {
        "app.billing": ["app.ordering", "app.shared"],
        "app.catalog": ["app.shared"],
        "app.ordering": ["app.catalog", "app.shared"],
        "app.reports": [],
        "app.shared": [],
        "app.users": ["app.shared"],
    }


def test_the_description_says_the_principles() -> None:
    assert rule(because="each module can be owned by one team").description == (
        "The modules app.billing, app.catalog, app.ordering, app.reports, app.shared and "
        "app.users use only the "
        "modules they declare (depends_on), only through their interfaces, and never in a "
        "cycle, because each module can be owned by one team"
    )


def test_a_module_may_not_use_a_module_it_does_not_declare() -> None:
    result = check("app.catalog.repository -> app.users.accounts")
    assert [v.summary for v in result.violations] == [
        "undeclared dependency: app.catalog uses app.users, which is not in its depends_on; "
        "declare the dependency in depends_on, or remove the import"
    ]
    violation = result.violations[0]
    assert (violation.importer, violation.imported) == ("app.catalog", "app.users")
    link = violation.chains[0].links[0]
    assert (link.location, link.code) == (
        "app/catalog/repository.py:2",
        "import app.users.accounts",
    )
    assert "declare the dependency in the importing module's depends_on" in result.guidance


def test_every_import_of_an_undeclared_dependency_is_a_chain_of_the_violation() -> None:
    result = check(
        """
        app.catalog.repository -> app.users.accounts
        app.catalog.api -> app.users.accounts
        """
    )
    assert chains(result) == [
        ["app.catalog.api -> app.users.accounts", "app.catalog.repository -> app.users.accounts"]
    ]


def test_a_module_without_depends_on_may_use_any_module() -> None:
    modules = {**MODULES, "app.catalog": {"interface": ["api"]}}
    assert summaries("app.catalog.repository -> app.users.accounts", modules) == []


def test_an_empty_depends_on_allows_no_module() -> None:
    assert summaries("app.reports.daily -> app.catalog.api") == [
        "undeclared dependency: app.reports uses app.catalog, which is not in its depends_on; "
        "declare the dependency in depends_on, or remove the import"
    ]


def test_a_utility_module_needs_no_declaration() -> None:
    modules = {**MODULES, "app.shared": {"depends_on": [], "utility": True}}
    assert summaries("app.main -> app.shared", {**modules, "app.catalog": {"depends_on": []}}) == []


def test_an_import_into_a_module_must_go_through_its_interface() -> None:
    result = check(
        """
        app.billing.invoices -> app.ordering.service
        app.billing.invoices -> app.ordering.domain.order
        app.billing.api -> app.ordering.domain.line
        """
    )
    assert [v.summary for v in result.violations] == [
        "interface bypass: app.billing reaches into app.ordering.domain, which is not part of "
        "app.ordering's interface; go through app.ordering's interface (api, events)",
        "interface bypass: app.billing reaches into app.ordering.service, which is not part of "
        "app.ordering's interface; go through app.ordering's interface (api, events)",
    ]
    assert chains(result) == [
        [
            "app.billing.api -> app.ordering.domain.line",
            "app.billing.invoices -> app.ordering.domain.order",
        ],
        ["app.billing.invoices -> app.ordering.service"],
    ]
    assert "go through the module's interface" in result.guidance


def test_the_module_itself_and_what_is_inside_its_interface_are_public() -> None:
    extra = """
        app.billing.invoices -> app.ordering
        app.billing.invoices -> app.ordering.events.placed
    """
    assert summaries(extra) == []


def test_a_module_without_an_interface_is_open() -> None:
    assert summaries("app.billing.invoices -> app.shared.money.rounding") == []


def test_an_undeclared_dependency_past_the_interface_is_two_violations() -> None:
    assert summaries("app.reports.daily -> app.catalog.repository") == [
        "undeclared dependency: app.reports uses app.catalog, which is not in its depends_on; "
        "declare the dependency in depends_on, or remove the import",
        "interface bypass: app.reports reaches into app.catalog.repository, which is not part "
        "of app.catalog's interface; go through app.catalog's interface (api)",
    ]


def test_code_outside_every_module_is_not_checked() -> None:
    extra = """
        app.main -> app.billing.invoices
        app.main -> app.catalog.repository
        app.ordering.service -> app.settings
    """
    assert summaries(extra) == []


def test_a_dependency_through_code_outside_every_module_is_a_dependency() -> None:
    extra = """
        app.catalog.repository -> app.utils.cache
        app.utils.cache -> app.utils.keys
        app.utils.keys -> app.users
    """
    result = check(extra)
    assert [v.summary for v in result.violations] == [
        "undeclared dependency: app.catalog uses app.users through code outside every module, "
        "which is not in its depends_on; declare the dependency in depends_on, or remove the "
        "import"
    ]
    assert chains(result) == [
        ["app.catalog.repository -> app.utils.cache -> app.utils.keys -> app.users"]
    ]
    assert summaries(extra, indirect=False) == []


def test_a_package_that_contains_modules_is_no_way_through() -> None:
    # As django/__init__.py imports django.urls: an `import django` anywhere in Django
    # would otherwise make every module depend on what the root package imports.
    extra = """
        app -> app.users.accounts
        app.catalog.repository -> app
    """
    assert summaries(extra) == []


def test_a_chain_through_another_module_is_that_modules_business() -> None:
    # ordering -> catalog is declared; catalog -> users is catalog's own violation.
    result = check("app.catalog.api -> app.users.accounts")
    assert [(v.importer, v.imported) for v in result.violations] == [("app.catalog", "app.users")]


def test_a_nested_module_is_a_module_of_its_own() -> None:
    modules = {
        **MODULES,
        "app.billing": {"depends_on": ["app.shared"], "interface": ["api"]},
        "app.billing.invoices": {"depends_on": ["app.shared"]},
    }
    # app.billing.invoices -> app.shared belongs to the nested module (declared there);
    # the parent uses its nested module, which it must declare.
    assert summaries("", modules) == [
        "undeclared dependency: app.billing uses app.billing.invoices, which is not in its "
        "depends_on; declare the dependency in depends_on, or remove the import",
        "undeclared dependency: app.billing uses app.ordering, which is not in its depends_on; "
        "declare the dependency in depends_on, or remove the import",
    ]


def test_modules_that_use_each_other_are_a_cycle() -> None:
    result = check("app.catalog.api -> app.ordering.events")
    assert [v.summary for v in result.violations] == [
        "undeclared dependency: app.catalog uses app.ordering, which is not in its depends_on; "
        "declare the dependency in depends_on, or remove the import",
        "cycle between modules: app.catalog -> app.ordering -> app.catalog; break the cycle: "
        "publish an event instead of calling back, or move the shared code into a shared "
        "module both may depend on",
    ]
    cycle = result.violations[1]
    assert (cycle.importer, cycle.imported) == ("app.catalog", "app.ordering -> app.catalog")
    assert chains(result)[1] == [
        "app.catalog.api -> app.ordering.events",
        "app.ordering.service -> app.catalog.api",
    ]
    assert "publish an event from one side" in result.guidance


def test_a_declared_cycle_is_still_a_cycle_unless_cycles_are_allowed() -> None:
    modules = {**MODULES, "app.catalog": {"depends_on": ["app.shared", "app.ordering"]}}
    extra = "app.catalog.api -> app.ordering.events"
    assert [s.split(";")[0] for s in summaries(extra, modules)] == [
        "cycle between modules: app.catalog -> app.ordering -> app.catalog"
    ]
    assert summaries(extra, modules, acyclic=False) == []


def test_a_deprecated_dependency_passes_with_a_warning_at_each_import() -> None:
    modules = {
        **MODULES,
        "app.catalog": {"depends_on": ["app.shared"], "deprecated": ["app.users"]},
    }
    result = check(
        """
        app.catalog.repository -> app.users.accounts
        app.catalog.api -> app.users
        """,
        modules,
    )
    assert result.passed
    assert result.warnings == (
        "deprecated dependency: app.catalog uses app.users at app/catalog/api.py:2 "
        "(import app.users); remove the import, then drop 'app.users' from app.catalog's "
        "deprecated",
        "deprecated dependency: app.catalog uses app.users at app/catalog/repository.py:2 "
        "(import app.users.accounts); remove the import, then drop 'app.users' from "
        "app.catalog's deprecated",
    )


def test_a_deprecated_dependency_that_is_gone_says_so() -> None:
    modules = {
        **MODULES,
        "app.catalog": {"depends_on": ["app.shared"], "deprecated": ["app.users"]},
    }
    result = check("", modules)
    assert result.passed
    assert result.warnings == (
        "deprecated dependency gone: app.catalog no longer uses app.users; drop 'app.users' "
        "from app.catalog's deprecated",
    )


def test_with_exact_a_declared_dependency_the_code_does_not_have_is_a_violation() -> None:
    modules = {**MODULES, "app.reports": {"depends_on": ["app.shared"]}}
    assert summaries("", modules) == []
    result = check("", modules, exact=True)
    assert [(v.importer, v.imported, v.summary) for v in result.violations] == [
        (
            "app.reports",
            "app.shared",
            "unused dependency: app.reports declares app.shared in depends_on but does not use "
            "it; remove it from depends_on",
        )
    ]
    assert result.guidance == (
        "An unused dependency (exact): remove it from depends_on, so that the declarations say "
        "what the code does."
    )


def test_ignored_imports_are_left_out() -> None:
    extra = "app.catalog.repository -> app.users.accounts"
    ignore = ["app.catalog.repository -> app.users.accounts"]
    assert summaries(extra, ignore_imports=ignore) == []


# Configuration errors --------------------------------------------------------------------


def config_error(modules: Any, **options: Any) -> str:
    table = {"rules": [{"name": "MM", "type": "modular_monolith", "modules": modules, **options}]}
    rule_types = {cls.type_name: cls for cls in builtin_rule_types()}
    with pytest.raises(ConfigError) as error:
        parse_config({"root_packages": ["app"], **table}, rule_types)
    return error.value.message


def test_depends_on_must_name_a_declared_module() -> None:
    modules = {**MODULES, "app.catalog": {"depends_on": ["app.shard"]}}
    assert config_error(modules) == (
        "[[tool.fitness.rules]] #1 ('MM'): modules.app.catalog.depends_on: 'app.shard' is not "
        "a declared module; did you mean 'app.shared'?"
    )
    modules = {**MODULES, "app.catalog": {"deprecated": ["app.xyz"]}}
    assert config_error(modules) == (
        "[[tool.fitness.rules]] #1 ('MM'): modules.app.catalog.deprecated: 'app.xyz' is not "
        "a declared module (the modules are app.billing, app.catalog, app.ordering, "
        "app.reports, app.shared and app.users; declare it under [tool.fitness.rules.modules] "
        "first)"
    )


def test_a_misspelt_key_of_a_module_gets_a_did_you_mean() -> None:
    modules = {**MODULES, "app.catalog": {"depend_on": ["app.shared"]}}
    assert config_error(modules) == (
        "[[tool.fitness.rules]] #1 ('MM'): option 'modules.app.catalog': unknown key "
        "'depend_on'; did you mean 'depends_on'?"
    )
    modules = {**MODULES, "app.catalog": {"owner": "team-a"}}
    assert config_error(modules) == (
        "[[tool.fitness.rules]] #1 ('MM'): option 'modules.app.catalog': unknown key 'owner' "
        "(the keys are depends_on, interface, deprecated, utility)"
    )


def test_module_options_are_typed() -> None:
    assert config_error({"app.catalog": {"depends_on": "app.shared"}}) == (
        "[[tool.fitness.rules]] #1 ('MM'): option 'modules.app.catalog.depends_on' must be a "
        "list of strings, not a string ('app.shared')"
    )
    assert config_error({"app.catalog": ["app.shared"]}) == (
        "[[tool.fitness.rules]] #1 ('MM'): option 'modules.app.catalog' must be a table "
        "(depends_on, interface, deprecated, utility), not a list (['app.shared'])"
    )


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        ({}, "option 'modules' must declare at least one module"),
        (
            {"app.*": {}},
            "modules: 'app.*' is not a module name; name one module (such as 'app.billing'), "
            "without wildcards",
        ),
        (
            {"app.catalog": {"depends_on": ["app.catalog"]}},
            "modules.app.catalog.depends_on: a module does not depend on itself "
            "(remove 'app.catalog')",
        ),
        (
            {
                "app.catalog": {"depends_on": ["app.shared"], "deprecated": ["app.shared"]},
                "app.shared": {},
            },
            "modules.app.catalog: 'app.shared' is in depends_on and in deprecated; keep it in "
            "one (deprecated: allowed with a warning)",
        ),
        (
            {"app.catalog": {"interface": ["app.catalog.api"]}},
            "modules.app.catalog.interface: 'app.catalog.api' is not a submodule name; write it "
            "relative to app.catalog ('api' for app.catalog.api)",
        ),
    ],
)
def test_bad_module_declarations_are_configuration_errors(modules: Any, message: str) -> None:
    assert config_error(modules) == f"[[tool.fitness.rules]] #1 ('MM'): {message}"


def test_a_module_that_is_not_in_the_graph_gets_a_did_you_mean() -> None:
    with pytest.raises(RuleError) as error:
        check(modules={**MODULES, "app.catalogue": {}})
    assert str(error.value) == (
        "modules: module 'app.catalogue' is not in the graph; did you mean 'app.catalog'?"
    )


def test_an_interface_that_is_not_a_submodule_gets_a_did_you_mean() -> None:
    with pytest.raises(RuleError) as error:
        check(modules={**MODULES, "app.catalog": {"interface": ["apis"]}})
    assert str(error.value) == (
        "modules.app.catalog.interface: app.catalog has no submodule 'apis'; did you mean 'api'?"
    )


def test_every_mistake_in_the_interfaces_is_reported_each_at_its_module() -> None:
    # Only the first was said: one run per mistake.
    modules = {
        **MODULES,
        "app.catalog": {"interface": ["app.catalog.api", "*"]},
        "app.ordering": {"interface": ["app.ordering.events"], "depends_on": ["app.shard"]},
    }
    table = {"rules": [{"name": "MM", "type": "modular_monolith", "modules": modules}]}
    rule_types = {cls.type_name: cls for cls in builtin_rule_types()}
    with pytest.raises(ConfigError) as error:
        parse_config({"root_packages": ["app"], **table}, rule_types)
    label = "[[tool.fitness.rules]] #1 ('MM'): "
    assert [(m.message, m.key) for m in error.value.mistakes] == [
        (
            f"{label}modules.app.catalog.interface: 'app.catalog.api' is not a submodule name; "
            "write it relative to app.catalog ('api' for app.catalog.api)",
            ("rules", 0, "modules", "app.catalog"),
        ),
        (
            f"{label}modules.app.catalog.interface: '*' is not a submodule name; "
            "write it relative to app.catalog ('api' for app.catalog.api)",
            ("rules", 0, "modules", "app.catalog"),
        ),
        (
            f"{label}modules.app.ordering.depends_on: 'app.shard' is not a declared module; "
            "did you mean 'app.shared'?",
            ("rules", 0, "modules", "app.ordering"),
        ),
        (
            f"{label}modules.app.ordering.interface: 'app.ordering.events' is not a submodule "
            "name; write it relative to app.ordering ('api' for app.ordering.api)",
            ("rules", 0, "modules", "app.ordering"),
        ),
    ]


def test_every_interface_that_is_not_a_submodule_is_reported() -> None:
    modules = {
        **MODULES,
        "app.catalog": {"interface": ["apis", "repository", "modle"]},
        "app.ordering": {"interface": ["events", "ap"]},
    }
    with pytest.raises(RuleError) as error:
        check(modules=modules)
    assert [str(m) for m in error.value.mistakes] == [
        "modules.app.catalog.interface: app.catalog has no submodule 'apis'; did you mean 'api'?",
        "modules.app.catalog.interface: app.catalog has no submodule 'modle' (its submodules: "
        "api and repository)",
        "modules.app.ordering.interface: app.ordering has no submodule 'ap'; did you mean 'api'?",
    ]


# Symbol level: the names an __init__ exports in __all__ -------------------------------


def with_code_model(
    graph: ProjectGraph,
    statements: dict[tuple[str, str], str],
    sources: dict[str, str],
    *,
    contexts: dict[tuple[str, int], str] | None = None,
) -> ProjectGraph:
    """``graph`` with the import statements grimp read (``(importer, imported)`` -> the
    statement, on line 2) and a code model parsed from ``sources`` (a package's module
    is its ``__init__``; the others are empty)."""
    for (importer, imported), statement in statements.items():
        graph.grimp.add_import(
            importer=importer, imported=imported, line_number=2, line_contents=statement
        )
    packages = {m.rpartition(".")[0] for m in graph.internal_modules}
    model = CodeModel(
        {
            module: module_code(module, sources.get(module, ""), is_package=module in packages)
            for module in sorted(graph.internal_modules)
        }
    )
    graph.attach_code_model(lambda: model)
    if contexts:
        graph.attach_import_contexts(
            lambda module: {line: how for (m, line), how in contexts.items() if m == module}
        )
    return graph


def symbol_check(name: str, init: str, extra: str = "", **options: Any) -> RuleResult:
    """``app.billing.invoices`` does ``from app.ordering import <name>`` (on line 2), and
    ``app/ordering/__init__.py`` says ``init``."""
    graph = fake_graph(CLEAN + "app.billing.invoices\n" + extra, roots=("app",))
    statement = {("app.billing.invoices", "app.ordering"): f"from app.ordering import {name}"}
    graph = with_code_model(graph, statement, {"app.ordering": init})
    return rule(**options).result(graph)


ORDERING_INIT = (
    "from .orders import Order, OrderRow, place_order\n__all__ = ['Order', 'place_order']\n"
)


def test_a_name_the_init_exports_in_all_is_part_of_the_interface() -> None:
    assert symbol_check("Order", ORDERING_INIT).passed


def test_a_name_the_init_does_not_export_is_an_interface_bypass() -> None:
    result = symbol_check("OrderRow", ORDERING_INIT)
    assert [v.summary for v in result.violations] == [
        "interface bypass: app.billing imports OrderRow from app.ordering, but app.ordering's "
        "__init__ does not export it in __all__; go through app.ordering's interface (api, "
        "events), or export OrderRow in app.ordering's __all__"
    ]
    violation = result.violations[0]
    assert (violation.importer, violation.imported) == ("app.billing", "app.ordering.OrderRow")
    link = violation.chains[0].links[0]
    assert (link.location, link.code) == (
        "app/billing/invoices.py:2",
        "from app.ordering import OrderRow",
    )


@pytest.mark.parametrize(
    "init",
    [
        # django/db/models/__init__.py:71, in small
        "from .orders import *\nfrom .orders import __all__ as orders_all\n"
        "from .rows import OrderRow\n__all__ = orders_all + ['place_order']\n"
        "__all__ += ['OrderRow']\n",
        "from . import orders\n__all__ = [*orders.__all__, 'OrderRow']\n",
        "__all__ = ['Order']\n__all__.append('OrderRow')\n__all__.extend(('x',))\n",
        "_base = ['Order']\n__all__ = list(_base) + ['OrderRow']\n",
        "import sys\nif sys.version_info >= (3, 12):\n    __all__ = ['OrderRow']\n"
        "else:\n    __all__ = ['Order']\n",
    ],
)
def test_an_all_built_up_statically_is_evaluated_whole(init: str) -> None:
    graph = fake_graph(
        CLEAN + "app.billing.invoices\napp.ordering.orders\napp.ordering.rows", roots=("app",)
    )
    statement = {
        ("app.billing.invoices", "app.ordering"): "from app.ordering import Order, OrderRow"
    }
    sources = {"app.ordering": init, "app.ordering.orders": "__all__ = ['Order']\n"}
    result = rule().result(with_code_model(graph, statement, sources))
    assert result.passed, [v.summary for v in result.violations]
    assert result.warnings == ()


def test_names_from_an_init_whose_all_is_computed_are_not_checked_and_say_why() -> None:
    result = symbol_check("OrderRow", "__all__ = [n for n in dir() if not n.startswith('_')]\n")
    assert result.passed
    assert result.warnings == (
        "the names app.billing imports from app.ordering are not checked: what app.ordering "
        "exports cannot be known statically (app.ordering's __all__ is computed (line 1: "
        "__all__ = [n for n in dir() if not n.startswith('_')]))",
    )


def test_an_all_that_a_later_statement_changes_unknowably_is_not_a_narrower_guess() -> None:
    init = "__all__ = ['Order']\nfor name in extra:\n    __all__.append(name)\n"
    result = symbol_check("OrderRow", init)
    assert result.passed
    assert "line 3: __all__.append(name)" in result.warnings[0]


def test_an_init_without_all_exports_its_public_names_as_a_star_import_would() -> None:
    init = "from .orders import Order, _Draft\nfrom . import events\nTAX = 0.2\n"
    assert symbol_check("Order", init).passed
    assert symbol_check("TAX", init).passed
    assert [v.imported for v in symbol_check("_Draft", init).violations] == ["app.ordering._Draft"]
    assert [v.imported for v in symbol_check("Missing", init).violations] == [
        "app.ordering.Missing"
    ]


def test_an_init_without_all_with_a_module_getattr_is_not_checked() -> None:
    result = symbol_check("Lazy", "def __getattr__(name):\n    return name\n")
    assert result.passed
    assert result.warnings == (
        "the names app.billing imports from app.ordering are not checked: what app.ordering "
        "exports cannot be known statically (app.ordering has no __all__ and defines "
        "__getattr__)",
    )


def test_an_init_exports_what_its_star_imports_re_export() -> None:
    # django/forms/__init__.py: `from django.forms.fields import *`, no __all__ of its own.
    graph = fake_graph(
        CLEAN + "app.billing.invoices\napp.ordering -> app.ordering.api", roots=("app",)
    )
    statements = {
        ("app.billing.invoices", "app.ordering"): "from app.ordering import place_order, OrderRow"
    }
    sources = {
        "app.ordering": "from app.ordering.api import *\n",
        "app.ordering.api": "__all__ = ['place_order']\ndef place_order(): pass\nOrderRow = 1\n",
    }
    result = rule().result(with_code_model(graph, statements, sources))
    assert [v.imported for v in result.violations] == ["app.ordering.OrderRow"]


def test_a_submodule_imported_by_name_is_judged_as_a_module() -> None:
    assert symbol_check("events", ORDERING_INIT).passed
    # the module-level check judges it: app.ordering.orders is no interface submodule
    graph = fake_graph(CLEAN + "app.billing.invoices\napp.ordering.orders", roots=("app",))
    statement = {("app.billing.invoices", "app.ordering.orders"): "from app.ordering import orders"}
    result = rule().result(with_code_model(graph, statement, {"app.ordering": ORDERING_INIT}))
    assert [v.imported for v in result.violations] == ["app.ordering.orders"]


def test_a_name_the_init_binds_over_a_submodule_is_that_name_not_the_submodule() -> None:
    """``from sqlalchemy.dialects.postgresql import array``: ``array`` is a submodule, and
    the package's ``__init__`` binds it to the function ``from .array import array``.
    Python gives the function; grimp records an import of the submodule."""
    graph = fake_graph(CLEAN + "app.billing.invoices\napp.ordering.orders", roots=("app",))
    statement = {("app.billing.invoices", "app.ordering.orders"): "from app.ordering import orders"}
    exported = "from .orders import orders\n__all__ = ['orders']\n"
    result = rule().result(with_code_model(graph, statement, {"app.ordering": exported}))
    assert result.passed, [v.summary for v in result.violations]
    hidden = "from .orders import orders\n__all__ = ['Order']\n"
    result = rule().result(
        with_code_model(
            fake_graph(CLEAN + "app.billing.invoices\napp.ordering.orders", roots=("app",)),
            statement,
            {"app.ordering": hidden},
        )
    )
    assert [v.summary for v in result.violations] == [
        "interface bypass: app.billing imports orders from app.ordering, but app.ordering's "
        "__init__ does not export it in __all__; go through app.ordering's interface (api, "
        "events), or export orders in app.ordering's __all__"
    ]
    link = result.violations[0].chains[0].links[0]
    assert (link.location, link.code) == (
        "app/billing/invoices.py:2",
        "from app.ordering import orders",
    )


def test_dunder_names_are_the_modules_metadata_not_a_bypass() -> None:
    assert symbol_check("__version__", ORDERING_INIT).passed
    assert symbol_check("__all__ as ordering_all", ORDERING_INIT).passed


def test_a_name_imported_for_type_checkers_only_is_not_checked_when_they_are_excluded() -> None:
    graph = fake_graph(CLEAN + "app.billing.invoices", roots=("app",))
    statement = {("app.billing.invoices", "app.ordering"): "from app.ordering import OrderRow"}
    contexts = {("app.billing.invoices", 2): TYPE_CHECKING_ONLY}
    built = with_code_model(graph, statement, {"app.ordering": ORDERING_INIT}, contexts=contexts)
    assert not rule().result(built).passed  # the option is off: the import is checked
    built.exclude_type_checking_imports = True
    assert rule().result(built).passed


def test_the_names_can_be_left_unchecked() -> None:
    assert symbol_check("OrderRow", ORDERING_INIT, symbols=False).passed


def test_names_of_an_open_module_are_not_checked() -> None:
    modules = {**MODULES, "app.ordering": {"depends_on": ["app.shared", "app.catalog"]}}
    assert symbol_check("OrderRow", ORDERING_INIT, modules=modules).passed


def test_an_ignored_import_is_not_checked_by_name_either() -> None:
    ignore = ["app.billing.invoices -> app.ordering"]
    assert symbol_check("OrderRow", ORDERING_INIT, ignore_imports=ignore).passed


def test_an_undeclared_module_is_not_mistaken_for_a_sibling_with_the_same_package() -> None:
    """Found on Django's contrib apps: 'django.contrib.contenttypes' was met with "did you
    mean 'django.contrib.auth'?" (a long shared prefix); the remedy is to declare it."""
    modules = {"app.catalog": {"depends_on": []}, "app.ordering": {"depends_on": ["app.billing"]}}
    assert config_error(modules) == (
        "[[tool.fitness.rules]] #1 ('MM'): modules.app.ordering.depends_on: 'app.billing' is not "
        "a declared module (the modules are app.catalog and app.ordering; declare it under "
        "[tool.fitness.rules.modules] first)"
    )
