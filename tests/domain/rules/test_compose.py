"""How an architecture style is composed: each principle a rule of another type (its
delegate), its violations said in the style's words, its chains narrowed to its own."""

from __future__ import annotations

from dataclasses import dataclass

from fitness.domain.graph import ProjectGraph
from fitness.domain.rules import ForbiddenRule, IndependenceRule, ProtectedRule
from fitness.domain.rules.base import Findings
from fitness.domain.rules.compose import Delegate, apart, delegate, refused_imports
from fitness.domain.rules.support import IgnoringRule
from fitness.domain.violations import Violation
from tests.helpers import fake_graph


@dataclass(frozen=True, kw_only=True)
class PureDomain(IgnoringRule):
    """A style of one principle, written as the built-in styles are."""

    type_name = "pure_domain"
    how_to_fix = "Keep the web out of the domain."

    def describe(self) -> str:
        return "The domain does not know the web"

    def evaluate(self, graph: ProjectGraph) -> Findings:
        graph, warnings = self.without_ignored_imports(graph)
        violations = (
            delegate(
                self,
                ForbiddenRule,
                source_modules=("shop.domain",),
                forbidden_modules=("shop.web",),
            )
            .reworded(lambda v: f"the domain reaches the web ({v.importer} -> {v.imported})")
            .violations(graph)
        )
        return Findings.of(violations, warnings)


STYLE = PureDomain(name="pure domain")


def chains(violation: Violation) -> list[str]:
    return [str(chain) for chain in violation.chains]


def forbid(source: str, target: str) -> Delegate:
    return delegate(STYLE, ForbiddenRule, source_modules=(source,), forbidden_modules=(target,))


# The delegate -------------------------------------------------------------------------


def test_a_delegate_is_a_rule_of_the_given_type_with_the_styles_name_and_the_options() -> None:
    rule = forbid("shop.domain", "shop.web").rule

    assert rule == ForbiddenRule(
        name="pure domain",
        source_modules=("shop.domain",),
        forbidden_modules=("shop.web",),
        unmatched_ignore_imports_alerting="none",
    )


def test_without_rewording_a_delegate_says_its_violations_as_its_own_type_does() -> None:
    graph = fake_graph("shop.domain.order -> shop.web.views")

    [violation] = forbid("shop.domain", "shop.web").violations(graph)

    assert violation.summary == "shop.domain is not allowed to import shop.web"
    assert chains(violation) == ["shop.domain.order -> shop.web.views"]


def test_a_style_reports_its_delegates_violations_in_its_own_words() -> None:
    graph = fake_graph("shop.domain.order -> shop.web.views")

    result = STYLE.result(graph)

    assert [(v.importer, v.imported, v.summary, chains(v)) for v in result.violations] == [
        (
            "shop.domain",
            "shop.web",
            "the domain reaches the web (shop.domain -> shop.web)",
            ["shop.domain.order -> shop.web.views"],
        )
    ]
    assert result.guidance == "Keep the web out of the domain."


def test_the_delegate_checks_the_graph_the_style_has_taken_its_ignored_imports_out_of() -> None:
    graph = fake_graph("shop.domain.order -> shop.web.views")
    style = PureDomain(
        name="pure domain",
        ignore_imports=("shop.domain.order -> shop.web.views", "shop.web -> shop.gone"),
        unmatched_ignore_imports_alerting="warn",
    )

    result = style.result(graph)

    assert result.violations == ()
    # Said once, by the style: the delegate ignores nothing of its own.
    assert result.warnings == ("ignore_imports: 'shop.web -> shop.gone' matches no import",)


def test_rewording_keeps_the_delegates_warnings_and_replaces_its_guidance_if_asked() -> None:
    graph = fake_graph("shop.web.views -> shop.main")
    protect = delegate(
        STYLE,
        ProtectedRule,
        protected_modules=("shop.main",),
        allowed_importers=("shop.tests",),
        as_packages=False,
    )

    kept = protect.reworded(lambda v: f"{v.importer} imports the composition root").evaluate(graph)
    replaced = protect.reworded(lambda v: "", how_to_fix="Import nothing from main.").evaluate(
        graph
    )

    assert [v.summary for v in kept.violations] == ["shop.web.views imports the composition root"]
    assert kept.warnings == (
        "allowed_importers: module 'shop.tests' is not in the graph, so it allows nothing",
    )
    assert kept.guidance == ""
    assert replaced.guidance == "Import nothing from main."


def test_refining_a_delegate_leaves_it_as_it_was() -> None:
    plain = forbid("shop.domain", "shop.web")

    plain.reworded(lambda v: "reworded").without_chains_through(["shop.x"])

    assert plain == forbid("shop.domain", "shop.web")


# Rewording chain by chain ------------------------------------------------------------


def test_each_chain_may_be_said_on_its_own_and_chains_said_alike_stay_together() -> None:
    graph = fake_graph(
        """
        shop.billing.invoices -> shop.orders.api
        shop.billing.tasks -> shop.orders.api
        shop.billing.views -> shop.orders.models
        """
    )
    independent = delegate(STYLE, IndependenceRule, modules=("shop.billing", "shop.orders"))

    found = independent.reworded_by_chain(
        lambda v, chain: "through the API" if chain.modules[-1].endswith(".api") else "inside"
    ).violations(graph)

    assert [(v.summary, chains(v)) for v in found] == [
        ("inside", ["shop.billing.views -> shop.orders.models"]),
        (
            "through the API",
            ["shop.billing.invoices -> shop.orders.api", "shop.billing.tasks -> shop.orders.api"],
        ),
    ]


