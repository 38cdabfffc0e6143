"""``hexagonal``: ports and adapters, each violation naming the principle it breaks."""

from __future__ import annotations

import pytest

from fitness.domain.config import parse_config
from fitness.domain.errors import ConfigError, RuleError
from fitness.domain.options import build_rule
from fitness.domain.rules import HexagonalRule, builtin_rule_types
from tests.helpers import append, fake_graph

CLEAN = """
    shop.main -> shop.adapters.web.handlers
    shop.main -> shop.adapters.db.repository
    shop.adapters.web.handlers -> shop.application.place_order
    shop.adapters.web.handlers -> flask
    shop.adapters.db.repository -> shop.application.ports
    shop.adapters.db.repository -> sqlalchemy
    shop.application.place_order -> shop.application.ports
    shop.application.ports -> shop.domain.model
    shop.domain.model -> decimal
    shop.domain.model -> attr
"""

OPTIONS = {
    "domain": "shop.domain",
    "application": "shop.application",
    "ports": "shop.application.ports",
    "adapters": ["shop.adapters.*"],
    "composition_root": "shop.main",
    "domain_may_import": ["attr"],
}


def rule(**options: object) -> HexagonalRule:
    return build_rule(HexagonalRule, {"name": "hexagon", **OPTIONS, **options})


def summaries(extra: str, **options: object) -> list[str]:
    graph = fake_graph(CLEAN + extra, roots=("shop",), external=True)
    return [v.summary for v in rule(**options).result(graph).violations]


def test_a_clean_hexagon_passes() -> None:
    assert summaries("") == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "shop.adapters.web.handlers -> shop.adapters.db.repository",
            "adapter shop.adapters.web depends on adapter shop.adapters.db",
        ),
        (
            "shop.domain.model -> sqlalchemy",
            "the domain imports the infrastructure package sqlalchemy",
        ),
        (
            "shop.domain.model -> shop.application.place_order",
            "the domain imports the application layer (shop.domain -> shop.application)",
        ),
        (
            "shop.application.place_order -> shop.adapters.db.repository",
            "shop.adapters.db.repository is imported by shop.application.place_order; "
            "only the composition root (shop.main) may import adapters",
        ),
        (
            "shop.adapters.web.handlers -> shop.main",
            "shop.adapters.web.handlers imports the composition root shop.main, which wires "
            "it in: a driven adapter must not know what wires it (only the driving adapters, "
            "the entry points, may import it)",
        ),
        (
            "shop.application.ports -> shop.application.place_order",
            "the port shop.application.ports imports shop.application.place_order; "
            "ports may depend only on the domain",
        ),
        (
            "shop.domain.model -> shop.utils",
            "the domain imports shop.utils, which is outside the domain "
            "(add it to domain_may_import if the domain may use it)",
        ),
    ],
)
def test_each_violation_names_the_principle_it_breaks(extra: str, expected: str) -> None:
    found = summaries(extra)
    assert expected in found
    # Besides, at most the indirect adapter-to-adapter dependency the import creates
    # (web -> application -> db, or web -> main -> db).
    assert set(found) - {expected} <= {
        "adapter shop.adapters.web depends on adapter shop.adapters.db"
    }


def test_the_standard_library_and_domain_may_import_are_allowed() -> None:
    assert (
        summaries(
            "shop.domain.model -> collections\nshop.domain.model -> shop.kernel",
            domain_may_import=["attr", "shop.kernel"],
        )
        == []
    )
    assert summaries("", domain_may_import=[]) == [
        "the domain imports the infrastructure package attr"
    ]


def test_separate_ports_sit_between_the_application_and_the_domain() -> None:
    graph = fake_graph(
        """
        shop.main -> shop.adapters.db
        shop.adapters.db -> shop.ports
        shop.application -> shop.ports
        shop.ports -> shop.application
        shop.domain
        """,
        roots=("shop",),
        external=True,
    )
    result = rule(ports="shop.ports", adapters=["shop.adapters.db"]).result(graph)
    assert [v.summary for v in result.violations] == [
        "the ports import the application layer (shop.ports -> shop.application)"
    ]


def test_chains_carry_file_and_line() -> None:
    graph = fake_graph(
        CLEAN + "shop.adapters.web.handlers -> shop.adapters.db.repository",
        roots=("shop",),
        external=True,
    )
    [violation] = rule().result(graph).violations
    assert violation.chains[0].links[0].location == "shop/adapters/web/handlers.py:3"


def test_the_rule_asks_for_external_packages() -> None:
    config = parse_config(
        {
            "root_packages": ["shop"],
            "rules": [{"name": "hexagon", "type": "hexagonal", **OPTIONS}],
        },
        {t.type_name: t for t in builtin_rule_types()},
    )
    assert config.graph.include_external_packages


