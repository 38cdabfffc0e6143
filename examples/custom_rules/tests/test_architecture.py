"""Fitness functions written in Python with the fluent API, next to the declared ones.

Run `pytest` in examples/custom_rules: these tests, and the rules of
pyproject.toml (including the plugin's `max_fan_out`), check the same graph.
"""

from __future__ import annotations

from fitness import ProjectGraph, condition, modules, predicate


@predicate("are modules, not packages")
def plain_modules(module: str, graph: ProjectGraph) -> bool:
    file = graph.file_of(module) or ""
    return not file.endswith("__init__.py")


@condition("build on the domain model")
def use_the_domain(module: str, graph: ProjectGraph) -> bool | str:
    imported = graph.grimp.find_modules_directly_imported_by(module)
    if any(name.startswith("inventory.domain") for name in imported):
        return True
    return (
        f"{module} imports nothing from inventory.domain: logic without a model belongs elsewhere"
    )


def test_services_build_on_the_domain(fitness_graph: ProjectGraph) -> None:
    (
        modules("inventory.services.*")
        .that(plain_modules)
        .should(use_the_domain)
        .because("services orchestrate the model, they do not replace it")
        .check(fitness_graph)
    )


def test_the_domain_depends_on_nothing_else(fitness_graph: ProjectGraph) -> None:
    modules("inventory.domain").should_only_import("inventory.domain").check(fitness_graph)


def test_only_the_cli_uses_adapters(fitness_graph: ProjectGraph) -> None:
    modules("inventory.adapters").should_only_be_imported_by("inventory.cli").check(fitness_graph)


def test_no_cycles_between_top_level_packages(fitness_graph: ProjectGraph) -> None:
    modules("inventory.*").should_be_acyclic().check(fitness_graph)