# Which chains are a principle's own ------------------------------------------------------

# A chain through shop.services, and a longer one around it, both from shop.domain.order
# through shop.helpers: found chains share no import, so only the first is found.
AROUND = """
    shop.domain.order -> shop.helpers
    shop.helpers -> shop.services.pricing
    shop.services.pricing -> shop.web.views
    shop.helpers -> shop.utils.text
    shop.utils.text -> shop.utils.html
    shop.utils.html -> shop.web.views
"""


def test_chains_through_the_given_modules_are_dropped() -> None:
    graph = fake_graph(
        """
        shop.domain.order -> shop.services.pricing
        shop.services.pricing -> shop.web.views
        shop.domain.order -> shop.utils.text
        shop.utils.text -> shop.web.views
        """
    )

    [violation] = (
        forbid("shop.domain", "shop.web")
        .without_chains_through(["shop.services"])
        .violations(graph)
    )

    assert chains(violation) == ["shop.domain.order -> shop.utils.text -> shop.web.views"]


def test_a_violation_whose_every_chain_runs_through_them_is_dropped() -> None:
    graph = fake_graph(AROUND)

    # The chain around shop.services is not looked for.
    assert (
        forbid("shop.domain", "shop.web")
        .without_chains_through(["shop.services"])
        .violations(graph)
        == []
    )


def test_only_the_steps_in_between_count_not_the_ends_of_a_chain() -> None:
    graph = fake_graph("shop.domain.order -> shop.web.views")

    [violation] = (
        forbid("shop.domain", "shop.web")
        .without_chains_through(["shop.domain", "shop.web"])
        .violations(graph)
    )

    assert chains(violation) == ["shop.domain.order -> shop.web.views"]


def test_the_modules_a_chain_may_not_run_through_may_depend_on_the_violation() -> None:
    graph = fake_graph(
        """
        shop.billing.invoices -> shop.orders.api
        shop.shipping.labels -> shop.orders.api
        shop.billing.invoices -> shop.shipping.labels
        """
    )
    # Each source may not reach the target through the other source.
    sources = delegate(
        STYLE,
        ForbiddenRule,
        source_modules=("shop.billing", "shop.shipping"),
        forbidden_modules=("shop.orders",),
    )

    found = sources.without_chains_through(
        lambda v: apart(v.importer, ["shop.billing", "shop.shipping"])
    ).violations(graph)

    assert [(v.importer, chains(v)) for v in found] == [
        ("shop.billing", ["shop.billing.invoices -> shop.orders.api"]),
        ("shop.shipping", ["shop.shipping.labels -> shop.orders.api"]),
    ]


def test_leaving_out_the_imports_into_given_modules_finds_the_chains_around_them() -> None:
    graph = fake_graph(AROUND)

    [violation] = (
        forbid("shop.domain", "shop.web").without_imports_into(["shop.services"]).violations(graph)
    )

    assert chains(violation) == [
        "shop.domain.order -> shop.helpers -> shop.utils.text -> shop.utils.html -> shop.web.views"
    ]


def test_leaving_out_imports_into_modules_keeps_the_imports_among_them() -> None:
    graph = fake_graph("shop.services.pricing -> shop.services.rates")
    rates = delegate(
        STYLE,
        ForbiddenRule,
        source_modules=("shop.services.pricing",),
        forbidden_modules=("shop.services.rates",),
    )

    [violation] = rates.without_imports_into(["shop.services"]).violations(graph)

    assert chains(violation) == ["shop.services.pricing -> shop.services.rates"]


def test_the_other_parts_of_a_side_are_those_neither_inside_nor_around_it() -> None:
    parts = ["app.billing.queries", "app.orders.queries", "app.orders", "app.orders.queries.x"]

    assert apart("app.orders.queries", parts) == ["app.billing.queries"]


# Principles checked import by import ------------------------------------------------------


def test_each_refused_direct_import_is_a_violation_with_its_import_as_the_chain() -> None:
    graph = fake_graph(
        """
        shop.domain.order -> shop.domain.money
        shop.domain.order -> shop.web.views
        shop.domain.money -> shop.db.rows
        shop.web.views -> shop.db.rows
        """
    )

    found = refused_imports(
        graph,
        ["shop.domain.order", "shop.domain.money"],
        lambda imported: not imported.startswith("shop.domain"),
        lambda importer, imported: f"{importer} reaches out to {imported}",
    )

    assert [(v.importer, v.imported, v.summary, chains(v)) for v in found] == [
        (
            "shop.domain.money",
            "shop.db.rows",
            "shop.domain.money reaches out to shop.db.rows",
            ["shop.domain.money -> shop.db.rows"],
        ),
        (
            "shop.domain.order",
            "shop.web.views",
            "shop.domain.order reaches out to shop.web.views",
            ["shop.domain.order -> shop.web.views"],
        ),
    ]
    assert found[0].chains[0].links[0].location == "shop/domain/money.py:1"