def test_without_external_packages_the_rule_cannot_be_checked() -> None:
    graph = fake_graph(CLEAN.replace("-> flask", "-> shop.x"), roots=("shop",), external=False)
    with pytest.raises(RuleError, match="without external packages"):
        rule().result(graph)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"domain": "shop.*"}, "option 'domain' must be one module name"),
        ({"domain": "shop.application.core"}, "'domain' .* cannot be inside 'application'"),
        ({"adapters": []}, "option 'adapters' must name at least one adapter"),
    ],
)
def test_bad_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        rule(**options)


def test_a_missing_part_is_an_error_with_did_you_mean() -> None:
    graph = fake_graph(CLEAN, roots=("shop",), external=True)
    with pytest.raises(RuleError, match=r"did you mean 'shop\.domain'"):
        rule(domain="shop.domian").result(graph)


def test_the_shop_example_keeps_its_hexagon_and_breaks_it(
    pytester: pytest.Pytester, shop: object
) -> None:
    from pathlib import Path

    root = Path(str(shop))
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "Ports and adapters")
    result.assert_outcomes(passed=1)

    append(root / "shop/domain/pricing.py", "import sqlalchemy  # the domain reaching out\n")
    append(
        root / "shop/adapters/web/handlers.py",
        "from shop.adapters.db.repository import SqlOrderRepository\n",
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "Ports and adapters")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines_random(
        [
            "adapter shop.adapters.web depends on adapter shop.adapters.db:",
            "    shop/adapters/web/handlers.py:*  from shop.adapters.db.repository import *",
            "the domain imports the infrastructure package sqlalchemy:",
            "    shop/domain/pricing.py:*  import sqlalchemy  # the domain reaching out",
        ]
    )


# The composition root (issue 21) ------------------------------------------------------------

# As in "Architecture Patterns with Python": the entry points start the application
# through bootstrap, which wires in the driven adapters.
BOOK = """
    app.bootstrap -> app.adapters.orm
    app.bootstrap -> app.adapters.email
    app.bootstrap -> app.service_layer.messagebus
    app.entrypoints.flask_app -> app.bootstrap
    app.entrypoints.flask_app -> flask
    app.entrypoints.consumer -> app.bootstrap
    app.entrypoints.consumer -> app.cli_main
    app.cli_main -> app.bootstrap
    app.adapters.orm -> app.domain.model
    app.service_layer.messagebus -> app.domain.model
"""


def book(extra: str = "", **options: object) -> list[str]:
    graph = fake_graph(BOOK + extra, roots=("app",), external=True)
    hexagon = build_rule(
        HexagonalRule,
        {
            "name": "hexagon",
            "domain": "app.domain",
            "application": "app.service_layer",
            "adapters": ["app.adapters.*", "app.entrypoints.*"],
            "composition_root": "app.bootstrap",
            **options,
        },
    )
    return [v.summary for v in hexagon.result(graph).violations]


def test_the_entry_points_may_import_the_composition_root_and_reach_adapters_through_it() -> None:
    assert book() == [
        "app.cli_main imports the composition root app.bootstrap; only the driving adapters "
        "(the entry points) may import it"
    ]


def test_the_composition_root_may_be_a_list_of_modules() -> None:
    assert book(composition_root=["app.bootstrap", "app.cli_main"]) == []


def test_an_adapter_the_composition_root_wires_in_may_not_import_it() -> None:
    assert book(
        "app.adapters.orm -> app.bootstrap", composition_root=["app.bootstrap", "app.cli_main"]
    ) == [
        "app.adapters.orm imports the composition root app.bootstrap, which wires it in: a "
        "driven adapter must not know what wires it (only the driving adapters, the entry "
        "points, may import it)"
    ]


def test_an_adapter_reaching_another_around_the_composition_root_is_still_reported() -> None:
    assert book(
        "app.entrypoints.flask_app -> app.adapters.email",
        composition_root=["app.bootstrap", "app.cli_main"],
    ) == ["adapter app.entrypoints.flask_app depends on adapter app.adapters.email"]


ROOT_OPTION = "option 'composition_root' must be a module name or a list of them"


@pytest.mark.parametrize(
    ("root", "error"),
    [
        ("app.*", f"{ROOT_OPTION}, not 'app.*'"),
        (["app.main", ""], f"{ROOT_OPTION}, not ''"),
        (
            ["app.main", "app.domain.wiring"],
            "option 'composition_root' (app.domain.wiring) cannot be inside 'domain' (app.domain)",
        ),
    ],
)  # fmt: skip
def test_a_composition_root_must_name_modules_outside_the_hexagon(root: object, error: str) -> None:
    with pytest.raises(ConfigError) as raised:
        build_rule(
            HexagonalRule,
            {
                "name": "hexagon",
                "domain": "app.domain",
                "application": "app.service_layer",
                "adapters": ["app.adapters.*"],
                "composition_root": root,
            },
        )
    assert raised.value.message == error


def test_an_empty_composition_root_is_none_as_it_was() -> None:
    assert (
        build_rule(
            HexagonalRule,
            {**OPTIONS, "name": "hexagon", "composition_root": ""},
        )
        .describe()
        .endswith("; nothing may import the adapters")
    )
